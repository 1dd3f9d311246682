import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { Score } from '../../shared/score';
import { createProfile, deleteProfile, insertPiece, openDatabase, saveAttempt } from '../db';
import { discardRecording, findRecording, linkRecording, newTakeRecordingPath } from './recordings-store';

let dir = '';
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seminote-recordings-'));
  db = openDatabase(join(dir, 'r.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const score: Score = { title: 'T', composer: 'C', source: 'generated', parts: [{ id: 'P1', name: 'Piano', staves: 2 }], measures: [], notes: [], tempos: [{ beats: 0, qpm: 100 }] };

function attempt(): { attemptId: number; profileId: number } {
  const profile = createProfile(db, `P${Math.random()}`);
  const piece = insertPiece(db, { title: 'T', composer: 'C', origin: 'import', difficulty: null, category: 'x', score });
  const summary = { correct: 0, wrong: 0, missed: 0, extra: 0, accuracy: 0, meanAbsTimingErrorMs: null, p90AbsTimingErrorMs: null, durationSec: 1, bars: [] };
  const saved = saveAttempt(db, { profileId: profile.id, pieceId: piece.id, startedAt: 1, finishedAt: 2, mode: 'wait', hands: 'both', tempoFactor: 1, summary }, []);
  return { attemptId: saved.id, profileId: profile.id };
}

describe('attempt recordings', () => {
  it('links a take file to its attempt by a path relative to the data folder', () => {
    const { attemptId } = attempt();
    const path = newTakeRecordingPath(dir);
    writeFileSync(path, 'RIFF');
    linkRecording(db, dir, { attemptId, path, sampleRate: 48_000, frames: 96_000 });
    expect(findRecording(db, dir, attemptId)).toEqual({ attemptId, path, sampleRate: 48_000, frames: 96_000 });
    const row = db.prepare('SELECT path FROM attempt_recordings WHERE attempt_id = ?').get(attemptId) as { path: string };
    expect(row.path.startsWith('recordings/take-')).toBe(true);
    expect(findRecording(db, dir, attemptId + 1)).toBeNull();
  });

  it('refuses a file outside the data folder, and never resolves a stored path out of it', () => {
    const { attemptId } = attempt();
    expect(() => linkRecording(db, dir, { attemptId, path: '/etc/passwd', sampleRate: 48_000, frames: 1 })).toThrow(/outside the data folder/);
    db.prepare('INSERT INTO attempt_recordings (attempt_id, path, sample_rate, frames, created_at) VALUES (?, ?, ?, ?, ?)').run(attemptId, '../../etc/passwd', 48_000, 1, 0);
    expect(findRecording(db, dir, attemptId)).toBeNull();
  });

  it('goes with its attempt when the profile is deleted; discard removes a file', () => {
    const { attemptId, profileId } = attempt();
    const path = newTakeRecordingPath(dir);
    writeFileSync(path, 'RIFF');
    linkRecording(db, dir, { attemptId, path, sampleRate: 48_000, frames: 1 });
    deleteProfile(db, profileId);
    expect(findRecording(db, dir, attemptId)).toBeNull();
    discardRecording(path);
    expect(existsSync(path)).toBe(false);
  });
});
