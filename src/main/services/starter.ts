/** The built-in exercises (src/core/library) in the shape the library seeder stores. */
import { starterLibrary } from '../../core/library';
import type { StarterPiece } from './library';

export function loadStarterPieces(): StarterPiece[] {
  return starterLibrary().map((p) => ({
    key: p.slug,
    title: p.title,
    composer: p.composer,
    category: p.category,
    difficulty: p.difficulty,
    score: p.score,
  }));
}
