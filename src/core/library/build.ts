/**
 * Builds a generated Score from a compact per-hand notation, so starter pieces read like music:
 *   "F#4:q G4:e A4:e | B4+D5:h."  (bars split by "|", chords joined by "+", durations
 *   w h q e s with an optional dot). Every bar must fill its time signature exactly, except an
 *   optional pickup bar; this is checked when the piece is built.
 */
import type { Hand, Measure, Score, ScoreNote, TimeSignature } from '../../shared/score';
import { buildTempoMap } from '../music/tempo-map';
import { isStep, spellingToMidi, type Spelling } from '../music/pitch';

const DURATION_BEATS: Record<string, number> = { w: 4, h: 2, q: 1, e: 0.5, s: 0.25 };
const NOTE_TYPES: Record<string, string> = { w: 'whole', h: 'half', q: 'quarter', e: 'eighth', s: '16th' };

export interface PieceSpec {
  title: string;
  composer: string;
  keyFifths: number;
  time: TimeSignature;
  qpm: number;
  right?: string;
  left?: string;
  /** Length of a pickup (anacrusis) first bar in beats, when the piece has one. */
  pickupBeats?: number;
}

interface Token {
  spellings: Spelling[];
  beats: number;
  noteType: string;
  dots: number;
}

export function parseSpelling(text: string): Spelling {
  const match = /^([A-G])(#{1,2}|b{1,2})?(-?\d)$/.exec(text);
  const letter = match?.[1];
  if (!match || letter === undefined || !isStep(letter)) throw new Error(`bad pitch "${text}"`);
  const accidental = match[2] ?? '';
  const alter = accidental === '' ? 0 : accidental.startsWith('#') ? accidental.length : -accidental.length;
  return { step: letter, alter, octave: Number(match[3]) };
}

function parseToken(text: string): Token {
  const [pitches, duration] = text.split(':');
  const match = /^([whqes])(\.?)$/.exec(duration ?? '');
  const base = match?.[1];
  if (pitches === undefined || base === undefined) throw new Error(`bad note "${text}"`);
  const dots = match?.[2] === '.' ? 1 : 0;
  const beats = (DURATION_BEATS[base] as number) * (dots ? 1.5 : 1);
  return { spellings: pitches.split('+').map(parseSpelling), beats, noteType: NOTE_TYPES[base] as string, dots };
}

function parseBars(line: string): Token[][] {
  return line
    .split('|')
    .map((bar) => bar.trim())
    .filter((bar) => bar.length > 0)
    .map((bar) => bar.split(/\s+/).map(parseToken));
}

export function buildScore(spec: PieceSpec): Score {
  const barBeats = (spec.time.numerator * 4) / spec.time.denominator;
  const hands: [Hand, Token[][]][] = [];
  if (spec.right) hands.push(['right', parseBars(spec.right)]);
  if (spec.left) hands.push(['left', parseBars(spec.left)]);
  const barCount = Math.max(...hands.map(([, bars]) => bars.length));
  for (const [hand, bars] of hands) {
    if (bars.length !== barCount) throw new Error(`${spec.title}: ${hand} hand has ${bars.length} bars, expected ${barCount}`);
  }
  const tempoMap = buildTempoMap([{ beats: 0, qpm: spec.qpm }]);
  const measures: Measure[] = [];
  let start = 0;
  for (let index = 0; index < barCount; index++) {
    const durationBeats = index === 0 && spec.pickupBeats ? spec.pickupBeats : barBeats;
    measures.push({
      index,
      number: String(spec.pickupBeats ? index : index + 1),
      startBeats: start,
      durationBeats,
      startSec: tempoMap.secondsAt(start),
      timeSignature: { ...spec.time },
      keyFifths: spec.keyFifths,
    });
    start += durationBeats;
  }
  const notes: ScoreNote[] = [];
  for (const [hand, bars] of hands) {
    const prefix = hand === 'right' ? 'R' : 'L';
    bars.forEach((bar, index) => {
      const measure = measures[index] as Measure;
      let onset = measure.startBeats;
      for (const token of bar) {
        for (const spelling of token.spellings) {
          const id = `${prefix}${notes.filter((n) => n.hand === hand).length + 1}`;
          const onsetSec = tempoMap.secondsAt(onset);
          notes.push({
            id,
            sourceId: id,
            pitch: spellingToMidi(spelling),
            onsetBeats: onset,
            durationBeats: token.beats,
            onsetSec,
            durationSec: tempoMap.secondsAt(onset + token.beats) - onsetSec,
            measureIndex: index,
            staff: hand === 'right' ? 1 : 2,
            voice: hand === 'right' ? 1 : 5,
            hand,
            partId: 'P1',
            grace: false,
            articulations: [],
            spelling,
            noteType: token.noteType,
            ...(token.dots ? { dots: token.dots } : {}),
          });
        }
        onset += token.beats;
      }
      const filled = onset - measure.startBeats;
      if (Math.abs(filled - measure.durationBeats) > 1e-9) {
        throw new Error(`${spec.title}: ${hand} hand bar ${measure.number} holds ${filled} beats, expected ${measure.durationBeats}`);
      }
    });
  }
  notes.sort((a, b) => a.onsetBeats - b.onsetBeats || a.pitch - b.pitch);
  return {
    title: spec.title,
    composer: spec.composer,
    source: 'generated',
    parts: [{ id: 'P1', name: 'Piano', staves: 2 }],
    measures,
    notes,
    tempos: tempoMap.points,
  };
}
