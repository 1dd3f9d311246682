/**
 * Pitch spelling for display: VexFlow keys ("c#/4") from the score's written spelling when it has
 * one, else from the MIDI pitch in the key signature's direction; and which accidentals must be
 * printed in a measure given the key signature and earlier accidentals in the same bar.
 */
import type { ScoreNote } from '../../shared/score';

type Step = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';

export interface Spelled {
  step: Step;
  alter: number;
  octave: number;
}

const SHARP_NAMES: readonly [Step, number][] = [
  ['C', 0], ['C', 1], ['D', 0], ['D', 1], ['E', 0], ['F', 0], ['F', 1], ['G', 0], ['G', 1], ['A', 0], ['A', 1], ['B', 0],
];
const FLAT_NAMES: readonly [Step, number][] = [
  ['C', 0], ['D', -1], ['D', 0], ['E', -1], ['E', 0], ['F', 0], ['G', -1], ['G', 0], ['A', -1], ['A', 0], ['B', -1], ['B', 0],
];
const SHARP_ORDER: readonly Step[] = ['F', 'C', 'G', 'D', 'A', 'E', 'B'];

/** Spells a MIDI pitch with sharps in sharp keys (and C major), flats in flat keys. */
export function spellPitch(pitch: number, keyFifths: number): Spelled {
  const names = keyFifths < 0 ? FLAT_NAMES : SHARP_NAMES;
  const pc = ((pitch % 12) + 12) % 12;
  const [step, alter] = names[pc] ?? ['C', 0];
  // Octave from the written step: B#3 sounds as C4, Cb4 as B3.
  const octave = Math.floor((pitch - alter) / 12) - 1;
  return { step, alter, octave };
}

export function spellingOf(note: Pick<ScoreNote, 'pitch' | 'spelling'>, keyFifths: number): Spelled {
  return note.spelling ?? spellPitch(note.pitch, keyFifths);
}

/** VexFlow key string, e.g. {C,1,4} -> "c#/4". */
export function vexKey(s: Spelled): string {
  return `${s.step.toLowerCase()}${accidentalSymbol(s.alter)}/${s.octave}`;
}

export function accidentalSymbol(alter: number): string {
  switch (alter) {
    case 2: return '##';
    case 1: return '#';
    case -1: return 'b';
    case -2: return 'bb';
    default: return '';
  }
}

/** Alteration the key signature gives each step, e.g. 2 fifths (D major) -> F and C sharp. */
export function keySignatureAlters(keyFifths: number): Map<Step, number> {
  const alters = new Map<Step, number>();
  const count = Math.min(7, Math.abs(keyFifths));
  for (let i = 0; i < count; i++) {
    const step = keyFifths > 0 ? SHARP_ORDER[i] : SHARP_ORDER[6 - i];
    if (step) alters.set(step, keyFifths > 0 ? 1 : -1);
  }
  return alters;
}

/** VexFlow key-signature name for a count of fifths (major keys). */
export function keySignatureName(keyFifths: number): string {
  const majors = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
  return majors[Math.max(-7, Math.min(7, keyFifths)) + 7] ?? 'C';
}

/**
 * Tracks accidentals through one measure (and one staff): call `accidentalFor` in time order;
 * it returns the symbol to print ('#', 'b', 'n', ...) or null when the key or an earlier
 * accidental on the same line and octave already implies the pitch.
 */
export class MeasureAccidentals {
  private readonly current = new Map<string, number>();
  constructor(private readonly keyAlters: Map<Step, number>) {}

  accidentalFor(s: Spelled): string | null {
    const line = `${s.step}${s.octave}`;
    const implied = this.current.get(line) ?? this.keyAlters.get(s.step) ?? 0;
    if (implied === s.alter) return null;
    this.current.set(line, s.alter);
    return s.alter === 0 ? 'n' : accidentalSymbol(s.alter);
  }
}
