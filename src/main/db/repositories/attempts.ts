/**
 * Attempts and their per-note verdicts. An attempt is written in ONE transaction: a process killed
 * while writing leaves no partial attempt, and a committed one is never lost (WAL, synchronous=FULL).
 */
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { AttemptSummary, NoteVerdict, NoteVerdictKind } from '../../../shared/evaluation';
import type { AttemptDetail, AttemptRecord, HandsSelection, PracticeMode } from '../../../shared/practice';

export interface NewAttempt {
  profileId: number;
  pieceId: number;
  startedAt: number;
  finishedAt: number;
  mode: PracticeMode;
  hands: HandsSelection;
  tempoFactor: number;
  summary: AttemptSummary;
}

interface AttemptRow {
  id: number;
  profile_id: number;
  piece_id: number;
  started_at: number;
  finished_at: number;
  mode: PracticeMode;
  hands: HandsSelection;
  tempo_factor: number;
  accuracy: number;
  summary_json: string;
}

interface NoteRow {
  verdict: NoteVerdictKind;
  score_note_id: string | null;
  performance_index: number | null;
  timing_error_ms: number | null;
  played_pitch: number | null;
}

const toRecord = (row: AttemptRow): AttemptRecord => ({
  id: row.id,
  profileId: row.profile_id,
  pieceId: row.piece_id,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  mode: row.mode,
  hands: row.hands,
  tempoFactor: row.tempo_factor,
  accuracy: row.accuracy,
  summary: JSON.parse(row.summary_json) as AttemptSummary,
});

const toVerdict = (row: NoteRow): NoteVerdict => {
  const verdict: NoteVerdict = {
    verdict: row.verdict,
    scoreNoteId: row.score_note_id,
    performanceIndex: row.performance_index,
    timingErrorMs: row.timing_error_ms,
  };
  if (row.played_pitch !== null) verdict.playedPitch = row.played_pitch;
  return verdict;
};

/**
 * Saves the attempt and all its verdicts atomically. `verdicts` may be any iterable; it is consumed
 * inside the transaction, so nothing is visible to readers until every row is written.
 */
export function saveAttempt(db: Database, attempt: NewAttempt, verdicts: Iterable<NoteVerdict>): AttemptDetail {
  const insertAttempt = db.prepare(
    `INSERT INTO attempts (profile_id, piece_id, started_at, finished_at, mode, hands, tempo_factor, accuracy, summary_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertNote = db.prepare(
    `INSERT INTO attempt_notes (attempt_id, seq, verdict, score_note_id, performance_index, timing_error_ms, played_pitch)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const id = db.transaction(() => {
    const info = insertAttempt.run(
      attempt.profileId,
      attempt.pieceId,
      attempt.startedAt,
      attempt.finishedAt,
      attempt.mode,
      attempt.hands,
      attempt.tempoFactor,
      attempt.summary.accuracy,
      JSON.stringify(attempt.summary),
    );
    const attemptId = Number(info.lastInsertRowid);
    let seq = 0;
    for (const v of verdicts) {
      insertNote.run(attemptId, seq++, v.verdict, v.scoreNoteId, v.performanceIndex, v.timingErrorMs, v.playedPitch ?? null);
    }
    return attemptId;
  })();
  return getAttempt(db, id);
}

export function listAttempts(db: Database, profileId: number, pieceId?: number): AttemptRecord[] {
  const rows =
    pieceId === undefined
      ? db.prepare('SELECT * FROM attempts WHERE profile_id = ? ORDER BY finished_at DESC, id DESC').all(profileId)
      : db
          .prepare('SELECT * FROM attempts WHERE profile_id = ? AND piece_id = ? ORDER BY finished_at DESC, id DESC')
          .all(profileId, pieceId);
  return (rows as AttemptRow[]).map(toRecord);
}

export function getAttempt(db: Database, id: number): AttemptDetail {
  const row = db.prepare('SELECT * FROM attempts WHERE id = ?').get(id) as AttemptRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No attempt with id ${id}.`);
  const notes = db
    .prepare(
      'SELECT verdict, score_note_id, performance_index, timing_error_ms, played_pitch FROM attempt_notes WHERE attempt_id = ? ORDER BY seq',
    )
    .all(id) as NoteRow[];
  return { ...toRecord(row), verdicts: notes.map(toVerdict) };
}
