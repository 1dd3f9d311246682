/** Intermediate, written-order view of a MusicXML file: one entry per written measure. */
import type { ArticulationMark, DynamicMark, Hand, PartInfo, TimeSignature } from '../../shared/score';
import type { Spelling } from './pitch';

export interface WrittenNote {
  partId: string;
  sourceId: string;
  pitch: number;
  /** Onset within its measure, in quarter beats. */
  offsetBeats: number;
  durationBeats: number;
  staff: number;
  voice: number;
  hand: Hand;
  grace: boolean;
  tieStart: boolean;
  tieStop: boolean;
  dynamic?: DynamicMark;
  articulations: ArticulationMark[];
  spelling?: Spelling;
  noteType?: string;
  dots?: number;
  tuplet?: { actual: number; normal: number };
  /** Written order within the measure (all parts), breaks ties between graces. */
  order: number;
}

/** Where playback may jump: repeats, voltas, segno/coda, D.C./D.S., fine. */
export interface MeasureNavigation {
  forwardRepeat: boolean;
  /** Times the repeated section is played (2 when not given), null without a backward repeat. */
  backwardRepeatTimes: number | null;
  /** Ending numbers when a volta starts on this measure. */
  endingStartNumbers: number[] | null;
  /** True when a volta bracket stops (or is discontinued) at this measure. */
  endingStops: boolean;
  segno: boolean;
  /** Target of a "To Coda" jump. */
  coda: boolean;
  toCoda: boolean;
  daCapo: boolean;
  dalSegno: boolean;
  fine: boolean;
  /** Count of written coda signs (the first of two is usually the "To Coda" mark). */
  codaSigns: number;
  /**
   * Measure numbering restarts here (a new movement in a multi-movement file): D.C. returns
   * to the latest such measure rather than to the first bar of the file.
   */
  sectionStart: boolean;
}

export interface WrittenMeasure {
  number: string;
  notes: WrittenNote[];
  tempos: { offsetBeats: number; qpm: number }[];
  /** Furthest position any voice reached, in beats. */
  contentBeats: number;
  /** Length the time signature asks for. */
  nominalBeats: number;
  timeSignature: TimeSignature;
  keyFifths: number;
  navigation: MeasureNavigation;
}

export interface WrittenScore {
  title: string;
  composer: string;
  parts: PartInfo[];
  measures: WrittenMeasure[];
}

export function emptyNavigation(): MeasureNavigation {
  return {
    forwardRepeat: false,
    backwardRepeatTimes: null,
    endingStartNumbers: null,
    endingStops: false,
    segno: false,
    coda: false,
    toCoda: false,
    daCapo: false,
    dalSegno: false,
    fine: false,
    codaSigns: 0,
    sectionStart: false,
  };
}
