/**
 * mir_eval.transcription_velocity: a note is correct when it matches on onset/pitch(/offset) and
 * its velocity, after a per-piece linear rescaling onto the reference's normalised velocities,
 * lies within a tolerance (Hawthorne et al. 2018).
 */
import type { EvalNote, MatchedPair, NoteMatchOptions, PrecisionRecallFOverlap } from './note-metrics';
import { averageOverlapRatio, fMeasure, matchNotes, validateNotes } from './note-metrics';

/**
 * Least-squares line y ≈ slope·x + intercept with numpy.linalg.lstsq semantics, including the
 * rank-deficient case (one match, or all estimated velocities equal): lstsq then returns the
 * minimum-norm solution, whose fitted values all equal mean(y).
 */
function fitLine(x: readonly number[], y: readonly number[]): (value: number) => number {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i] as number;
    meanY += y[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    sxx += dx * dx;
    sxy += dx * ((y[i] as number) - meanY);
  }
  if (sxx === 0) {
    // Minimum-norm solution of [x 1]·[s b]ᵀ = y with x constant: s·x + b = mean(y).
    return () => meanY;
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  return (value) => slope * value + intercept;
}

/** mir_eval.transcription_velocity.match_notes. */
export function matchNotesWithVelocity(
  ref: readonly EvalNote[],
  est: readonly EvalNote[],
  options: NoteMatchOptions = {},
): MatchedPair[] {
  const matching = matchNotes(ref, est, options);
  if (matching.length === 0) return [];
  const refVelocities = ref.map((n) => n.velocity ?? 0);
  const minVelocity = Math.min(...refVelocities);
  const maxVelocity = Math.max(...refVelocities);
  const range = Math.max(1, maxVelocity - minVelocity);
  const refMatched = matching.map(([i]) => ((refVelocities[i] as number) - minVelocity) / range);
  const estMatched = matching.map(([, j]) => (est[j] as EvalNote).velocity ?? 0);
  const rescale = fitLine(estMatched, refMatched);
  const tolerance = options.velocityTolerance ?? 0.1;
  return matching.filter((_, k) => Math.abs(rescale(estMatched[k] as number) - (refMatched[k] as number)) < tolerance);
}

/** mir_eval.transcription_velocity.precision_recall_f1_overlap. */
export function velocityPrecisionRecallF1Overlap(
  ref: readonly EvalNote[],
  est: readonly EvalNote[],
  options: NoteMatchOptions = {},
): PrecisionRecallFOverlap {
  validateNotes(ref, 'reference', true);
  validateNotes(est, 'estimate', true);
  if (ref.length === 0 || est.length === 0) return { precision: 0, recall: 0, fMeasure: 0, averageOverlapRatio: 0 };
  const matching = matchNotesWithVelocity(ref, est, options);
  const precision = matching.length / est.length;
  const recall = matching.length / ref.length;
  return {
    precision,
    recall,
    fMeasure: fMeasure(precision, recall, options.beta ?? 1),
    averageOverlapRatio: averageOverlapRatio(ref, est, matching),
  };
}
