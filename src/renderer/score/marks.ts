/** Small pure helpers for feedback marks drawn over the score. */
import type { NoteVerdictKind } from '../../shared/evaluation';

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** MIDI pitch to a name with octave: 60 -> "C4", 70 -> "A#4". */
export function pitchName(pitch: number): string {
  const pc = ((pitch % 12) + 12) % 12;
  return `${NAMES[pc] ?? '?'}${Math.floor(pitch / 12) - 1}`;
}

/**
 * Timing errors within this window count as on time for the display: about the spread of a
 * steady amateur performance, so a mark means a slip a student can hear.
 */
export const ON_TIME_WINDOW_MS = 75;

export interface TimingMark {
  kind: 'early' | 'late';
  symbol: string;
  /** Early marks sit left of the notehead, late marks right of it. */
  side: 'left' | 'right';
}

export function timingMark(verdict: NoteVerdictKind, timingErrorMs: number | null): TimingMark | null {
  if (timingErrorMs === null || (verdict !== 'correct' && verdict !== 'wrong')) return null;
  if (timingErrorMs < -ON_TIME_WINDOW_MS) return { kind: 'early', symbol: '◀', side: 'left' };
  if (timingErrorMs > ON_TIME_WINDOW_MS) return { kind: 'late', symbol: '▶', side: 'right' };
  return null;
}
