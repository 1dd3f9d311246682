/** Pitch spelling <-> MIDI number, and key-aware spelling for generated and MIDI scores. */
import type { MidiPitch } from '../../shared/units';

export type Step = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';
export interface Spelling {
  step: Step;
  alter: number;
  octave: number;
}

const STEP_SEMITONES: Record<Step, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const STEPS: Step[] = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];

export function isStep(value: string): value is Step {
  return value in STEP_SEMITONES;
}

/** MIDI number of a spelled pitch; microtonal alters round to the nearest semitone. */
export function spellingToMidi(spelling: Spelling): MidiPitch {
  return (spelling.octave + 1) * 12 + STEP_SEMITONES[spelling.step] + Math.round(spelling.alter);
}

/** Order in which sharps (and reversed, flats) enter key signatures. */
const SHARP_ORDER: Step[] = ['F', 'C', 'G', 'D', 'A', 'E', 'B'];

/** The alteration the key signature gives each step, e.g. fifths=1 -> F: +1. */
export function keyAlterations(fifths: number): Record<Step, number> {
  const alters: Record<Step, number> = { C: 0, D: 0, E: 0, F: 0, G: 0, A: 0, B: 0 };
  if (fifths > 0) for (const step of SHARP_ORDER.slice(0, fifths)) alters[step] = 1;
  if (fifths < 0) for (const step of [...SHARP_ORDER].reverse().slice(0, -fifths)) alters[step] = -1;
  return alters;
}

/**
 * Spells a MIDI pitch in a key: diatonic notes take the key's spelling; others prefer sharps in
 * sharp keys (and C major) and flats in flat keys.
 */
export function spellMidi(pitch: MidiPitch, fifths: number): Spelling {
  const alters = keyAlterations(fifths);
  const pitchClass = ((pitch % 12) + 12) % 12;
  for (const step of STEPS) {
    const alter = alters[step];
    if ((((STEP_SEMITONES[step] + alter) % 12) + 12) % 12 === pitchClass) {
      return { step, alter, octave: octaveFor(pitch, step, alter) };
    }
  }
  const preferFlat = fifths < 0;
  for (const step of STEPS) {
    const alter = preferFlat ? -1 : 1;
    if ((((STEP_SEMITONES[step] + alter) % 12) + 12) % 12 === pitchClass) {
      return { step, alter, octave: octaveFor(pitch, step, alter) };
    }
  }
  for (const step of STEPS) {
    if (STEP_SEMITONES[step] === pitchClass) return { step, alter: 0, octave: octaveFor(pitch, step, 0) };
  }
  throw new Error(`unreachable: no spelling for pitch ${pitch}`);
}

function octaveFor(pitch: MidiPitch, step: Step, alter: number): number {
  return Math.round((pitch - STEP_SEMITONES[step] - alter) / 12) - 1;
}

/** Key-signature fifths for a tonic name such as "Bb" or "F#" (major) or with minor=true. */
export function fifthsForKey(tonic: string, minor = false): number | undefined {
  const majorFifths: Record<string, number> = {
    Cb: -7, Gb: -6, Db: -5, Ab: -4, Eb: -3, Bb: -2, F: -1, C: 0, G: 1, D: 2, A: 3, E: 4, B: 5, 'F#': 6, 'C#': 7,
  };
  const base = majorFifths[tonic];
  if (base !== undefined && !minor) return base;
  // A minor key shares the signature of the major key a minor third up (3 fifths fewer).
  if (minor) {
    const minorFifths: Record<string, number> = {
      Ab: -7, Eb: -6, Bb: -5, F: -4, C: -3, G: -2, D: -1, A: 0, E: 1, B: 2, 'F#': 3, 'C#': 4, 'G#': 5, 'D#': 6, 'A#': 7,
    };
    return minorFifths[tonic];
  }
  return undefined;
}
