/**
 * Note-level transcription metrics, equal to mir_eval.transcription and
 * mir_eval.transcription_velocity (craffel/mir_eval @ 1fed532). Proven against mir_eval's own
 * regression vectors in note-metrics.test.ts.
 */
import { AppError } from '../../shared/errors';
import { matchFromHits, windowedCandidates } from './bipartite-match';

/** One note as mir_eval sees it: an interval and a pitch in Hz (velocity only for velocity metrics). */
export interface EvalNote {
  onsetSec: number;
  offsetSec: number;
  pitchHz: number;
  velocity?: number;
}

export interface NoteMatchOptions {
  /** Seconds; default 0.05. */
  onsetTolerance?: number;
  /** Cents; default 50. */
  pitchTolerance?: number;
  /** Fraction of the reference duration; `null` ignores offsets. Default 0.2. */
  offsetRatio?: number | null;
  /** Seconds; default 0.05. */
  offsetMinTolerance?: number;
  /** `<` instead of `<=` in every threshold check. Default false. */
  strict?: boolean;
  /** Absolute tolerance on rescaled velocities (velocity metrics only). Default 0.1. */
  velocityTolerance?: number;
  beta?: number;
}

export interface PrecisionRecallF {
  precision: number;
  recall: number;
  fMeasure: number;
}

export interface PrecisionRecallFOverlap extends PrecisionRecallF {
  averageOverlapRatio: number;
}

export type MatchedPair = [refIndex: number, estIndex: number];

/** mir_eval rounds time distances to 4 decimals with numpy.around (round half to even). */
const DISTANCE_DECIMALS = 4;

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function roundDistance(distance: number): number {
  const scale = 10 ** DISTANCE_DECIMALS;
  return roundHalfEven(distance * scale) / scale;
}

export function midiToHz(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

export function fMeasure(precision: number, recall: number, beta = 1): number {
  if (precision === 0 && recall === 0) return 0;
  return ((1 + beta ** 2) * precision * recall) / (beta ** 2 * precision + recall);
}

/** The checks of mir_eval.transcription.validate; invalid input is a caller error. */
export function validateNotes(notes: readonly EvalNote[], label: string, withVelocity = false): void {
  notes.forEach((note, i) => {
    const where = `${label} note ${i}`;
    if (!Number.isFinite(note.onsetSec) || !Number.isFinite(note.offsetSec) || note.onsetSec < 0) {
      throw new AppError('INVALID_ARGUMENT', `${where}: interval times must be finite and non-negative`);
    }
    if (note.offsetSec <= note.onsetSec) {
      throw new AppError('INVALID_ARGUMENT', `${where}: duration must be strictly positive`);
    }
    if (!(note.pitchHz > 0)) {
      throw new AppError('INVALID_ARGUMENT', `${where}: pitch must be a positive frequency in Hz`);
    }
    if (withVelocity && !(typeof note.velocity === 'number' && note.velocity >= 0)) {
      throw new AppError('INVALID_ARGUMENT', `${where}: velocity must be a non-negative number`);
    }
  });
}

/**
 * Pruning margin beyond a tolerance: distances are rounded to 4 decimals before comparison, so a
 * raw distance up to tolerance + 0.00005 can still hit; 1e-3 leaves room to spare.
 */
const CANDIDATE_MARGIN = 1e-3;

function onsetCandidates(ref: readonly EvalNote[], est: readonly EvalNote[], tolerance: number) {
  return windowedCandidates(
    ref.map((n) => n.onsetSec),
    est.map((n) => n.onsetSec),
    () => tolerance + CANDIDATE_MARGIN,
  );
}

function comparator(strict: boolean): (a: number, b: number) => boolean {
  return strict ? (a, b) => a < b : (a, b) => a <= b;
}

function onsetHit(ref: EvalNote, est: EvalNote, tolerance: number, cmp: (a: number, b: number) => boolean) {
  return cmp(roundDistance(Math.abs(ref.onsetSec - est.onsetSec)), tolerance);
}

function offsetHit(ref: EvalNote, est: EvalNote, ratio: number, minTolerance: number, cmp: (a: number, b: number) => boolean) {
  const tolerance = Math.max(ratio * Math.abs(ref.offsetSec - ref.onsetSec), minTolerance);
  return cmp(roundDistance(Math.abs(ref.offsetSec - est.offsetSec)), tolerance);
}

/** mir_eval.transcription.match_notes: onset + pitch (+ offset unless offsetRatio is null). */
export function matchNotes(ref: readonly EvalNote[], est: readonly EvalNote[], options: NoteMatchOptions = {}): MatchedPair[] {
  const onsetTolerance = options.onsetTolerance ?? 0.05;
  const pitchTolerance = options.pitchTolerance ?? 50;
  const offsetRatio = options.offsetRatio === undefined ? 0.2 : options.offsetRatio;
  const offsetMinTolerance = options.offsetMinTolerance ?? 0.05;
  const cmp = comparator(options.strict ?? false);
  const refLog = ref.map((n) => Math.log2(n.pitchHz));
  const estLog = est.map((n) => Math.log2(n.pitchHz));
  return matchFromHits(ref.length, est.length, (i, j) => {
    const r = ref[i] as EvalNote;
    const e = est[j] as EvalNote;
    if (!onsetHit(r, e, onsetTolerance, cmp)) return false;
    const cents = Math.abs(1200 * ((refLog[i] as number) - (estLog[j] as number)));
    if (!cmp(cents, pitchTolerance)) return false;
    return offsetRatio === null || offsetHit(r, e, offsetRatio, offsetMinTolerance, cmp);
  }, onsetCandidates(ref, est, onsetTolerance));
}

/** mir_eval.transcription.match_note_onsets (pitch ignored). */
export function matchNoteOnsets(ref: readonly EvalNote[], est: readonly EvalNote[], options: NoteMatchOptions = {}): MatchedPair[] {
  const tolerance = options.onsetTolerance ?? 0.05;
  const cmp = comparator(options.strict ?? false);
  return matchFromHits(
    ref.length,
    est.length,
    (i, j) => onsetHit(ref[i] as EvalNote, est[j] as EvalNote, tolerance, cmp),
    onsetCandidates(ref, est, tolerance),
  );
}

/** mir_eval.transcription.match_note_offsets (pitch ignored). */
export function matchNoteOffsets(ref: readonly EvalNote[], est: readonly EvalNote[], options: NoteMatchOptions = {}): MatchedPair[] {
  const ratio = options.offsetRatio ?? 0.2;
  const minTolerance = options.offsetMinTolerance ?? 0.05;
  const cmp = comparator(options.strict ?? false);
  const candidates = windowedCandidates(
    ref.map((n) => n.offsetSec),
    est.map((n) => n.offsetSec),
    (i) => Math.max(ratio * Math.abs((ref[i] as EvalNote).offsetSec - (ref[i] as EvalNote).onsetSec), minTolerance) + CANDIDATE_MARGIN,
  );
  return matchFromHits(
    ref.length,
    est.length,
    (i, j) => offsetHit(ref[i] as EvalNote, est[j] as EvalNote, ratio, minTolerance, cmp),
    candidates,
  );
}

export function averageOverlapRatio(ref: readonly EvalNote[], est: readonly EvalNote[], matching: readonly MatchedPair[]): number {
  if (matching.length === 0) return 0;
  let sum = 0;
  for (const [i, j] of matching) {
    const r = ref[i] as EvalNote;
    const e = est[j] as EvalNote;
    const overlap = Math.min(r.offsetSec, e.offsetSec) - Math.max(r.onsetSec, e.onsetSec);
    const span = Math.max(r.offsetSec, e.offsetSec) - Math.min(r.onsetSec, e.onsetSec);
    sum += overlap / span;
  }
  return sum / matching.length;
}

function scoreMatching(
  ref: readonly EvalNote[],
  est: readonly EvalNote[],
  matched: number,
  beta: number,
): PrecisionRecallF {
  const precision = matched / est.length;
  const recall = matched / ref.length;
  return { precision, recall, fMeasure: fMeasure(precision, recall, beta) };
}

/** mir_eval.transcription.precision_recall_f1_overlap. */
export function precisionRecallF1Overlap(
  ref: readonly EvalNote[],
  est: readonly EvalNote[],
  options: NoteMatchOptions = {},
): PrecisionRecallFOverlap {
  validateNotes(ref, 'reference');
  validateNotes(est, 'estimate');
  if (ref.length === 0 || est.length === 0) return { precision: 0, recall: 0, fMeasure: 0, averageOverlapRatio: 0 };
  const matching = matchNotes(ref, est, options);
  return {
    ...scoreMatching(ref, est, matching.length, options.beta ?? 1),
    averageOverlapRatio: averageOverlapRatio(ref, est, matching),
  };
}

/** mir_eval.transcription.onset_precision_recall_f1. */
export function onsetPrecisionRecallF1(ref: readonly EvalNote[], est: readonly EvalNote[], options: NoteMatchOptions = {}): PrecisionRecallF {
  validateNotes(ref, 'reference');
  validateNotes(est, 'estimate');
  if (ref.length === 0 || est.length === 0) return { precision: 0, recall: 0, fMeasure: 0 };
  return scoreMatching(ref, est, matchNoteOnsets(ref, est, options).length, options.beta ?? 1);
}

/** mir_eval.transcription.offset_precision_recall_f1. */
export function offsetPrecisionRecallF1(ref: readonly EvalNote[], est: readonly EvalNote[], options: NoteMatchOptions = {}): PrecisionRecallF {
  validateNotes(ref, 'reference');
  validateNotes(est, 'estimate');
  if (ref.length === 0 || est.length === 0) return { precision: 0, recall: 0, fMeasure: 0 };
  return scoreMatching(ref, est, matchNoteOffsets(ref, est, options).length, options.beta ?? 1);
}
