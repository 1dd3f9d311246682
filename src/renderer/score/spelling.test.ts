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

describe('clefs', async () => {
  const { diatonicIndex, nextClef, staffRange } = await import('./clefs');
  it('counts diatonic steps from C4 = 28', () => {
    expect(diatonicIndex({ step: 'C', octave: 4 })).toBe(28);
    expect(diatonicIndex({ step: 'B', octave: 3 })).toBe(27);
    expect(staffRange('treble').bottom).toBe(diatonicIndex({ step: 'E', octave: 4 }));
    expect(staffRange('bass').top).toBe(diatonicIndex({ step: 'A', octave: 3 }));
  });

  it('switches the lower staff to treble for a high passage and back with hysteresis', () => {
    const at = (step: 'C' | 'E' | 'G' | 'A', octave: number) => diatonicIndex({ step, octave });
    expect(nextClef('bass', [at('G', 4), at('C', 5), at('E', 5)])).toBe('treble');
    // Around middle C it stays whatever it was.
    expect(nextClef('treble', [at('C', 4), at('E', 4)])).toBe('treble');
    expect(nextClef('bass', [at('C', 4), at('E', 4)])).toBe('bass');
    expect(nextClef('treble', [at('C', 3), at('G', 2)])).toBe('bass');
    expect(nextClef('bass', [at('C', 4), at('G', 4)])).toBe('treble'); // median G4
    expect(nextClef('bass', [])).toBe('bass');
  });
});
