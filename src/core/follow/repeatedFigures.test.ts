/**
 * Runs of one repeated chord or figure (repeatedFigures.ts), where the settling window keeps a
 * longer context: a tremolo and a repeated chord are marked, a scale and an Alberti-free melody
 * are not, and the real Scriabin 5 tremolo (bar 438) is marked even though its beat slots hold
 * both of the tremolo's chords at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importScore } from '../music';
import { repeatedShare, repeatedSlots } from './repeatedFigures';
import { slotScore } from './scoreSlots';
import { buildScore, twoHandExercise, type NoteSpec } from './testScores';

describe('repeatedSlots', () => {
  it('marks a tremolo between two chords, including the beat slots where a second voice joins', () => {
    const notes: NoteSpec[] = [];
    for (let k = 0; k < 16; k++) {
      const chord = k % 2 ? [67, 71, 74] : [60, 64];
      for (const pitch of chord) notes.push({ beat: k / 2, pitch, dur: 0.5 });
      if (k % 4 === 0) notes.push({ beat: k / 2, pitch: 36, dur: 2, hand: 'left' });
    }
    const slotted = slotScore(buildScore(notes), { hands: 'both', loop: null });
    const marks = repeatedSlots(slotted);
    expect([...marks]).toEqual(new Array(16).fill(1));
    expect(repeatedShare(marks, 0, 15)).toBe(1);
  });

  it('leaves a melody over changing chords unmarked', () => {
    const slotted = slotScore(twoHandExercise(4), { hands: 'both', loop: null });
    const marks = repeatedSlots(slotted);
    // The scale walk 60 62 64 65 67 65 64 62 repeats pitches only 2-6 slots apart, over other bass notes.
    expect(repeatedShare(marks, 0, slotted.slots.length - 1)).toBeLessThan(0.85);
  });

  it('clamps the range and gives 0 for an empty one', () => {
    const marks = Uint8Array.from([1, 1, 0, 0]);
    expect(repeatedShare(marks, -5, 1)).toBe(1);
    expect(repeatedShare(marks, 2, 99)).toBe(0);
    expect(repeatedShare(marks, 3, 2)).toBe(0);
  });

  const dir = resolve(process.cwd(), '../shared/data/nasap/Scriabin/Sonatas/5');
  it.skipIf(!existsSync(join(dir, 'xml_score.musicxml')))('marks the Scriabin 5 tremolo of bars 436-437 throughout (nASAP score)', () => {
    const score = importScore('xml_score.musicxml', new Uint8Array(readFileSync(join(dir, 'xml_score.musicxml'))));
    const slotted = slotScore(score, { hands: 'both', loop: null });
    const marks = repeatedSlots(slotted);
    const bar = slotted.slots.filter((s) => s.measureIndex === 436 || s.measureIndex === 437).map((s) => s.index);
    expect(bar.length).toBeGreaterThan(20);
    expect(repeatedShare(marks, bar[0]!, bar[bar.length - 1]!)).toBe(1);
  });
});
