/**
 * Vertical room per system (line of music): how far above the upper staff, between the staves
 * and below the lower staff the notes reach with their ledger lines and stems, so dense music
 * gets space and simple music stays compact. Pure arithmetic on the display model.
 */
import { diatonicIndex, staffRange } from './clefs';
import type { DisplayMeasure } from './measureLayout';

export const LINE_SPACING = 10; // VexFlow's default staff line distance
const STEP = LINE_SPACING / 2; // one diatonic step
const STEM_ROOM = 30; // a stem or beam beyond the outermost notehead
export const MIN_STAFF_GAP = 50;

export interface SystemSpacing {
  /** Distance from the system's top to the upper staff's top line. */
  aboveTreble: number;
  /** Between the upper staff's bottom line and the lower staff's top line. */
  gap: number;
  /** Below the lower staff's bottom line. */
  belowBass: number;
}

/** Room each system needs for ledger lines and stems, from the notes it holds. */
export function systemSpacing(measures: readonly DisplayMeasure[]): SystemSpacing {
  // How far notes reach beyond each staff's lines, in layout units.
  let trebleOver = 0;
  let trebleUnder = 0;
  let bassOver = 0;
  let bassUnder = 0;
  for (const m of measures) {
    for (const v of m.voices) {
      const range = staffRange(m.clefs[v.staff]);
      for (const e of v.events) {
        for (const k of e.keys) {
          const pos = diatonicIndex(k.spelled);
          const over = Math.max(0, pos - range.top) * STEP;
          const under = Math.max(0, range.bottom - pos) * STEP;
          if (v.staff === 1) {
            trebleOver = Math.max(trebleOver, over);
            trebleUnder = Math.max(trebleUnder, under);
          } else {
            bassOver = Math.max(bassOver, over);
            bassUnder = Math.max(bassUnder, under);
          }
        }
      }
    }
  }
  return {
    aboveTreble: Math.max(35, trebleOver + STEM_ROOM),
    // Both staves may point stems into the gap (upper staff down, lower staff up).
    gap: Math.max(MIN_STAFF_GAP, trebleUnder + bassOver + 2 * STEM_ROOM),
    belowBass: Math.max(30, bassUnder + STEM_ROOM),
  };
}
