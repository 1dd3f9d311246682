/**
 * Frame-level multi-pitch metrics, equal to mir_eval.multipitch (precision, recall, accuracy and
 * Poliner-Ellis error scores, plus their chroma variants), and the note → frame conversion used to
 * score a transcription frame by frame.
 */
import { AppError } from '../../shared/errors';
import type { EvalNote } from './note-metrics';

/** A ragged time series: at each time, the active frequencies in Hz. */
export interface MultipitchSeries {
  times: number[];
  frequencies: number[][];
}

export type MultipitchScores = Record<string, number>;

const MAX_TIME = 30000;
const MAX_FREQ = 5000;
const MIN_FREQ = 20;
/** Half a semitone, in MIDI units (mir_eval's default window). */
const DEFAULT_WINDOW = 0.5;

function validateSeries(series: MultipitchSeries, label: string): void {
  const { times, frequencies } = series;
  if (times.length !== frequencies.length) {
    throw new AppError('INVALID_ARGUMENT', `${label}: times and frequencies have unequal lengths`);
  }
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (!Number.isFinite(t) || t > MAX_TIME) throw new AppError('INVALID_ARGUMENT', `${label}: bad time ${t} at ${i}`);
    if (i > 0 && t < (times[i - 1] as number)) throw new AppError('INVALID_ARGUMENT', `${label}: times must increase`);
    for (const f of frequencies[i] as number[]) {
      if (!(f >= MIN_FREQ && f <= MAX_FREQ)) {
        throw new AppError('INVALID_ARGUMENT', `${label}: frequency ${f} Hz outside [${MIN_FREQ}, ${MAX_FREQ}]`);
      }
    }
  }
}

/** scipy interp1d(kind='nearest') on frame indices, out-of-range → empty frame (as mir_eval). */
function resampleMultipitch(series: MultipitchSeries, targetTimes: readonly number[]): number[][] {
  const { times, frequencies } = series;
  if (targetTimes.length === 0) return [];
  if (times.length === 0) return targetTimes.map(() => []);
  const first = times[0] as number;
  const last = times[times.length - 1] as number;
  const midpoints = times.slice(1).map((t, i) => (t + (times[i] as number)) / 2);
  return targetTimes.map((x) => {
    if (x < first || x > last) return [];
    // searchsorted(midpoints, x, side='left')
    let lo = 0;
    let hi = midpoints.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((midpoints[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return frequencies[lo] ?? [];
  });
}

function hzToMidi(f: number): number {
  return 69 + 12 * Math.log2(f / 440);
}

function mod(x: number, n: number): number {
  return x - n * Math.floor(x / n);
}

/** Size of a maximum matching between two frames' pitches, at most `window` apart. */
function countFrameMatches(ref: readonly number[], est: readonly number[], window: number, chroma: boolean): number {
  const adjacency: number[][] = est.map((e) =>
    ref.flatMap((r, i) => {
      if (chroma) {
        const diff = Math.abs(mod(r, 12) - mod(e, 12));
        return Math.min(diff, 12 - diff) <= window ? [i] : [];
      }
      return r >= e - window && r <= e + window ? [i] : [];
    }),
  );
  // Augmenting paths (Kuhn); only the size is used, and a maximum matching's size is unique.
  const refOwner = new Array<number>(ref.length).fill(-1);
  const tryAssign = (j: number, seen: boolean[]): boolean => {
    for (const i of adjacency[j] as number[]) {
      if (seen[i]) continue;
      seen[i] = true;
      const owner = refOwner[i] as number;
      if (owner === -1 || tryAssign(owner, seen)) {
        refOwner[i] = j;
        return true;
      }
    }
    return false;
  };
  let count = 0;
  for (let j = 0; j < est.length; j++) if (tryAssign(j, new Array<boolean>(ref.length).fill(false))) count++;
  return count;
}

function accuracy(tp: number[], nRef: number[], nEst: number[]): [number, number, number] {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const tpSum = sum(tp);
  const precision = sum(nEst) > 0 ? tpSum / sum(nEst) : 0;
  const recall = sum(nRef) > 0 ? tpSum / sum(nRef) : 0;
  const denominator = nEst.reduce((a, e, i) => a + e + (nRef[i] as number) - (tp[i] as number), 0);
  return [precision, recall, denominator > 0 ? tpSum / denominator : 0];
}

function errorScores(tp: number[], nRef: number[], nEst: number[]): [number, number, number, number] {
  const refSum = nRef.reduce((a, b) => a + b, 0);
  if (refSum === 0) return [0, 0, 0, 0];
  let sub = 0;
  let miss = 0;
  let falseAlarm = 0;
  let total = 0;
  nRef.forEach((r, i) => {
    const e = nEst[i] as number;
    const t = tp[i] as number;
    sub += Math.min(r, e) - t;
    miss += Math.max(0, r - e);
    falseAlarm += Math.max(0, e - r);
    total += Math.max(r, e) - t;
  });
  return [sub / refSum, miss / refSum, falseAlarm / refSum, total / refSum];
}

/** mir_eval.multipitch.evaluate (same keys). */
export function evaluateMultipitch(ref: MultipitchSeries, est: MultipitchSeries, window = DEFAULT_WINDOW): MultipitchScores {
  validateSeries(ref, 'reference');
  validateSeries(est, 'estimate');
  const sameTimes =
    est.times.length === ref.times.length &&
    est.times.every((t, i) => Math.abs(t - (ref.times[i] as number)) <= 1e-8 + 1e-5 * Math.abs(ref.times[i] as number));
  const estFrequencies = sameTimes ? est.frequencies : resampleMultipitch(est, ref.times);
  const refMidi = ref.frequencies.map((fs) => fs.map(hzToMidi));
  const estMidi = estFrequencies.map((fs) => fs.map(hzToMidi));
  const nRef = refMidi.map((fs) => fs.length);
  const nEst = estMidi.map((fs) => fs.length);
  const tp = refMidi.map((r, i) => countFrameMatches(r, estMidi[i] ?? [], window, false));
  const tpChroma = refMidi.map((r, i) => countFrameMatches(r, estMidi[i] ?? [], window, true));
  const [p, r, a] = accuracy(tp, nRef, nEst);
  const [sub, miss, fa, tot] = errorScores(tp, nRef, nEst);
  const [pc, rc, ac] = accuracy(tpChroma, nRef, nEst);
  const [subC, missC, faC, totC] = errorScores(tpChroma, nRef, nEst);
  return {
    Precision: p,
    Recall: r,
    Accuracy: a,
    'Substitution Error': sub,
    'Miss Error': miss,
    'False Alarm Error': fa,
    'Total Error': tot,
    'Chroma Precision': pc,
    'Chroma Recall': rc,
    'Chroma Accuracy': ac,
    'Chroma Substitution Error': subC,
    'Chroma Miss Error': missC,
    'Chroma False Alarm Error': faC,
    'Chroma Total Error': totC,
  };
}

/**
 * Samples notes on a regular frame grid (frame k at k / frameRate): a note is active in frame k
 * when onset <= time < offset. The conventional way to get frame-level F1 from note lists.
 */
export function notesToMultipitch(notes: readonly EvalNote[], frameRate: number, durationSec?: number): MultipitchSeries {
  const end = durationSec ?? notes.reduce((m, n) => Math.max(m, n.offsetSec), 0);
  const frameCount = Math.ceil(end * frameRate);
  const times = Array.from({ length: frameCount }, (_, k) => k / frameRate);
  const frequencies: number[][] = times.map(() => []);
  for (const n of notes) {
    const first = Math.max(0, Math.ceil(n.onsetSec * frameRate - 1e-9));
    for (let k = first; k < frameCount && k / frameRate < n.offsetSec; k++) (frequencies[k] as number[]).push(n.pitchHz);
  }
  return { times, frequencies };
}
