/**
 * When the settling window may call an unplayed note missed: once the player is past it. One
 * settled press past the note is not enough: an inserted or ornamental press that the window's
 * per-pitch matching gives to a note a bar or two ahead (nASAP Islamey, Na04: an added C5 in bar
 * 259 read as bar 261's) made every note between missed, and the presses that then played those
 * notes were settled as extras (each a false missed + a false extra). A second settled press past
 * it shows the player got there.
 */

/** Settled presses that must lie past a note's slot before it can be settled missed. */
export const PRESSES_PAST_MISSED = 2;

/**
 * The slot before which the round's unplayed notes are passed, from the slots of the presses it
 * settled as a note (correct or wrong): the PRESSES_PAST_MISSED-th furthest of them (counted with
 * repeats: two notes of one chord count twice). -1 when the round settled fewer such presses.
 */
export function passedSlot(settledSlots: readonly number[]): number {
  if (settledSlots.length < PRESSES_PAST_MISSED) return -1;
  return [...settledSlots].sort((a, b) => b - a)[PRESSES_PAST_MISSED - 1]!;
}
