import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { Score } from '../../../shared/score';
import type { AttemptSummary, NoteVerdict } from '../../../shared/evaluation';
import { openDatabase } from '../connection';
import { createProfile, deleteProfile, listProfiles } from './profiles';
import { deletePiece, getPieceScore, insertPiece, listPieces } from './pieces';
import { getAttempt, listAttempts, saveAttempt } from './attempts';
import { getAllSettings, setSetting } from './settings';

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seminote-repo-'));
  db = openDatabase(join(dir, 'r.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const score: Score = {
  title: 'T',
  composer: 'C',
  source: 'generated',
  parts: [{ id: 'P1', name: 'Piano', staves: 2 }],
  measures: [],
  notes: [],
  tempos: [{ beats: 0, qpm: 100 }],
};
const summary: AttemptSummary = {
  correct: 1,
  wrong: 1,
  missed: 0,
  extra: 1,
  accuracy: 1 / 3,
  meanAbsTimingErrorMs: 12,
  p90AbsTimingErrorMs: 20,
  durationSec: 3,
  bars: [],
};
const verdicts: NoteVerdict[] = [
  { verdict: 'correct', scoreNoteId: 'n1', performanceIndex: 0, timingErrorMs: -12 },
  { verdict: 'wrong', scoreNoteId: 'n2', performanceIndex: 1, timingErrorMs: 4, playedPitch: 61 },
  { verdict: 'extra', scoreNoteId: null, performanceIndex: 2, timingErrorMs: null },
];

describe('repositories', () => {
  it('round-trips profiles, pieces, attempts and settings; cascades deletes', () => {
    const ana = createProfile(db, 'Ana', 5);
    expect(() => createProfile(db, 'Ana')).toThrowError(/already exists/);
    const piece = insertPiece(db, { title: 'T', composer: 'C', origin: 'import', difficulty: null, category: 'x', score });
    expect(listPieces(db)).toHaveLength(1);
    expect(getPieceScore(db, piece.id)).toEqual(score);
    const saved = saveAttempt(
      db,
      { profileId: ana.id, pieceId: piece.id, startedAt: 1, finishedAt: 2, mode: 'wait', hands: 'both', tempoFactor: 0.5, summary },
      verdicts,
    );
    expect(getAttempt(db, saved.id).verdicts).toEqual(verdicts);
    expect(listAttempts(db, ana.id, piece.id).map((a) => a.accuracy)).toEqual([1 / 3]);
    setSetting(db, 'metronome', { volume: 0.5 });
    expect(getAllSettings(db)).toEqual({ metronome: { volume: 0.5 } });
    deletePiece(db, piece.id);
    expect(listAttempts(db, ana.id)).toEqual([]);
    deleteProfile(db, ana.id);
    expect(listProfiles(db)).toEqual([]);
    expect(() => deleteProfile(db, ana.id)).toThrowError(/No profile/);
  });

  it('rejects an attempt for a profile that does not exist (foreign keys on)', () => {
    const piece = insertPiece(db, { title: 'T', composer: 'C', origin: 'import', difficulty: null, category: 'x', score });
    expect(() =>
      saveAttempt(
        db,
        { profileId: 999, pieceId: piece.id, startedAt: 1, finishedAt: 2, mode: 'wait', hands: 'both', tempoFactor: 1, summary },
        verdicts,
      ),
    ).toThrowError(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) FROM attempt_notes').pluck().get()).toBe(0);
  });
});
