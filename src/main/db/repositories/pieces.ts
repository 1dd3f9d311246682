import type { Database } from 'better-sqlite3';
import type { PieceRecord } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import type { Score } from '../../../shared/score';

interface PieceRow {
  id: number;
  title: string;
  composer: string;
  origin: 'starter' | 'import';
  difficulty: number | null;
  category: string;
  measure_count: number;
  note_count: number;
  created_at: number;
}

const RECORD_COLUMNS =
  'id, title, composer, origin, difficulty, category, measure_count, note_count, created_at';

const toRecord = (row: PieceRow): PieceRecord => ({
  id: row.id,
  title: row.title,
  composer: row.composer,
  origin: row.origin,
  difficulty: row.difficulty,
  category: row.category,
  measureCount: row.measure_count,
  noteCount: row.note_count,
  createdAt: row.created_at,
});

export interface NewPiece {
  title: string;
  composer: string;
  origin: 'starter' | 'import';
  starterKey?: string;
  difficulty: number | null;
  category: string;
  sourceFileName?: string;
  sourceBytes?: Uint8Array;
  score: Score;
}

export function insertPiece(db: Database, piece: NewPiece, now: number = Date.now()): PieceRecord {
  const info = db
    .prepare(
      `INSERT INTO pieces (title, composer, origin, starter_key, difficulty, category, source_file_name,
         source_bytes, score_json, measure_count, note_count, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      piece.title,
      piece.composer,
      piece.origin,
      piece.starterKey ?? null,
      piece.difficulty,
      piece.category,
      piece.sourceFileName ?? null,
      piece.sourceBytes ? Buffer.from(piece.sourceBytes) : null,
      JSON.stringify(piece.score),
      piece.score.measures.length,
      piece.score.notes.length,
      now,
    );
  return getPieceRecord(db, Number(info.lastInsertRowid));
}

export function listPieces(db: Database): PieceRecord[] {
  const rows = db
    .prepare(`SELECT ${RECORD_COLUMNS} FROM pieces ORDER BY origin DESC, category, difficulty, title, id`)
    .all() as PieceRow[];
  return rows.map(toRecord);
}

export function getPieceRecord(db: Database, id: number): PieceRecord {
  const row = db.prepare(`SELECT ${RECORD_COLUMNS} FROM pieces WHERE id = ?`).get(id) as PieceRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No piece with id ${id}.`);
  return toRecord(row);
}

export function getPieceScore(db: Database, id: number): Score {
  const json = db.prepare('SELECT score_json FROM pieces WHERE id = ?').pluck().get(id) as string | undefined;
  if (json === undefined) throw new AppError('NOT_FOUND', `No piece with id ${id}.`);
  return JSON.parse(json) as Score;
}

export function starterKeys(db: Database): Set<string> {
  const keys = db.prepare('SELECT starter_key FROM pieces WHERE starter_key IS NOT NULL').pluck().all() as string[];
  return new Set(keys);
}

/** Deletes the piece and (by cascade) every attempt at it. */
export function deletePiece(db: Database, id: number): void {
  const info = db.prepare('DELETE FROM pieces WHERE id = ?').run(id);
  if (info.changes === 0) throw new AppError('NOT_FOUND', `No piece with id ${id}.`);
}
