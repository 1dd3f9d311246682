/** The piece library: starter exercises seeded once, user imports parsed through core/music. */
import type { Database } from 'better-sqlite3';
import type { PieceRecord } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { Score } from '../../shared/score';
import { deletePiece, getPieceRecord, insertPiece, listPieces, starterKeys } from '../db';
import type { ScoreCache } from './score-cache';

/** Refuse absurd inputs before decoding (the schema caps base64 length; this caps the bytes). */
export const MAX_IMPORT_BYTES = 30 * 1024 * 1024;

export interface StarterPiece {
  key: string;
  title: string;
  composer: string;
  category: string;
  difficulty: number | null;
  score: Score;
}

/** Strict base64 decoding: Buffer.from silently skips bad characters, which would hide corruption. */
export function decodeBase64(data: string, what: string): Uint8Array {
  const clean = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new AppError('INVALID_ARGUMENT', `${what} is not valid base64.`);
  }
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new AppError('INVALID_ARGUMENT', `${what} is too large (${bytes.length} bytes; the limit is ${MAX_IMPORT_BYTES}).`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Adds the starter pieces not yet present (idempotent: keyed by StarterPiece.key). */
export function seedStarterLibrary(db: Database, pieces: readonly StarterPiece[]): number {
  const present = starterKeys(db);
  const missing = pieces.filter((p) => !present.has(p.key));
  db.transaction(() => {
    for (const p of missing) {
      insertPiece(db, {
        title: p.title,
        composer: p.composer,
        origin: 'starter',
        starterKey: p.key,
        difficulty: p.difficulty,
        category: p.category,
        score: p.score,
      });
    }
  })();
  return missing.length;
}

/**
 * Parses first, stores after: a file that fails to import leaves nothing behind. The parsers
 * are loaded on first use: they are most of the start-up time and most sessions import nothing.
 */
export async function importPiece(db: Database, fileName: string, dataBase64: string): Promise<PieceRecord> {
  const bytes = decodeBase64(dataBase64, fileName);
  const { importScore } = await import('../../core/music');
  const score = importScore(fileName, bytes);
  if (score.notes.length === 0) {
    throw new AppError('UNSUPPORTED', `${fileName}: the score has no notes to practise.`);
  }
  return insertPiece(db, {
    title: score.title,
    composer: score.composer,
    origin: 'import',
    difficulty: null,
    category: 'Imported',
    sourceFileName: fileName,
    sourceBytes: bytes,
    score,
  });
}

export function libraryHandlers(db: Database, scores: ScoreCache) {
  return {
    'library.list': () => listPieces(db),
    'library.getScore': ({ pieceId }: { pieceId: number }) => ({
      piece: getPieceRecord(db, pieceId),
      score: scores.get(pieceId),
    }),
    'library.import': ({ fileName, dataBase64 }: { fileName: string; dataBase64: string }) =>
      importPiece(db, fileName, dataBase64),
    'library.delete': ({ pieceId }: { pieceId: number }) => {
      deletePiece(db, pieceId);
      scores.forget(pieceId);
      return { deleted: true as const };
    },
  };
}
