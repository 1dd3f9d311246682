import { describe, expect, it } from 'vitest';
import { MeasureAccidentals, keySignatureAlters, keySignatureName, spellPitch, spellingOf, vexKey } from './spelling';

describe('spelling', () => {
  it('spells MIDI pitches with sharps in sharp keys and flats in flat keys', () => {
    expect(vexKey(spellPitch(61, 0))).toBe('c#/4');
    expect(vexKey(spellPitch(61, -3))).toBe('db/4');
    expect(vexKey(spellPitch(60, 0))).toBe('c/4');
    expect(vexKey(spellPitch(21, 0))).toBe('a/0');
    expect(vexKey(spellPitch(108, 0))).toBe('c/8');
  });

  it('keeps the written spelling when the score has one (B#3 stays B#, octave 3)', () => {
    expect(vexKey(spellingOf({ pitch: 60, spelling: { step: 'B', alter: 1, octave: 3 } }, 0))).toBe('b#/3');
  });

  it('knows key signatures', () => {
    expect([...keySignatureAlters(2).entries()]).toEqual([['F', 1], ['C', 1]]);
    expect([...keySignatureAlters(-2).entries()]).toEqual([['B', -1], ['E', -1]]);
    expect(keySignatureName(-4)).toBe('Ab');
    expect(keySignatureName(0)).toBe('C');
    expect(keySignatureName(3)).toBe('A');
  });

  it('prints an accidental only when key and bar do not already imply it', () => {
    const bar = new MeasureAccidentals(keySignatureAlters(1)); // G major: F#
    expect(bar.accidentalFor({ step: 'F', alter: 1, octave: 4 })).toBeNull();
    expect(bar.accidentalFor({ step: 'F', alter: 0, octave: 4 })).toBe('n');
    expect(bar.accidentalFor({ step: 'F', alter: 0, octave: 4 })).toBeNull(); // the natural holds for the bar
    expect(bar.accidentalFor({ step: 'F', alter: 1, octave: 4 })).toBe('#'); // back to sharp needs a sign
    expect(bar.accidentalFor({ step: 'F', alter: 1, octave: 5 })).toBeNull(); // other octave: key applies
    expect(bar.accidentalFor({ step: 'C', alter: 1, octave: 5 })).toBe('#');
  });
});
