import './lessons.css';
import { LessonReview } from './LessonReview';
import { LessonsList } from './LessonsList';

/** Lessons: the profile's lessons, or one lesson's review (#/lessons/12). */
export function LessonsPage({ profileId, lessonId }: { profileId: number; lessonId: number | null }) {
  return lessonId ? <LessonReview lessonId={lessonId} /> : <LessonsList profileId={profileId} />;
}
