/**
 * Parsed scores by piece id. Parsing a large score's JSON costs tens of milliseconds on the main
 * loop, where it would hold up every other take's live feedback (serve mode); a stored score never
 * changes, so the few most recent stay parsed. Consumers must treat the Score as read-only.
 */
import type { Database } from 'better-sqlite3';
import type { Score } from '../../shared/score';
import { getPieceScore } from '../db';

export class ScoreCache {
  private readonly scores = new Map<number, Score>();

  constructor(
    private readonly db: Database,
    private readonly capacity = 8,
  ) {}

  get(pieceId: number): Score {
    const cached = this.scores.get(pieceId);
    if (cached) {
      // Re-insert: Map order is the eviction order (least recently used first).
      this.scores.delete(pieceId);
      this.scores.set(pieceId, cached);
      return cached;
    }
    const score = getPieceScore(this.db, pieceId);
    this.scores.set(pieceId, score);
    if (this.scores.size > this.capacity) this.scores.delete(this.scores.keys().next().value!);
    return score;
  }

  forget(pieceId: number): void {
    this.scores.delete(pieceId);
  }
}
