import type { SlottedScore } from './scoreSlots';

/**
 * Runs of one repeated chord or figure (tremolos, repeated chords, trills written out): the
 * stretches where a short settling window slips by one repetition, because every repetition
 * fits the presses equally well and only the time since the context's last anchor tells them
 * apart. Found on the score alone (see repeatedSlots).
 */
export const MAX_PERIOD_SLOTS = 4;

/**
 * Per slot: 1 when a slot at most MAX_PERIOD_SLOTS before or after it holds all its pitches or
 * only pitches of it (a tremolo's chord also sounds inside the slot where a second voice joins
 * it: Scriabin 5 bar 438 alternates 60-64-66-70 with 76-80-84, and the beat slots hold both).
 */
export function repeatedSlots(slotted: SlottedScore): Uint8Array {
  const { slots, score } = slotted;
  const pitches = slots.map((slot) => new Set(slot.noteIndices.map((i) => score.notes[i]!.pitch)));
  const within = (a: Set<number>, b: Set<number>) => [...a].every((p) => b.has(p));
  const marks = new Uint8Array(slots.length);
  for (let j = 0; j < slots.length; j++) {
    for (let d = -MAX_PERIOD_SLOTS; d <= MAX_PERIOD_SLOTS; d++) {
      const other = pitches[j + d];
      if (d === 0 || !other) continue;
      if (within(pitches[j]!, other) || within(other, pitches[j]!)) {
        marks[j] = 1;
        break;
      }
    }
  }
  return marks;
}

/** Share of the slots lo..hi (inclusive, clamped) marked repeated; 0 for an empty range. */
export function repeatedShare(marks: Uint8Array, lo: number, hi: number): number {
  const from = Math.max(0, lo);
  const to = Math.min(marks.length - 1, hi);
  if (to < from) return 0;
  let count = 0;
  for (let j = from; j <= to; j++) count += marks[j]!;
  return count / (to - from + 1);
}
