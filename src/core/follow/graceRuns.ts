import type { Performance } from '../../shared/performance';
import type { SlottedScore } from './scoreSlots';

/** A slot with at least this many grace notes holds a written-out run (a cadenza, an arpeggio). */
const MIN_GRACE_RUN = 3;
/** Runs are looked for only between neighbours this close in played time. */
const MAX_RUN_SPAN_SEC = 20;

/**
 * Grace notes all share their slot's written time, but a long run of them is played spread out
 * before the main note: Batik K. 457/2 bar 51 is a 34-note grace cadenza over 8 s (13.6 s from
 * the chord before to the main note, a fermata included), and the
 * per-pitch matching (±0.35 s around the slot, gap filling ±2 s) left 31 of them unmatched and
 * their presses extra. The unmatched graces of such a slot are matched, in written order, to
 * the free presses between the neighbouring matched slots (a longest common subsequence on
 * pitch, so the run's order is kept across pitches). Existing matches stay as they are.
 */
export function matchGraceRuns(slotted: SlottedScore, performance: Performance, order: number[], match: Map<number, number>): void {
  const { slots, score } = slotted;
  const notes = performance.notes;
  const used = new Uint8Array(notes.length);
  for (const p of match.values()) used[p] = 1;
  // Played time span of each slot's matched notes (NaN when none).
  const firstOnset = new Float64Array(slots.length).fill(NaN);
  const lastOnset = new Float64Array(slots.length).fill(NaN);
  slots.forEach((slot, j) => {
    for (const i of slot.noteIndices) {
      const p = match.get(i);
      if (p === undefined) continue;
      const t = notes[p]!.onsetSec;
      if (!(t >= firstOnset[j]!)) firstOnset[j] = t;
      if (!(t <= lastOnset[j]!)) lastOnset[j] = t;
    }
  });
  slots.forEach((slot, j) => {
    const graces = slot.noteIndices.filter((i) => score.notes[i]!.grace);
    if (graces.length < MIN_GRACE_RUN) return;
    const open = graces.filter((i) => !match.has(i));
    if (open.length === 0) return;
    // Between the last matched press before the slot and its main notes (or the next slot).
    let lo = -Infinity;
    for (let k = j - 1; k >= 0; k--) {
      if (!Number.isNaN(lastOnset[k]!)) {
        lo = lastOnset[k]!;
        break;
      }
    }
    let hi = Infinity;
    const mains = slot.noteIndices.filter((i) => !score.notes[i]!.grace && match.has(i)).map((i) => notes[match.get(i)!]!.onsetSec);
    if (mains.length > 0) hi = Math.min(...mains);
    else {
      for (let k = j + 1; k < slots.length; k++) {
        if (!Number.isNaN(firstOnset[k]!)) {
          hi = firstOnset[k]!;
          break;
        }
      }
    }
    if (!(hi - lo <= MAX_RUN_SPAN_SEC)) return;
    const free = order.filter((p) => !used[p] && notes[p]!.onsetSec > lo && notes[p]!.onsetSec < hi);
    for (const [i, p] of commonSubsequence(open.map((i) => score.notes[i]!.pitch), free.map((p) => notes[p]!.pitch))) {
      match.set(open[i]!, free[p]!);
      used[free[p]!] = 1;
    }
  });
}

/** Index pairs of a longest common subsequence of two pitch sequences. */
function commonSubsequence(a: number[], b: number[]): [number, number][] {
  const width = b.length + 1;
  const length = new Int32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const k = i * width + j;
      length[k] = a[i] === b[j] ? length[k + width + 1]! + 1 : Math.max(length[k + width]!, length[k + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (length[(i + 1) * width + j]! >= length[i * width + j + 1]!) i++;
    else j++;
  }
  return pairs;
}
