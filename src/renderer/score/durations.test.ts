import { describe, expect, it } from 'vitest';
import { beatsOf, exactNoteValue, isBinaryDuration, quantizeBeats, splitIntoNoteValues, splitRest } from './durations';

const total = (values: { beats: number }[]): number => values.reduce((a, v) => a + v.beats, 0);

describe('note values', () => {
  it('finds single written values, dotted and double-dotted', () => {
    expect(exactNoteValue(1)).toMatchObject({ code: 'q', dots: 0 });
    expect(exactNoteValue(3)).toMatchObject({ code: 'h', dots: 1 });
    expect(exactNoteValue(0.75)).toMatchObject({ code: '8', dots: 1 });
    expect(exactNoteValue(3.5)).toMatchObject({ code: 'h', dots: 2 });
    expect(exactNoteValue(2.5)).toBeNull();
    expect(exactNoteValue(1 / 3)).toBeNull();
  });

  it('splits any binary duration into values that add up exactly', () => {
    for (let n = 1; n <= 64; n++) {
      const beats = n * 0.125;
      const values = splitIntoNoteValues(beats);
      expect(total(values)).toBeCloseTo(beats, 9);
      for (const v of values) expect(beatsOf(v)).toBeCloseTo(v.beats, 9);
    }
  });

  it('prefers few pieces: 2.5 beats is a half tied to an eighth, 6 beats a dotted whole', () => {
    expect(splitIntoNoteValues(2.5).map((v) => `${v.code}${'.'.repeat(v.dots)}`)).toEqual(['h', '8']);
    expect(splitIntoNoteValues(6).map((v) => `${v.code}${'.'.repeat(v.dots)}`)).toEqual(['w.']);
  });

  it('tells binary from tuplet durations and snaps float noise to the grid', () => {
    expect(isBinaryDuration(0.375)).toBe(true);
    expect(isBinaryDuration(1 / 3)).toBe(false);
    expect(quantizeBeats(0.49999)).toBe(0.5);
    expect(quantizeBeats(0.3334)).toBeCloseTo(1 / 3, 9);
  });

  it('splits rests at the beat: from beat 1.5, 2.5 beats is an eighth then a half', () => {
    const values = splitRest(1.5, 2.5, 1);
    expect(values.map((v) => v.code)).toEqual(['8', 'h']);
    expect(total(values)).toBe(2.5);
    // On the beat nothing changes.
    expect(splitRest(0, 2, 1).map((v) => v.code)).toEqual(['h']);
  });
});
