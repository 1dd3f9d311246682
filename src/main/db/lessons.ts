/** Lesson rows and their annotations. Source bytes live in files; see services/lessons-files. */
import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import type { Performance } from '../../shared/performance';
import type { LessonAnnotation, LessonRecord, LessonReview, LessonSourceKind, LessonStatus } from '../../shared/lessons';

interface LessonRow {
  id: number;
  profile_id: number;
  piece_id: number | null;
  title: string;
  created_at: number;
  source_kind: LessonSourceKind;
  source_file_name: string;
  source_sha256: string;
  source_size: number;
  status: LessonStatus;
  progress: number;
  error: string | null;
  accuracy: number | null;
}

const RECORD_COLUMNS =
  'id, profile_id, piece_id, title, created_at, source_kind, source_file_name, source_sha256, source_size, status, progress, error, accuracy';

const toRecord = (row: LessonRow): LessonRecord => ({
  id: row.id,
  profileId: row.profile_id,
  pieceId: row.piece_id,
  title: row.title,
  createdAt: row.created_at,
  sourceKind: row.source_kind,
  sourceFileName: row.source_file_name,
  sourceSha256: row.source_sha256,
  sourceBytes: row.source_size,
  status: row.status,
  progress: row.progress,
  error: row.error,
  accuracy: row.accuracy,
});

export interface NewLesson {
  profileId: number;
  pieceId: number | null;
  title: string;
  createdAt: number;
  sourceKind: LessonSourceKind;
  sourceFileName: string;
  sourcePath: string;
  sourceSha256: string;
  sourceSize: number;
  status: LessonStatus;
  progress: number;
  error: string | null;
  performance: Performance | null;
  review: LessonReview | null;
}

export function insertLesson(db: Database, lesson: NewLesson): LessonRecord {
  const info = db
    .prepare(
      `INSERT INTO lessons (profile_id, piece_id, title, created_at, source_kind, source_file_name, source_path,
         source_sha256, source_size, status, progress, error, performance_json, review_json, accuracy)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      lesson.profileId,
      lesson.pieceId,
      lesson.title,
      lesson.createdAt,
      lesson.sourceKind,
      lesson.sourceFileName,
      lesson.sourcePath,
      lesson.sourceSha256,
      lesson.sourceSize,
      lesson.status,
      lesson.progress,
      lesson.error,
      lesson.performance ? JSON.stringify(lesson.performance) : null,
      lesson.review ? JSON.stringify(lesson.review) : null,
      lesson.review?.evaluation.summary.accuracy ?? null,
    );
  return getLesson(db, Number(info.lastInsertRowid));
}

export function listLessons(db: Database, profileId?: number): LessonRecord[] {
  const rows = (
    profileId === undefined
      ? db.prepare(`SELECT ${RECORD_COLUMNS} FROM lessons ORDER BY created_at DESC, id DESC`).all()
      : db.prepare(`SELECT ${RECORD_COLUMNS} FROM lessons WHERE profile_id = ? ORDER BY created_at DESC, id DESC`).all(profileId)
  ) as LessonRow[];
  return rows.map(toRecord);
}

export function getLesson(db: Database, id: number): LessonRecord {
  const row = db.prepare(`SELECT ${RECORD_COLUMNS} FROM lessons WHERE id = ?`).get(id) as LessonRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No lesson with id ${id}.`);
  return toRecord(row);
}

export function getLessonSourcePath(db: Database, id: number): string {
  const path = db.prepare('SELECT source_path FROM lessons WHERE id = ?').pluck().get(id) as string | undefined;
  if (path === undefined) throw new AppError('NOT_FOUND', `No lesson with id ${id}.`);
  return path;
}

export function getLessonPerformance(db: Database, id: number): Performance | null {
  const json = db.prepare('SELECT performance_json FROM lessons WHERE id = ?').pluck().get(id) as string | null | undefined;
  if (json === undefined) throw new AppError('NOT_FOUND', `No lesson with id ${id}.`);
  return json === null ? null : (JSON.parse(json) as Performance);
}

export function getLessonReview(db: Database, id: number): LessonReview | null {
  const json = db.prepare('SELECT review_json FROM lessons WHERE id = ?').pluck().get(id) as string | null | undefined;
  if (json === undefined) throw new AppError('NOT_FOUND', `No lesson with id ${id}.`);
  return json === null ? null : (JSON.parse(json) as LessonReview);
}

export function setLessonStatus(db: Database, id: number, status: LessonStatus, progress: number, error: string | null = null): void {
  db.prepare('UPDATE lessons SET status = ?, progress = ?, error = ? WHERE id = ?').run(status, progress, error, id);
}

/** The transcription (or MIDI) result and its review, written together. */
export function setLessonResult(db: Database, id: number, performance: Performance, review: LessonReview | null): void {
  db.prepare(
    `UPDATE lessons SET status = 'ready', progress = 1, error = NULL, performance_json = ?, review_json = ?, accuracy = ?
     WHERE id = ?`,
  ).run(JSON.stringify(performance), review ? JSON.stringify(review) : null, review?.evaluation.summary.accuracy ?? null, id);
}

export function setLessonPiece(db: Database, id: number, pieceId: number | null, review: LessonReview | null): void {
  db.prepare('UPDATE lessons SET piece_id = ?, review_json = ?, accuracy = ? WHERE id = ?').run(
    pieceId,
    review ? JSON.stringify(review) : null,
    review?.evaluation.summary.accuracy ?? null,
    id,
  );
}

/** Jobs that were queued or running when the app stopped; the caller decides their fate. */
export function unfinishedLessonIds(db: Database): number[] {
  return db.prepare("SELECT id FROM lessons WHERE status IN ('pending', 'transcribing') ORDER BY id").pluck().all() as number[];
}

export function deleteLessonRow(db: Database, id: number): void {
  const info = db.prepare('DELETE FROM lessons WHERE id = ?').run(id);
  if (info.changes === 0) throw new AppError('NOT_FOUND', `No lesson with id ${id}.`);
}

interface AnnotationRow {
  id: number;
  lesson_id: number;
  measure_index: number;
  text: string;
  created_at: number;
}

const toAnnotation = (row: AnnotationRow): LessonAnnotation => ({
  id: row.id,
  lessonId: row.lesson_id,
  measureIndex: row.measure_index,
  text: row.text,
  createdAt: row.created_at,
});

export function insertAnnotation(db: Database, lessonId: number, measureIndex: number, text: string, createdAt: number): LessonAnnotation {
  const info = db
    .prepare('INSERT INTO lesson_annotations (lesson_id, measure_index, text, created_at) VALUES (?, ?, ?, ?)')
    .run(lessonId, measureIndex, text, createdAt);
  const row = db.prepare('SELECT * FROM lesson_annotations WHERE id = ?').get(Number(info.lastInsertRowid)) as AnnotationRow;
  return toAnnotation(row);
}

export function listAnnotations(db: Database, lessonId: number): LessonAnnotation[] {
  const rows = db
    .prepare('SELECT * FROM lesson_annotations WHERE lesson_id = ? ORDER BY measure_index, created_at, id')
    .all(lessonId) as AnnotationRow[];
  return rows.map(toAnnotation);
}

export function deleteAnnotation(db: Database, id: number): void {
  const info = db.prepare('DELETE FROM lesson_annotations WHERE id = ?').run(id);
  if (info.changes === 0) throw new AppError('NOT_FOUND', `No annotation with id ${id}.`);
}
