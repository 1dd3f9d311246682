/** The built-in exercises (src/core/library) in the shape the library seeder stores. */
import type { StarterPiece } from './library';

// Wired to core/library's starterLibrary() once it lands; until then the library starts empty.
export function loadStarterPieces(): StarterPiece[] {
  return [];
}
