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
  if (n === 0 || m === 0) return { path: [], distance: [] };
  const masks = new Uint32Array(n * 4);
  score.forEach((e, i) => {
    for (const p of e.pitches) masks[i * 4 + ((p & 127) >>> 5)]! |= 1 << (p & 31);
  });
  const sizes = score.map((e) => Math.max(1, new Set(e.pitches).size));
  const steps = new Uint8Array(n * m);
  let previous = new Float64Array(m);
  let current = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const size = sizes[i]!;
    for (let j = 0; j < m; j++) {
      const d = setDistance(masks, i * 4, size, perf[j]!.pitches);
      let best: number;
      let step: number;
      if (i === 0 && j === 0) {
        best = 0;
        step = STEP_DIAGONAL;
      } else if (i === 0) {
        best = current[j - 1]!;
        step = STEP_PERF;
      } else if (j === 0) {
        best = previous[0]!;
        step = STEP_SCORE;
      } else {
        best = previous[j - 1]!;
        step = STEP_DIAGONAL;
        if (previous[j]! < best) {
          best = previous[j]!;
          step = STEP_SCORE;
        }
        if (current[j - 1]! < best) {
          best = current[j - 1]!;
          step = STEP_PERF;
        }
      }
      current[j] = best + d;
      steps[i * m + j] = step;
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  const path: [number, number][] = [];
  const distance: number[] = [];
  let i = n - 1;
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
