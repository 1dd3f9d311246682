import type { Seconds } from './units';

/** Chord qualities recognised from transcribed notes. */
export type ChordQuality = 'maj' | 'min' | 'dim' | 'aug' | '7' | 'maj7' | 'm7' | 'sus2' | 'sus4';

/** A chord label over a time span (from chord recognition on notes). */
export interface ChordLabel {
  startSec: Seconds;
  endSec: Seconds;
  /** Pitch class of the root, 0 = C .. 11 = B. */
  root: number;
  quality: ChordQuality;
  /** Pitch class of the lowest sounding note. */
  bass: number;
  /** 0 root position, 1 third (or sus tone) in the bass, 2 fifth, 3 seventh; 0 when the bass is no chord tone. */
  inversion: number;
  /** Display symbol, e.g. "Am7", "C/E", "Gsus4". */
  symbol: string;
  /** Template fit in [-1, 1]: chord-tone weight minus the rest, minus a penalty per missing tone. */
  confidence: number;
}
