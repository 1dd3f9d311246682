/**
 * The score dictionaries of mir_eval.transcription.evaluate and
 * mir_eval.transcription_velocity.evaluate, with mir_eval's key names, plus a convenience that
 * scores our own PerformedNote lists (MIDI pitches) the way the project reports transcription.
 */
import type { PerformedNote } from '../../shared/performance';
import type { EvalNote, NoteMatchOptions } from './note-metrics';
import { midiToHz, offsetPrecisionRecallF1, onsetPrecisionRecallF1, precisionRecallF1Overlap } from './note-metrics';
import { velocityPrecisionRecallF1Overlap } from './velocity-metrics';

export type MirEvalScores = Record<string, number>;

/** mir_eval.transcription.evaluate (same keys, same order). */
export function evaluateTranscription(ref: readonly EvalNote[], est: readonly EvalNote[], options: NoteMatchOptions = {}): MirEvalScores {
  const offsetRatio = options.offsetRatio === undefined ? 0.2 : options.offsetRatio;
  const scores: MirEvalScores = {};
  if (offsetRatio !== null) {
    const withOffset = precisionRecallF1Overlap(ref, est, { ...options, offsetRatio });
    scores['Precision'] = withOffset.precision;
    scores['Recall'] = withOffset.recall;
    scores['F-measure'] = withOffset.fMeasure;
    scores['Average_Overlap_Ratio'] = withOffset.averageOverlapRatio;
  }
  const noOffset = precisionRecallF1Overlap(ref, est, { ...options, offsetRatio: null });
  scores['Precision_no_offset'] = noOffset.precision;
  scores['Recall_no_offset'] = noOffset.recall;
  scores['F-measure_no_offset'] = noOffset.fMeasure;
  scores['Average_Overlap_Ratio_no_offset'] = noOffset.averageOverlapRatio;
  const onset = onsetPrecisionRecallF1(ref, est, options);
  scores['Onset_Precision'] = onset.precision;
  scores['Onset_Recall'] = onset.recall;
  scores['Onset_F-measure'] = onset.fMeasure;
  if (offsetRatio !== null) {
    const offset = offsetPrecisionRecallF1(ref, est, { ...options, offsetRatio });
    scores['Offset_Precision'] = offset.precision;
    scores['Offset_Recall'] = offset.recall;
    scores['Offset_F-measure'] = offset.fMeasure;
  }
  return scores;
}

/** mir_eval.transcription_velocity.evaluate (same keys, same order). */
export function evaluateTranscriptionVelocity(
  ref: readonly EvalNote[],
  est: readonly EvalNote[],
  options: NoteMatchOptions = {},
): MirEvalScores {
  const offsetRatio = options.offsetRatio === undefined ? 0.2 : options.offsetRatio;
  const scores: MirEvalScores = {};
  if (offsetRatio !== null) {
    const withOffset = velocityPrecisionRecallF1Overlap(ref, est, { ...options, offsetRatio });
    scores['Precision'] = withOffset.precision;
    scores['Recall'] = withOffset.recall;
    scores['F-measure'] = withOffset.fMeasure;
    scores['Average_Overlap_Ratio'] = withOffset.averageOverlapRatio;
  }
  const noOffset = velocityPrecisionRecallF1Overlap(ref, est, { ...options, offsetRatio: null });
  scores['Precision_no_offset'] = noOffset.precision;
  scores['Recall_no_offset'] = noOffset.recall;
  scores['F-measure_no_offset'] = noOffset.fMeasure;
  scores['Average_Overlap_Ratio_no_offset'] = noOffset.averageOverlapRatio;
  return scores;
}

export function performedToEvalNotes(notes: readonly PerformedNote[]): EvalNote[] {
  return notes.map((n) => ({ onsetSec: n.onsetSec, offsetSec: n.offsetSec, pitchHz: midiToHz(n.pitch), velocity: n.velocity }));
}

/** The figures the project reports for a transcription (onset, with offsets, with velocity). */
export interface TranscriptionScores {
  onsetF1: number;
  onsetPrecision: number;
  onsetRecall: number;
  withOffsetF1: number;
  withVelocityF1: number;
  withOffsetVelocityF1: number;
}

/** Note-level scores for our own note lists: pitch-aware onset F1 (mir_eval "no_offset"), etc. */
export function scoreTranscription(ref: readonly PerformedNote[], est: readonly PerformedNote[]): TranscriptionScores {
  const r = performedToEvalNotes(ref);
  const e = performedToEvalNotes(est);
  const onset = precisionRecallF1Overlap(r, e, { offsetRatio: null });
  return {
    onsetF1: onset.fMeasure,
    onsetPrecision: onset.precision,
    onsetRecall: onset.recall,
    withOffsetF1: precisionRecallF1Overlap(r, e).fMeasure,
    withVelocityF1: velocityPrecisionRecallF1Overlap(r, e, { offsetRatio: null }).fMeasure,
    withOffsetVelocityF1: velocityPrecisionRecallF1Overlap(r, e).fMeasure,
  };
}
