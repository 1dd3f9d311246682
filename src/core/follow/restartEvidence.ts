import type { SlottedScore } from './scoreSlots';
import { CORRECT, WRONG } from './noteStates';

/**
 * Whether a reading "the player went back to slot k" is borne out by the presses themselves.
 * The settling window weighs a fresh window that starts where the follower jumped back against
 * the context's reading of the same presses. Counting the presses each one matches is not
 * enough: in repeated music the fresh window also matches them (Mozart K. 332/3 bars 163-164
 * return as 165-166 and the player adds a G3 the score does not have: 19 presses for "back to
 * bar 163" against 16 for "on to bar 165"), and a trill's notes fit an earlier run of the same
 * two pitches (BWV 889 fugue bar 9). Such a reading then skips ahead to where the player really
 * is, leaving out notes the player had just played. A real restart plays them again. So the
 * fresh reading is charged one press for each note inside its run that it leaves unplayed
 * although an earlier press had played it (a settled correct or wrong note); notes never played
 * (the player's own omissions) cost nothing.
 */

/** Matched slots further apart than this (in press order) end the reading's run at its edges. */
export const RUN_GAP_SLOTS = 3;

export interface Reading {
  /** Per press: settled-verdict candidate (kind 1 = a match) and its score note. */
  byEvent: ReadonlyMap<number, { kind: number; note: number }>;
  /** Score notes of the window's slice that no press plays. */
  missed: readonly number[];
}

/** Kind of a match in Reading.byEvent (settle.ts EV_CORRECT). */
const MATCH = 1;

/**
 * Presses from `from` on that the reading matches, less the notes inside its run (from its
 * first to its furthest matched slot) that it leaves unplayed and that had been played before
 * (`noteState` CORRECT or WRONG). The run's edges drop a lone match set apart by more than
 * RUN_GAP_SLOTS: the aligner's path starts at the window's first press, which can land on a
 * stray note before the real restart point, and a last press can run ahead on its own.
 */
export function replayScore(reading: Reading, from: number, slotted: SlottedScore, noteState: Int8Array): number {
  const slots: number[] = [];
  const presses = [...reading.byEvent].filter(([e, v]) => e >= from && v.kind === MATCH).sort((a, b) => a[0] - b[0]);
  for (const [, v] of presses) slots.push(slotted.slotOfNote[v.note]!);
  let head = 0;
  while (head + 1 < slots.length && Math.abs(slots[head + 1]! - slots[head]!) > RUN_GAP_SLOTS) head++;
  let tail = slots.length;
  while (tail - 1 > head && Math.abs(slots[tail - 1]! - slots[tail - 2]!) > RUN_GAP_SLOTS) tail--;
  let lo = Infinity;
  let hi = -1;
  for (let k = head; k < tail; k++) {
    lo = Math.min(lo, slots[k]!);
    hi = Math.max(hi, slots[k]!);
  }
  let skipped = 0;
  for (const note of reading.missed) {
    const slot = slotted.slotOfNote[note]!;
    if (slot < lo || slot > hi || !slotted.slots[slot]!.noteIndices.includes(note) || slotted.score.notes[note]!.grace) continue;
    if (noteState[note] === CORRECT || noteState[note] === WRONG) skipped++;
  }
  return presses.length - skipped;
}
