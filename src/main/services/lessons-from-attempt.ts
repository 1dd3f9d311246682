/**
 * "Send to lessons": a saved practice attempt's microphone recording becomes a lesson for the same
 * student and score. The WAV goes through `LessonService.import`, the path every imported recording
 * takes (probe, copy into <dataDir>/lessons, background transcription job, review on the attached
 * score), so the teacher reviews it like any other audio lesson.
 *
 * MIDI takes cannot be sent: attempts keep per-note verdicts (pitch, timing error) but not the
 * played notes' onsets, durations and velocities, so there is no performance to rebuild.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { LessonRecord } from '../../shared/lessons';
import { getAttempt, getPieceRecord } from '../db';
import { findRecording } from '../live/recordings-store';
import type { LessonService } from './lessons';
import { sha256Hex } from './lessons-files';

export interface LessonFromAttemptArgs {
  attemptId: number;
  title?: string | undefined;
}

/** "Clair de lune · practice 2026-11-27 09:12" (UTC: the main process has no user locale to go by). */
function defaultTitle(pieceTitle: string, finishedAt: number): string {
  return `${pieceTitle} · practice ${new Date(finishedAt).toISOString().slice(0, 16).replace('T', ' ')}`;
}

export async function lessonFromAttempt(service: LessonService, args: LessonFromAttemptArgs): Promise<LessonRecord> {
  const { db, dataDir } = service.deps;
  const attempt = getAttempt(db, args.attemptId); // NOT_FOUND for an unknown attempt
  const stored = findRecording(db, dataDir, attempt.id);
  if (!stored) {
    throw new AppError(
      'CONFLICT',
      `Attempt ${attempt.id} has no recording: only microphone takes can be sent to lessons (a MIDI take keeps its verdicts, not the notes played).`,
    );
  }
  const bytes = await readFile(stored.path).catch((err: Error) => {
    throw new AppError('NOT_FOUND', `The recording of attempt ${attempt.id} is missing (${stored.path}): ${err.message}`);
  });
  // The same take sent twice would be two identical lessons: point at the first instead.
  const existing = db
    .prepare('SELECT id, title FROM lessons WHERE profile_id = ? AND source_sha256 = ? ORDER BY id LIMIT 1')
    .get(attempt.profileId, sha256Hex(bytes)) as { id: number; title: string } | undefined;
  if (existing) throw new AppError('CONFLICT', `This take is already lesson ${existing.id} ("${existing.title}").`);

  const piece = getPieceRecord(db, attempt.pieceId);
  return service.import({
    profileId: attempt.profileId,
    pieceId: attempt.pieceId,
    fileName: `attempt-${attempt.id}.wav`,
    title: args.title ?? defaultTitle(piece.title, attempt.finishedAt),
    dataBase64: bytes.toString('base64'),
  });
}
