/**
 * Microphone recordings of practice takes, linked to their attempts (table attempt_recordings,
 * migration 20261127T0900). Files live under <dataDir>/recordings; rows keep the relative path so a
 * moved data folder still finds them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';

export const RECORDINGS_DIR = 'recordings';

export interface StoredRecording {
  attemptId: number;
  /** Absolute path of the WAV. */
  path: string;
  sampleRate: number;
  frames: number;
}

/** A fresh file path for a take that is about to start (the attempt does not exist yet). */
export function newTakeRecordingPath(dataDir: string): string {
  const dir = join(dataDir, RECORDINGS_DIR);
  mkdirSync(dir, { recursive: true });
  return join(dir, `take-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.wav`);
}

export function linkRecording(db: Database, dataDir: string, recording: StoredRecording): void {
  const rel = relative(dataDir, recording.path);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new AppError('INVALID_ARGUMENT', `The recording ${recording.path} is outside the data folder.`);
  db.prepare('INSERT OR REPLACE INTO attempt_recordings (attempt_id, path, sample_rate, frames, created_at) VALUES (?, ?, ?, ?, ?)').run(
    recording.attemptId,
    rel.split(sep).join('/'),
    recording.sampleRate,
    recording.frames,
    Date.now(),
  );
}

/** The attempt's recording, or null when it has none. Never a path outside the data folder. */
export function findRecording(db: Database, dataDir: string, attemptId: number): StoredRecording | null {
  const row = db.prepare('SELECT path, sample_rate, frames FROM attempt_recordings WHERE attempt_id = ?').get(attemptId) as
    | { path: string; sample_rate: number; frames: number }
    | undefined;
  if (!row) return null;
  const path = resolve(dataDir, row.path);
  if (!path.startsWith(resolve(dataDir) + sep)) return null;
  return { attemptId, path, sampleRate: row.sample_rate, frames: row.frames };
}

/** A take that saved no attempt leaves no file behind. */
export function discardRecording(path: string): void {
  if (existsSync(path)) rmSync(path, { force: true });
}
