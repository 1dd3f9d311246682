/**
 * Coarse dynamic time warping between score onset slots and performed onset clusters, each a
 * set of pitches. Only the two latest rows of accumulated cost are kept; the path is recovered
 * from a byte per cell of step directions, so a 4,000 x 5,000 problem needs ~20 MB.
 */
export interface PitchEvent {
  /** Time of the event (written seconds for the score, seconds for the performance). */
  time: number;
  pitches: number[];
}

const STEP_DIAGONAL = 0;
const STEP_SCORE = 1; // advance in the score only (performer skipped a slot)
const STEP_PERF = 2; // advance in the performance only (extra / split cluster)
/**
 * Extra cost of a non-diagonal step. Repeated identical chords make many paths equally cheap on
 * pitches alone; this breaks the tie toward one-to-one pairing instead of an arbitrary shift.
 */
const OFF_DIAGONAL_PENALTY = 0.1;
const TIME_PRIOR_PER_SEC = 0.02;
const SKIP_SLOT_COST = 0.6;
/** Above this many cells the DTW runs coarse-to-fine (4x coarser pass, then a band). */
const FULL_DTW_MAX_CELLS = 2_000_000;
const COARSE_GROUP = 4;
/** Band half-width in performed clusters around the projected coarse path. */
const BAND_RADIUS = 32;
const TIME_PRIOR_CAP = 0.5;

/** Cosine distance between two pitch sets: 0 = same pitches, 1 = nothing in common. */
function setDistance(mask: Uint32Array, maskOffset: number, maskSize: number, perf: number[]): number {
  let common = 0;
  for (const p of perf) common += (mask[maskOffset + (p >>> 5)]! >>> (p & 31)) & 1;
  if (common === 0) return 1;
  return 1 - common / Math.sqrt(maskSize * perf.length);
}

/**
 * Returns the warping path as [scoreIndex, perfIndex] pairs in increasing order, plus the local
 * distance of each path cell (low = the two events share their pitches).
 */
export function dtwPath(score: PitchEvent[], perf: PitchEvent[]): { path: [number, number][]; distance: number[] } {
  const n = score.length;
  const m = perf.length;
  if (n * m <= FULL_DTW_MAX_CELLS || n < 2 * COARSE_GROUP || m < 2 * COARSE_GROUP) return banded(score, perf, null);
  // Long pieces: solve a 4x coarser problem first, then only a band around its path.
  const coarse = dtwPath(group(score), group(perf)).path;
  const lo = new Int32Array(n).fill(m);
  const hi = new Int32Array(n).fill(-1);
  for (const [ci, cj] of coarse) {
    const from = Math.max(0, cj * COARSE_GROUP - BAND_RADIUS);
    const to = Math.min(m - 1, cj * COARSE_GROUP + COARSE_GROUP - 1 + BAND_RADIUS);
    for (let i = ci * COARSE_GROUP; i < Math.min(n, (ci + 1) * COARSE_GROUP); i++) {
      lo[i] = Math.min(lo[i]!, from);
      hi[i] = Math.max(hi[i]!, to);
    }
  }
  lo[0] = 0;
  return banded(score, perf, { lo, hi });
}

/** Events merged COARSE_GROUP at a time (time of the first, all pitches). */
function group(events: PitchEvent[]): PitchEvent[] {
  const out: PitchEvent[] = [];
  for (let k = 0; k < events.length; k += COARSE_GROUP) {
    const part = events.slice(k, k + COARSE_GROUP);
    out.push({ time: part[0]!.time, pitches: part.flatMap((e) => e.pitches) });
  }
  return out;
}

/** DTW restricted, per score row, to the columns lo[i]..hi[i] (all columns without a band). */
function banded(score: PitchEvent[], perf: PitchEvent[], band: { lo: Int32Array; hi: Int32Array } | null): { path: [number, number][]; distance: number[] } {
  const n = score.length;
  const m = perf.length;
  if (n === 0 || m === 0) return { path: [], distance: [] };
  const masks = new Uint32Array(n * 4);
  score.forEach((e, i) => {
    for (const p of e.pitches) masks[i * 4 + ((p & 127) >>> 5)]! |= 1 << (p & 31);
  });
  const sizes = score.map((e) => Math.max(1, new Set(e.pitches).size));
  // Global linear time prior (first to last event): a weak pull toward the diagonal in time, so
  // that stretches of identical chords are paired in time order rather than by an arbitrary tie.
  const scoreSpan = score[n - 1]!.time - score[0]!.time;
  const perfSpan = perf[m - 1]!.time - perf[0]!.time;
  const ratio = scoreSpan > 0 && perfSpan > 0 ? perfSpan / scoreSpan : 1;
  // Flat per-cluster data: the inner loop runs slots x clusters times, so no object access there.
  const perfTime = Float64Array.from(perf, (e) => e.time - perf[0]!.time);
  const pitchStart = new Int32Array(m + 1);
  perf.forEach((e, j) => (pitchStart[j + 1] = pitchStart[j]! + e.pitches.length));
  const pitchWord = new Int32Array(pitchStart[m]!);
  const pitchBit = new Int32Array(pitchStart[m]!);
  perf.forEach((e, j) =>
    e.pitches.forEach((p, k) => {
      pitchWord[pitchStart[j]! + k] = (p & 127) >>> 5;
      pitchBit[pitchStart[j]! + k] = p & 31;
    }),
  );
  const steps = new Uint8Array(n * m);
  // Open end on the score axis: the take may stop early or leave out a repeat, so the path may
  // end at any score slot; the rest of the score is simply not played.
  const lastColumn = new Float64Array(n);
  let previous = new Float64Array(m).fill(Infinity);
  let current = new Float64Array(m).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const rowTime = ratio * (score[i]!.time - score[0]!.time);
    const base = i * 4;
    const jFrom = band ? band.lo[i]! : 0;
    const jTo = band ? band.hi[i]! : m - 1;
    if (band) current.fill(Infinity);
    for (let j = jFrom; j <= jTo; j++) {
      // Cost = share of the cluster's pitches the slot lacks: a chord played in pieces (several
      // clusters per slot) or several slots heard as one cluster cost only the step penalty.
      let common = 0;
      const end = pitchStart[j + 1]!;
      for (let k = pitchStart[j]!; k < end; k++) common += (masks[base + pitchWord[k]!]! >>> pitchBit[k]!) & 1;
      const prior = Math.min(TIME_PRIOR_CAP, TIME_PRIOR_PER_SEC * Math.abs(perfTime[j]! - rowTime));
      const d = 1 - common / (end - pitchStart[j]!) + prior;
      // Passing over a score slot (score-only step) costs at most SKIP_SLOT_COST: a repeat left
      // out mid-piece must not be cheaper to "play" with the wrong notes than to skip.
      const skip = OFF_DIAGONAL_PENALTY + Math.min(d, SKIP_SLOT_COST);
      let best: number;
      let step: number;
      if (i === 0 && j === 0) {
        best = d;
        step = STEP_DIAGONAL;
      } else if (i === 0) {
        best = j > jFrom ? current[j - 1]! + d : Infinity;
        step = STEP_PERF;
      } else if (j === 0) {
        best = previous[0]! + skip;
        step = STEP_SCORE;
      } else {
        best = previous[j - 1]! + d;
        step = STEP_DIAGONAL;
        if (previous[j]! + skip < best) {
          best = previous[j]! + skip;
          step = STEP_SCORE;
        }
        if (j > jFrom && current[j - 1]! + OFF_DIAGONAL_PENALTY + d < best) {
          best = current[j - 1]! + OFF_DIAGONAL_PENALTY + d;
          step = STEP_PERF;
        }
      }
      current[j] = best;
      steps[i * m + j] = step;
    }
    lastColumn[i] = current[m - 1]!;
    const swap = previous;
    previous = current;
    current = swap;
  }
  const path: [number, number][] = [];
  const distance: number[] = [];
  let i = 0;
  for (let k = 1; k < n; k++) if (lastColumn[k]! < lastColumn[i]! - 1e-9) i = k;
  let j = m - 1;
  for (;;) {
    path.push([i, j]);
    distance.push(setDistance(masks, i * 4, sizes[i]!, perf[j]!.pitches));
    if (i === 0 && j === 0) break;
    const step = steps[i * m + j]!;
    if (step === STEP_DIAGONAL) {
      i--;
      j--;
    } else if (step === STEP_SCORE) i--;
    else j--;
  }
  path.reverse();
  distance.reverse();
  return { path, distance };
}
