/**
 * Written note values from durations in quarter-note beats. Pure helpers for the VexFlow adapter:
 * durations on our Score are plain numbers, VexFlow wants "q", "8" + dots, so long or odd
 * durations are split into several tied values.
 */
import type { Beats } from '../../shared/units';

/**
 * Display grid: 1/120 beat holds 32nds (15/120), triplets (40/120, 20/120) and quintuplet
 * sixteenths (24/120) exactly.
 */
export const GRID_PER_BEAT = 120;

export interface NoteValue {
  /** VexFlow duration code: "w", "h", "q", "8", "16", "32". */
  code: string;
  dots: number;
  beats: Beats;
}

const BASE_VALUES: readonly { code: string; beats: Beats }[] = [
  { code: 'w', beats: 4 },
  { code: 'h', beats: 2 },
  { code: 'q', beats: 1 },
  { code: '8', beats: 0.5 },
  { code: '16', beats: 0.25 },
  { code: '32', beats: 0.125 },
];

const EPS = 1e-6;

/** Coarser grid for scores made from MIDI files: plain sixteenths read better than exact noise. */
export const MIDI_GRID_PER_BEAT = 4;

/** Rounds to the display grid (performance-derived MIDI scores carry float noise). */
export function quantizeBeats(beats: Beats, gridPerBeat = GRID_PER_BEAT): Beats {
  return Math.round(beats * gridPerBeat) / gridPerBeat;
}

/** The single written value (with up to two dots) that lasts exactly `beats`, or null. */
export function exactNoteValue(beats: Beats): NoteValue | null {
  for (const base of BASE_VALUES) {
    for (let dots = 0; dots <= 2; dots++) {
      const total = base.beats * (2 - 1 / 2 ** dots);
      if (Math.abs(total - beats) < EPS) return { code: base.code, dots, beats: total };
    }
  }
  return null;
}

/** True when the duration can be written with plain (non-tuplet) values down to 32nds. */
export function isBinaryDuration(beats: Beats): boolean {
  const in32nds = beats / 0.125;
  return Math.abs(in32nds - Math.round(in32nds)) < EPS;
}

/**
 * Splits `beats` into written values, largest first (dotted values allowed), e.g. 2.5 -> h + 8,
 * 3 -> h. (dotted half). Remainders under a 32nd are dropped: they cannot be written.
 */
export function splitIntoNoteValues(beats: Beats): NoteValue[] {
  const out: NoteValue[] = [];
  let rest = beats;
  while (rest > 0.125 - EPS) {
    const exact = exactNoteValue(rest);
    if (exact) {
      out.push(exact);
      break;
    }
    const base = BASE_VALUES.find((v) => v.beats <= rest + EPS);
    if (!base) break;
    // Prefer a dotted value when it still fits: fewer ties on screen.
    const dotted = base.beats * 1.5;
    const value = dotted <= rest + EPS ? { code: base.code, dots: 1, beats: dotted } : { code: base.code, dots: 0, beats: base.beats };
    out.push(value);
    rest -= value.beats;
  }
  return out;
}

/**
 * Splits a rest from `startInMeasure` lasting `beats` so that it first reaches the next beat
 * boundary, then fills whole beats: rests that respect the beat are easier to read
 * (an eighth then a half, not a dotted half then an eighth).
 */
export function splitRest(startInMeasure: Beats, beats: Beats, beatLength: Beats): NoteValue[] {
  const out: NoteValue[] = [];
  const offBeat = startInMeasure % beatLength;
  let remaining = beats;
  if (offBeat > EPS && offBeat < beatLength - EPS) {
    const toBoundary = Math.min(beatLength - offBeat, remaining);
    out.push(...splitIntoNoteValues(toBoundary));
    remaining -= toBoundary;
  }
  if (remaining > EPS) out.push(...splitIntoNoteValues(remaining));
  return out;
}

/** Tick value VexFlow uses for a duration code (for tests and layout checks). */
export function beatsOf(value: Pick<NoteValue, 'code' | 'dots'>): Beats {
  const base = BASE_VALUES.find((v) => v.code === value.code);
  if (!base) throw new Error(`unknown duration code ${value.code}`);
  return base.beats * (2 - 1 / 2 ** value.dots);
}
