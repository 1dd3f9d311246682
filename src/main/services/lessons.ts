/**
 * Lessons (teacher review): import MIDI or audio takes for a student, transcribe audio in the
 * background (jobs/runner), review against an attached score, annotate bars. Exports and bundles
 * are in lessons-exports.ts.
 */
import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import type { LessonAnnotation, LessonDetail, LessonJobStage, LessonRecord, LessonReview, LessonSourceKind } from '../../shared/lessons';
import type { Performance } from '../../shared/performance';
import { getPieceRecord, getProfile } from '../db';
import * as repo from '../db/lessons';
import { probeAudioFile } from '../audio/decode/decode-audio';
import { JobRunner } from '../jobs/runner';
import type { JobOutcome } from '../jobs/runner';
import type { ServiceEvents } from './events';
import { LessonFiles, sha256Hex } from './lessons-files';
import { computeReview } from './lessons-review';
import type { LessonTranscriber } from './lessons-transcriber';
import type { ScoreCache } from './score-cache';

/** Recordings: about an hour of 16-bit stereo 44.1 kHz WAV would be 600 MB; this is ~25 min. */
export const MAX_LESSON_BYTES = 150 * 1024 * 1024;
export const INTERRUPTED_ERROR = 'interrupted: Seminote stopped while this recording was being transcribed; retry it.';

const MIDI_EXTENSIONS = ['.mid', '.midi'];
const AUDIO_EXTENSIONS = ['.wav', '.flac', '.mp3', '.ogg', '.oga'];
const TRANSCRIPTION_JOB = 'transcription';
/** No decoder in Seminote reads AAC (codecs: WAV, FLAC, MP3, Ogg Vorbis), so these get a precise refusal. */
const AAC_EXTENSIONS = ['.m4a', '.aac'];
const aacRefusal = (fileName: string) => new AppError('UNSUPPORTED', `${fileName}: m4a/AAC is not decodable here: convert to wav/flac/mp3/ogg.`);
/** An MPEG-4 container ("ftyp" box first): an m4a whatever its name says. */
const isMp4Container = (bytes: Uint8Array) => bytes.length >= 8 && Buffer.from(bytes.subarray(4, 8)).toString('latin1') === 'ftyp';

export function lessonSourceKind(fileName: string): LessonSourceKind {
  const lower = fileName.toLowerCase();
  if (MIDI_EXTENSIONS.some((e) => lower.endsWith(e))) return 'midi';
  if (AUDIO_EXTENSIONS.some((e) => lower.endsWith(e))) return 'audio';
  if (AAC_EXTENSIONS.some((e) => lower.endsWith(e))) throw aacRefusal(fileName);
  throw new AppError('UNSUPPORTED', `${fileName}: lessons can be MIDI (.mid, .midi) or audio (.wav, .flac, .mp3, .ogg) files.`);
}

/** Strict base64 (Buffer.from skips bad characters silently, hiding corruption). */
export function decodeLessonBase64(data: string, what: string, limit = MAX_LESSON_BYTES): Uint8Array {
  const clean = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new AppError('INVALID_ARGUMENT', `${what} is not valid base64.`);
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length > limit) throw new AppError('INVALID_ARGUMENT', `${what} is too large (${bytes.length} bytes; the limit is ${limit}).`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const titleFrom = (fileName: string) => fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '') || fileName;

export interface LessonServiceDeps {
  db: Database;
  dataDir: string;
  events: ServiceEvents;
  scores: ScoreCache;
  transcriber: LessonTranscriber;
  now?: () => number;
}

export class LessonService {
  readonly files: LessonFiles;
  readonly jobs = new JobRunner();
  private readonly now: () => number;
  /** Set on dispose: jobs ended by shutdown keep their status, for restart recovery to mark. */
  private disposing = false;

  constructor(readonly deps: LessonServiceDeps) {
    this.files = new LessonFiles(deps.dataDir);
    this.now = deps.now ?? Date.now;
    this.recoverInterrupted();
  }

  /** Jobs that were queued or running when the app stopped are marked failed, never left 'transcribing'. */
  private recoverInterrupted(): void {
    const { db } = this.deps;
    for (const id of repo.unfinishedLessonIds(db)) repo.setLessonStatus(db, id, 'failed', 0, INTERRUPTED_ERROR);
    // Files whose row is gone (a deleted student cascades rows, not files) or a crashed import's temp file.
    const kept = new Set(db.prepare('SELECT source_path FROM lessons').pluck().all() as string[]);
    this.files.removeExcept(kept);
  }

  list(profileId?: number): LessonRecord[] {
    return repo.listLessons(this.deps.db, profileId);
  }

  detail(lessonId: number): LessonDetail {
    const { db } = this.deps;
    return {
      lesson: repo.getLesson(db, lessonId),
      performance: repo.getLessonPerformance(db, lessonId),
      review: repo.getLessonReview(db, lessonId),
      annotations: repo.listAnnotations(db, lessonId),
    };
  }

  reviewFor(pieceId: number | null, performance: Performance | null): LessonReview | null {
    if (pieceId === null || performance === null) return null;
    return computeReview(this.deps.scores.get(pieceId), performance);
  }

  /** Parses (MIDI) or probes (audio) first, stores after: a bad file leaves nothing behind. */
  async import(args: { profileId: number; pieceId?: number | null | undefined; fileName: string; title?: string | undefined; dataBase64: string }): Promise<LessonRecord> {
    const { db } = this.deps;
    getProfile(db, args.profileId);
    const pieceId = args.pieceId ?? null;
    if (pieceId !== null) getPieceRecord(db, pieceId);
    const kind = lessonSourceKind(args.fileName);
    const bytes = decodeLessonBase64(args.dataBase64, args.fileName);
    if (kind === 'audio' && isMp4Container(bytes)) throw aacRefusal(args.fileName);
    let performance: Performance | null = null;
    if (kind === 'midi') {
      const { performanceFromMidi } = await import('../../core/music');
      performance = performanceFromMidi(bytes);
      if (performance.notes.length === 0) throw new AppError('UNSUPPORTED', `${args.fileName}: the MIDI file has no notes.`);
    }
    const temp = this.files.writeTemp(bytes, args.fileName);
    try {
      if (kind === 'audio') await probeAudioFile(temp);
      const review = this.reviewFor(pieceId, performance);
      const record = this.store(temp, {
        profileId: args.profileId,
        pieceId,
        title: args.title ?? titleFrom(args.fileName),
        createdAt: this.now(),
        sourceKind: kind,
        sourceFileName: args.fileName,
        sourceSha256: sha256Hex(bytes),
        sourceSize: bytes.length,
        status: kind === 'midi' ? 'ready' : 'pending',
        progress: kind === 'midi' ? 1 : 0,
        error: null,
        performance,
        review,
      });
      if (kind === 'audio') this.startTranscription(record.id);
      return repo.getLesson(db, record.id);
    } catch (err) {
      this.files.remove(temp);
      throw err;
    }
  }

  /** Inserts the row and moves the temp file to its name in one step (the row only commits with its file). */
  store(tempPath: string, lesson: Omit<repo.NewLesson, 'sourcePath'>, annotations: Omit<LessonAnnotation, 'id' | 'lessonId'>[] = []): LessonRecord {
    const { db } = this.deps;
    return db.transaction(() => {
      const record = repo.insertLesson(db, { ...lesson, sourcePath: '' });
      for (const a of annotations) repo.insertAnnotation(db, record.id, a.measureIndex, a.text, a.createdAt);
      const relative = this.files.commit(tempPath, record.id, lesson.sourceFileName);
      db.prepare('UPDATE lessons SET source_path = ? WHERE id = ?').run(relative, record.id);
      return record;
    })();
  }

  /** Never throws: it runs inside the worker's message handler, and the lesson may be gone (student deleted). */
  private emit(lessonId: number, stage: LessonJobStage, progress: number, error?: string): void {
    const { db } = this.deps;
    if (!db.open) return;
    const status = db.prepare('SELECT status FROM lessons WHERE id = ?').pluck().get(lessonId) as LessonRecord['status'] | undefined;
    if (status === undefined) return;
    this.deps.events.emit('lessons.progress', { lessonId, progress, stage, status, ...(error ? { error } : {}) });
  }

  private startTranscription(lessonId: number): void {
    const { db, transcriber } = this.deps;
    let progress = 0;
    let reported = -1;
    const advance = (stage: LessonJobStage, value: number) => {
      progress = Math.max(progress, Math.min(1, value));
      // Progress is stored and pushed in 1 % steps: a long file reports thousands of fractions.
      if (progress - reported < 0.01 && progress < 1) return;
      reported = progress;
      if (db.open) repo.setLessonStatus(db, lessonId, 'transcribing', progress);
      this.emit(lessonId, stage, progress);
    };
    this.emit(lessonId, 'queued', 0);
    void this.jobs.enqueue({
      kind: TRANSCRIPTION_JOB,
      key: `lesson:${lessonId}`,
      run: async ({ signal }) => {
        repo.setLessonStatus(db, lessonId, 'transcribing', 0);
        const path = this.files.absolute(repo.getLessonSourcePath(db, lessonId));
        const performance = await transcriber.transcribe(path, {
          signal,
          onProgress: (stage, fraction) => advance(stage, stage === 'decode' ? 0.3 * fraction : 0.3 + 0.65 * fraction),
        });
        if (signal.aborted) return;
        advance('review', 0.95);
        // The score may have been attached while the job ran: read it now.
        const review = this.reviewFor(repo.getLesson(db, lessonId).pieceId, performance);
        repo.setLessonResult(db, lessonId, performance, review);
      },
      onEnd: (outcome: JobOutcome) => this.endTranscription(lessonId, outcome),
    });
  }

  private endTranscription(lessonId: number, outcome: JobOutcome): void {
    const { db } = this.deps;
    if (this.disposing || !db.open || !db.prepare('SELECT 1 FROM lessons WHERE id = ?').get(lessonId)) return; // deleted meanwhile
    if (outcome.status === 'done') {
      this.emit(lessonId, 'done', 1);
    } else if (outcome.status === 'cancelled') {
      repo.setLessonStatus(db, lessonId, 'cancelled', repo.getLesson(db, lessonId).progress);
      this.emit(lessonId, 'cancelled', repo.getLesson(db, lessonId).progress);
    } else {
      repo.setLessonStatus(db, lessonId, 'failed', repo.getLesson(db, lessonId).progress, outcome.error);
      this.emit(lessonId, 'failed', repo.getLesson(db, lessonId).progress, outcome.error);
    }
  }

  async cancel(lessonId: number): Promise<LessonRecord> {
    const lesson = repo.getLesson(this.deps.db, lessonId);
    const ending = this.jobs.cancel(`lesson:${lessonId}`);
    if (!ending) throw new AppError('CONFLICT', `Lesson ${lessonId} is not being transcribed (status ${lesson.status}).`);
    await ending;
    return repo.getLesson(this.deps.db, lessonId);
  }

  /** Queues a failed, cancelled or interrupted audio lesson's transcription again. */
  retry(lessonId: number): LessonRecord {
    const { db } = this.deps;
    const lesson = repo.getLesson(db, lessonId);
    if (lesson.sourceKind !== 'audio') throw new AppError('CONFLICT', `Lesson ${lessonId} is MIDI: there is nothing to transcribe.`);
    if (lesson.status !== 'failed' && lesson.status !== 'cancelled') {
      throw new AppError('CONFLICT', `Lesson ${lessonId} is ${lesson.status}; only a failed or cancelled transcription can be retried.`);
    }
    repo.setLessonStatus(db, lessonId, 'pending', 0);
    this.startTranscription(lessonId);
    return repo.getLesson(db, lessonId);
  }

  attachScore(lessonId: number, pieceId: number | null): LessonDetail {
    const { db } = this.deps;
    repo.getLesson(db, lessonId);
    if (pieceId !== null) getPieceRecord(db, pieceId);
    repo.setLessonPiece(db, lessonId, pieceId, this.reviewFor(pieceId, repo.getLessonPerformance(db, lessonId)));
    return this.detail(lessonId);
  }

  annotate(lessonId: number, measureIndex: number, text: string): LessonAnnotation {
    const { db } = this.deps;
    const lesson = repo.getLesson(db, lessonId);
    if (lesson.pieceId !== null) {
      const measures = this.deps.scores.get(lesson.pieceId).measures.length;
      if (measureIndex >= measures) throw new AppError('INVALID_ARGUMENT', `measureIndex ${measureIndex} is past the score's ${measures} bars.`);
    }
    return repo.insertAnnotation(db, lessonId, measureIndex, text, this.now());
  }

  async delete(lessonId: number): Promise<void> {
    const { db } = this.deps;
    const path = repo.getLessonSourcePath(db, lessonId);
    await this.jobs.cancel(`lesson:${lessonId}`);
    repo.deleteLessonRow(db, lessonId);
    if (path) this.files.remove(path);
  }

  async dispose(): Promise<void> {
    this.disposing = true;
    await this.jobs.stopAll();
    await this.deps.transcriber.dispose();
  }
}
