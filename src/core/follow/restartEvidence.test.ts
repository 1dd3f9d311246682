/**
 * The settling window's restart check (restartEvidence.ts): a reading "the player went back"
 * is charged for the notes it leaves out inside its run that the player had already played.
 * Unit cases on the two-hand exercise, and the real take that motivated it (nASAP, Mozart
 * K. 332/3, MunA05M: bars 163-164 come back as 165-166, the player adds a G3, and the settled
 * verdicts read a restart that is not there).
 */
import { describe, expect, it } from 'vitest';
import { CORRECT, PENDING, WRONG } from './noteStates';
import { replayScore, type Reading } from './restartEvidence';
import { slotScore } from './scoreSlots';
import { nasapTake, settleRealTake } from './testRealTakes';
import { twoHandExercise } from './testScores';

describe('replayScore', () => {
  const score = twoHandExercise(8);
  const slotted = slotScore(score, { hands: 'both', loop: null });
  /** The right-hand note (melody, one per beat) of slot `slot`. */
  const melodyNote = (slot: number) => slotted.slots[slot]!.noteIndices.find((i) => score.notes[i]!.hand === 'right')!;
  /** A reading whose presses 100, 101, ... play the melody notes of `slots`; every other melody note of `missedSlots` is unplayed. */
  function reading(slots: number[], missedSlots: number[]): Reading {
    return {
      byEvent: new Map(slots.map((slot, k) => [100 + k, { kind: 1, note: melodyNote(slot) }])),
      missed: missedSlots.map(melodyNote),
    };
  }
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

  it('counts every match of a reading that replays without gaps', () => {
    expect(replayScore(reading(range(4, 12), []), 100, slotted, new Int8Array(score.notes.length))).toBe(9);
  });

  it('charges a reading that skips notes the player had already played, not notes never played', () => {
    const skipping = reading([...range(4, 8), ...range(17, 24)], range(9, 16));
    const played = new Int8Array(score.notes.length);
    for (const slot of range(9, 16)) played[melodyNote(slot)] = slot % 2 ? CORRECT : WRONG;
    expect(replayScore(skipping, 100, slotted, played)).toBe(13 - 8);
    expect(replayScore(skipping, 100, slotted, new Int8Array(score.notes.length).fill(PENDING))).toBe(13);
  });

  it('leaves out a lone stray match at either edge of the run, and presses before `from`', () => {
    const played = new Int8Array(score.notes.length).fill(CORRECT);
    // The window's first press landed on slot 2, the replay starts at slot 8; a last press ran ahead to 28.
    const stray = reading([2, ...range(8, 15), 28], [...range(3, 7), ...range(16, 27)]);
    expect(replayScore(stray, 100, slotted, played)).toBe(10);
    expect(replayScore(stray, 101, slotted, played)).toBe(9);
  });
});

describe('settled verdicts on a real take: music that comes back is not a restart (Mozart K. 332/3, MunA05M)', () => {
  const { dir, present } = nasapTake('Mozart/Piano_Sonatas/12-3', 'MunA05M');
  it.skipIf(!present)('settles no press of bars 163-166 as replaced by a later pass', () => {
    const { presses, settled } = settleRealTake(dir, 'MunA05M', 200, 1);
    // Presses 190-195 s play bars 163-166 (0-based measure indices, ground truth).
    const replaced = presses.flatMap((p, k) => (p.onsetSec >= 190 && p.onsetSec < 195 && settled[k]!.verdict === 'superseded' ? [k] : []));
    expect(replaced).toEqual([]);
  });
});
