/**
 * Teacher review: lessons are recorded or imported takes (MIDI or audio) attached to a student and,
 * optionally, a score. Audio lessons are transcribed by a background job; the review (alignment +
 * grading against the attached score) is stored with the lesson.
 */
import type { EvaluationResult } from './evaluation';
import type { Performance } from './performance';
import type { Hand } from './score';

export type LessonSourceKind = 'midi' | 'audio';

/** pending = queued for transcription; transcribing = the job is running. */
export type LessonStatus = 'pending' | 'transcribing' | 'ready' | 'failed' | 'cancelled';

export interface LessonRecord {
  id: number;
  profileId: number;
  /** The attached score (a library piece), null when none is attached yet. */
  pieceId: number | null;
  title: string;
  createdAt: number;
  sourceKind: LessonSourceKind;
  sourceFileName: string;
  /** sha256 (hex) of the source bytes, which live in a file under the data dir. */
  sourceSha256: string;
  sourceBytes: number;
  status: LessonStatus;
  /** 0..1; 1 once ready. */
  progress: number;
  /** Why the lesson failed (status 'failed'), else null. */
  error: string | null;
  /** Overall accuracy of the stored review, null without one (quick figure for the list). */
  accuracy: number | null;
}

/** Same shape as core/evaluate's FeedbackItem: one actionable remark anchored to bars and a hand. */
export interface LessonFeedbackItem {
  kind: 'missed' | 'wrong' | 'rushing' | 'dragging' | 'uneven' | 'hands-apart';
  fromMeasure: number;
  toMeasure: number;
  hand: Hand | null;
  severity: number;
  text: string;
}

/** Tempo of one bar from the notes played in it (quarter notes per minute), for the tempo plot. */
export interface BarTempo {
  measureIndex: number;
  measureNumber: string;
  qpm: number;
}

export interface LessonReview {
  evaluation: EvaluationResult;
  feedback: LessonFeedbackItem[];
  tempoByBar: BarTempo[];
  /** The score's written tempo at its start (qpm), the reference line of the tempo plot. */
  writtenQpm: number | null;
}

export interface LessonAnnotation {
  id: number;
  lessonId: number;
  /** Index into the score's measures (playing order). */
  measureIndex: number;
  text: string;
  createdAt: number;
}

export interface LessonDetail {
  lesson: LessonRecord;
  /** The played notes (MIDI as imported, or transcribed); null until transcription finishes. */
  performance: Performance | null;
  /** Null when no score is attached or no performance exists yet. */
  review: LessonReview | null;
  annotations: LessonAnnotation[];
}

export type LessonJobStage = 'queued' | 'decode' | 'inference' | 'review' | 'done' | 'failed' | 'cancelled';

/** Push event 'lessons.progress'. */
export interface LessonProgress {
  lessonId: number;
  /** 0..1, never decreasing within one job. */
  progress: number;
  stage: LessonJobStage;
  status: LessonStatus;
  error?: string;
}

/** A file handed back to the renderer to save. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  dataBase64: string;
}
