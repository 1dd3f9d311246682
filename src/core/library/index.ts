/** The starter library: generated exercises and hand-encoded public-domain melodies. */
import { chordProgressions, fiveFingerPatterns, scales, type StarterPiece } from './exercises';
import { melodies } from './melodies';

export type { StarterPiece } from './exercises';

/** Every starter piece with a stable slug, ordered by category then difficulty. */
export function starterLibrary(): StarterPiece[] {
  return [...melodies(), ...fiveFingerPatterns(), ...scales(), ...chordProgressions()];
}
