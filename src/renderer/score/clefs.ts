/**
 * Clef choice per measure and staff. Our Score keeps no clefs, so they are inferred from the
 * pitches: a left-hand passage high up reads far better in treble clef than on five ledger lines.
 * Hysteresis keeps the clef from flickering between neighbouring bars.
 */
import type { Spelled } from './spelling';

export type Clef = 'treble' | 'bass';

const STEP_INDEX: Record<Spelled['step'], number> = { C: 0, D: 1, E: 2, F: 3, G: 4, A: 5, B: 6 };

/** Diatonic position (one per staff line or space): C4 = 28. */
export function diatonicIndex(s: Pick<Spelled, 'step' | 'octave'>): number {
  return s.octave * 7 + STEP_INDEX[s.step];
}

const C4 = 28;

/**
 * Next clef for a staff given the previous one and the bar's written notes (diatonic indices).
 * Switch the lower staff to treble when the bar's median is G4 or higher, the upper staff to bass
 * when it is F3 or lower; anything between keeps the previous clef. An empty bar keeps the previous clef.
 */
export function nextClef(previous: Clef, positions: readonly number[]): Clef {
  if (positions.length === 0) return previous;
  const sorted = [...positions].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? C4;
  // Pianists read a few ledger lines easily; only a clearly high or low bar changes clef.
  if (previous === 'bass' && median >= C4 + 4) return 'treble'; // G4 and up
  if (previous === 'treble' && median <= C4 - 4) return 'bass'; // F3 and down
  return previous;
}

/** Staff lines span these diatonic positions: notes beyond them need ledger lines. */
export function staffRange(clef: Clef): { bottom: number; top: number } {
  // Treble: E4..F5; bass: G2..A3.
  return clef === 'treble' ? { bottom: C4 + 2, top: C4 + 10 } : { bottom: C4 - 10, top: C4 - 2 };
}
