/**
 * Generated technique pieces: five-finger patterns, major and harmonic-minor scales, and chord
 * progressions. Notes are produced as scale degrees of the key, so spelling always follows the
 * key signature (F# in G major, Bb in F major) and only the minor leading tone is raised.
 */
import type { Score } from '../../shared/score';
import { keyAlterations, type Step } from '../music/pitch';
import { buildScore } from './build';

const LETTERS: Step[] = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];

export interface KeySpec {
  /** Display name, e.g. "G major", "A minor". */
  name: string;
  tonic: Step;
  fifths: number;
  minor: boolean;
}

export interface StarterPiece {
  slug: string;
  title: string;
  composer: string;
  category: string;
  difficulty: number;
  score: Score;
}

export type HandChoice = 'right' | 'left' | 'both';
const HAND_LABEL: Record<HandChoice, string> = { right: 'right hand', left: 'left hand', both: 'hands together' };

/** Token for a scale degree (0 = tonic) counted from the tonic in `octave`. */
export function degreeToken(key: KeySpec, octave: number, degree: number): string {
  const tonicIndex = LETTERS.indexOf(key.tonic);
  const absolute = tonicIndex + degree;
  const step = LETTERS[((absolute % 7) + 7) % 7] as Step;
  const noteOctave = octave + Math.floor(absolute / 7);
  let alter = keyAlterations(key.fifths)[step];
  // Harmonic minor: the seventh degree is raised a semitone above the key signature.
  if (key.minor && ((degree % 7) + 7) % 7 === 6) alter += 1;
  const accidental = alter > 0 ? '#'.repeat(alter) : 'b'.repeat(-alter);
  return `${step}${accidental}${noteOctave}`;
}

/** Splits a sequence of [token, beats] into bars of `barBeats`, using w/h/q/e names. */
function toBars(notes: [string, number][], barBeats: number): string {
  const names: Record<number, string> = { 4: 'w', 3: 'h.', 2: 'h', 1.5: 'q.', 1: 'q', 0.5: 'e' };
  const bars: string[][] = [[]];
  let filled = 0;
  for (const [token, beats] of notes) {
    if (filled >= barBeats - 1e-9) {
      bars.push([]);
      filled = 0;
    }
    (bars[bars.length - 1] as string[]).push(`${token}:${names[beats] ?? 'q'}`);
    filled += beats;
  }
  return bars.map((bar) => bar.join(' ')).join(' | ');
}

function slugOf(...parts: string[]): string {
  return parts.join('-').toLowerCase().replace(/#/g, 'sharp').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function handsSpec(hands: HandChoice, right: string, left: string): { right?: string; left?: string } {
  if (hands === 'right') return { right };
  if (hands === 'left') return { left };
  return { right, left };
}

export const FIVE_FINGER_KEYS: KeySpec[] = [
  { name: 'C major', tonic: 'C', fifths: 0, minor: false },
  { name: 'G major', tonic: 'G', fifths: 1, minor: false },
  { name: 'D major', tonic: 'D', fifths: 2, minor: false },
  { name: 'F major', tonic: 'F', fifths: -1, minor: false },
];

export function fiveFingerPatterns(): StarterPiece[] {
  const degrees = [0, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 0];
  const pieces: StarterPiece[] = [];
  for (const key of FIVE_FINGER_KEYS) {
    // Fourteen quarters and a closing half note: four bars of 4/4.
    const line = (octave: number): string =>
      toBars(degrees.map((d, i): [string, number] => [degreeToken(key, octave, d), i === degrees.length - 1 ? 2 : 1]), 4);
    for (const hands of ['right', 'left', 'both'] as HandChoice[]) {
      const title = `Five-finger pattern in ${key.name}, ${HAND_LABEL[hands]}`;
      pieces.push({
        slug: slugOf('five-finger', key.name, hands),
        title,
        composer: 'Seminote exercises',
        category: 'five-finger',
        difficulty: hands === 'both' ? 2 : 1,
        score: buildScore({ title, composer: 'Seminote exercises', keyFifths: key.fifths, time: { numerator: 4, denominator: 4 }, qpm: 80, ...handsSpec(hands, line(4), line(3)) }),
      });
    }
  }
  return pieces;
}

export const SCALE_KEYS: KeySpec[] = [
  ...FIVE_FINGER_KEYS,
  { name: 'B-flat major', tonic: 'B', fifths: -2, minor: false },
  { name: 'A minor', tonic: 'A', fifths: 0, minor: true },
  { name: 'E minor', tonic: 'E', fifths: 1, minor: true },
  { name: 'D minor', tonic: 'D', fifths: -1, minor: true },
];

/** Up and down `octaves` octaves: quarters for one octave, eighths for two; the last note is held. */
function scaleLine(key: KeySpec, octave: number, octaves: 1 | 2): string {
  const top = 7 * octaves;
  const degrees = [...Array.from({ length: top + 1 }, (_, i) => i), ...Array.from({ length: top }, (_, i) => top - 1 - i)];
  const unit = octaves === 1 ? 1 : 0.5;
  return toBars(degrees.map((d, i): [string, number] => [degreeToken(key, octave, d), i === degrees.length - 1 ? 2 : unit]), 4);
}

export function scales(): StarterPiece[] {
  const pieces: StarterPiece[] = [];
  for (const key of SCALE_KEYS) {
    const keyDifficulty = key.fifths === 0 && !key.minor ? 0 : 1;
    // Tonics from A up start an octave lower so two-octave scales stay in a comfortable range.
    const base = key.tonic === 'A' || key.tonic === 'B' ? 3 : 4;
    for (const octaves of [1, 2] as const) {
      for (const hands of ['right', 'left', 'both'] as HandChoice[]) {
        const kind = key.minor ? 'harmonic minor scale' : 'major scale';
        const keyName = key.minor ? key.name.replace(' minor', '') : key.name.replace(' major', '');
        const title = `${keyName} ${kind}, ${octaves} octave${octaves === 2 ? 's' : ''}, ${HAND_LABEL[hands]}`;
        pieces.push({
          slug: slugOf('scale', key.name, `${octaves}-octave`, hands),
          title,
          composer: 'Seminote exercises',
          category: 'scale',
          difficulty: Math.min(9, 2 + (octaves - 1) + (hands === 'both' ? 1 : 0) + keyDifficulty),
          score: buildScore({
            title,
            composer: 'Seminote exercises',
            keyFifths: key.fifths,
            time: { numerator: 4, denominator: 4 },
            qpm: octaves === 1 ? 80 : 72,
            ...handsSpec(hands, scaleLine(key, base, octaves), scaleLine(key, base - 1, octaves)),
          }),
        });
      }
    }
  }
  return pieces;
}

/** Close-position voicings around the tonic (degrees): I root position, IV 6/4, V 6, vi 6. */
const VOICINGS: Record<string, number[]> = { I: [0, 2, 4], IV: [0, 3, 5], V: [-1, 1, 4], vi: [0, 2, 5] };
const ROOTS: Record<string, number> = { I: 0, IV: 3, V: 4, vi: 5 };
const PROGRESSIONS: Record<string, string[]> = { 'I-IV-V-I': ['I', 'IV', 'V', 'I'], 'I-vi-IV-V-I': ['I', 'vi', 'IV', 'V', 'I'] };

export function chordProgressions(): StarterPiece[] {
  const pieces: StarterPiece[] = [];
  for (const key of FIVE_FINGER_KEYS) {
    const rhOctave = 4;
    for (const [name, chords] of Object.entries(PROGRESSIONS)) {
      for (const style of ['block', 'broken'] as const) {
        const right = chords
          .map((chord, i) => {
            const tokens = (VOICINGS[chord] as number[]).map((d) => degreeToken(key, rhOctave, d));
            if (style === 'block' || i === chords.length - 1) return `${tokens.join('+')}:w`;
            const [low, mid, high] = tokens as [string, string, string];
            return `${low}:q ${mid}:q ${high}:q ${mid}:q`;
          })
          .join(' | ');
        const left = chords
          .map((chord) => {
            const root = ROOTS[chord] as number;
            return `${degreeToken(key, rhOctave - 1, root >= 4 ? root - 7 : root)}:w`;
          })
          .join(' | ');
        const title = `${name} in ${key.name}, ${style} chords`;
        pieces.push({
          slug: slugOf('chords', name, key.name, style),
          title,
          composer: 'Seminote exercises',
          category: 'chords',
          difficulty: (style === 'block' ? 2 : 3) + (key.fifths === 0 ? 0 : 1),
          score: buildScore({ title, composer: 'Seminote exercises', keyFifths: key.fifths, time: { numerator: 4, denominator: 4 }, qpm: 72, right, left }),
        });
      }
    }
  }
  return pieces;
}
