import type { Beats, MidiPitch, Seconds } from './units';

/** Which hand a score note belongs to; derived from the staff (1 = right, 2 = left) unless marked. */
export type Hand = 'right' | 'left';

/** Dynamic markings kept from the score for the expression engine. */
export type DynamicMark = 'pppp' | 'ppp' | 'pp' | 'p' | 'mp' | 'mf' | 'f' | 'ff' | 'fff' | 'ffff' | 'sf' | 'sfz' | 'fp';

export type ArticulationMark = 'staccato' | 'staccatissimo' | 'tenuto' | 'accent' | 'marcato' | 'portato' | 'fermata';

/**
 * One note of a score, in playing order (repeats and voltas expanded).
 * `id` is unique within the score; `sourceId` is the id in the source file (for MusicXML with
 * note ids, e.g. (n)ASAP, the `id` attribute), shared by every repetition of the same written note.
 */
export interface ScoreNote {
  id: string;
  sourceId: string;
  pitch: MidiPitch;
  /** Onset in quarter-note beats from the start, in playing order. */
  onsetBeats: Beats;
  durationBeats: Beats;
  /** Onset and duration in seconds at the written tempo (tempo map applied). */
  onsetSec: Seconds;
  durationSec: Seconds;
  /** Index into `Score.measures` (playing order). */
  measureIndex: number;
  staff: number;
  voice: number;
  hand: Hand;
  partId: string;
  /** True for grace notes (zero written duration; not required in wait mode). */
  grace: boolean;
  dynamic?: DynamicMark;
  articulations: ArticulationMark[];
  /** Written spelling for display (VexFlow keys such as "c#/4"); absent for MIDI imports. */
  spelling?: { step: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G'; alter: number; octave: number };
  /** Written note type for display: 'whole' | 'half' | 'quarter' | 'eighth' | '16th' | '32nd' ... */
  noteType?: string;
  dots?: number;
  /** Tuplet ratio, e.g. {actual: 3, normal: 2} for triplets. */
  tuplet?: { actual: number; normal: number };
  /**
   * Tie chains are merged into their first (struck) note, whose duration covers the chain;
   * tiedDisplayBeats lists the written pieces' durations so the display can draw the ties.
   */
  tiedDisplayBeats?: Beats[];
}

export interface Measure {
  /** Position in playing order (0-based). */
  index: number;
  /** The printed measure number ("12", "12a"), repeated measures keep theirs. */
  number: string;
  startBeats: Beats;
  durationBeats: Beats;
  startSec: Seconds;
  timeSignature: TimeSignature;
  /** Key signature as count of fifths (-7..7). */
  keyFifths: number;
}

export interface TimeSignature {
  numerator: number;
  denominator: number;
}

export interface TempoPoint {
  beats: Beats;
  /** Quarter notes per minute. */
  qpm: number;
}

export interface PartInfo {
  id: string;
  name: string;
  staves: number;
}

export type ScoreSource = 'musicxml' | 'midi' | 'generated';

/** A parsed piece ready to display, follow and grade. */
export interface Score {
  title: string;
  composer: string;
  source: ScoreSource;
  parts: PartInfo[];
  measures: Measure[];
  /** Sorted by onsetBeats, then pitch (at equal onsets grace notes come first, in written order). */
  notes: ScoreNote[];
  tempos: TempoPoint[];
}
