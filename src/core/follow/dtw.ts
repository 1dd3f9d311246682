/**
 * Coarse dynamic time warping between score onset slots and performed onset clusters, each a
 * set of pitches, with backward jumps: a player who stops and starts again from an earlier bar
 * (a restart, or practising bars 5–8 three times) makes the path jump back in the score. A
 * monotone pass comes first; jumps are then allowed only near clusters it leaves unexplained.
 * The grid is walked cluster by cluster (columns); a jump into slot i at cluster j comes from
 * the cheapest of the next MAX_JUMP_BACK_SLOTS slots at cluster j - 1 (a sliding-window
 * minimum, so the cost stays O(slots x clusters)). Costs are float64 and steps one byte per
 * cell (~18 MB for 2 M cells); larger problems run in a band (coarse-to-fine for the monotone
 * pass, around the monotone path for the pass with jumps).
 */
export interface PitchEvent {
  /** Time of the event (written seconds for the score, seconds for the performance). */
  time: number;
  pitches: number[];
}

export interface DtwResult {
  /** [scoreIndex, perfIndex] per path cell, perfIndex non-decreasing; scoreIndex drops at a jump. */
  path: [number, number][];
  /** Local pitch-set distance of each path cell (low = the two events share their pitches). */
  distance: number[];
}

const STEP_DIAGONAL = 0;
const STEP_SCORE = 1; // advance in the score only (performer skipped a slot)
const STEP_PERF = 2; // advance in the performance only (extra / split cluster)
const STEP_JUMP_BACK = 3; // back to an earlier slot (restart)
/**
 * Extra cost of a non-diagonal step. Repeated identical chords make many paths equally cheap on
 * pitches alone; this breaks the tie toward one-to-one pairing instead of an arbitrary shift.
 */
const OFF_DIAGONAL_PENALTY = 0.1;
const TIME_PRIOR_PER_SEC = 0.02;
/**
 * Cap of the prior per cell. It only breaks ties; at 0.5 its sum over a long stretch outweighed
 * real evidence on takes whose tempo drifts from the straight line (Batik K. 331: a whole
 * 8-bar section left unmatched, detection F1 0.36 -> 0.90 at 0.1).
 */
const TIME_PRIOR_CAP = 0.1;
const SKIP_SLOT_COST = 0.6;
/**
 * Cost of jumping back. A replayed stretch that is not modelled as a jump costs about 1 per
 * cluster (unexplained notes), so a restart of 4+ onsets pays for its jump; a single ornament
 * or wrong chord that happens to match an earlier slot does not, because after jumping the path
 * must also pass over the slots in between again.
 */
const JUMP_BACK_COST = 3;
/**
 * How far back (in slots) a restart may go. Unbounded jumps let the path hop between the copies
 * of an unfolded repeat and between similar themes far apart (on real concert takes: a coda
 * matched to the opening bars); a practising player goes back a few bars.
 */
export const MAX_JUMP_BACK_SLOTS = 64;
/** A jump needs this many clusters the monotone path leaves unexplained within this radius. */
const JUMP_EVIDENCE_CLUSTERS = 3;
const JUMP_EVIDENCE_RADIUS = 24;
const UNEXPLAINED_DISTANCE = 0.5;
/** After a jump, this share of the next clusters must fit their slots. */
const REPLAY_CHECK_CLUSTERS = 8;
const REPLAY_FIT_SHARE = 0.75;
const MAX_JUMP_ROUNDS = 4;
/** Above this many cells the DTW runs coarse-to-fine (4x coarser pass, then a band). */
const FULL_DTW_MAX_CELLS = 2_000_000;
const COARSE_GROUP = 4;
/** Band half-width in score slots around the projected coarse path. */
const BAND_RADIUS = 32;

/** Cosine distance between two pitch sets: 0 = same pitches, 1 = nothing in common. */
function setDistance(mask: Uint32Array, maskOffset: number, maskSize: number, perf: number[]): number {
  let common = 0;
  for (const p of perf) common += (mask[maskOffset + (p >>> 5)]! >>> (p & 31)) & 1;
  if (common === 0) return 1;
  return 1 - common / Math.sqrt(maskSize * perf.length);
}

/** The warping path (with backward jumps) and the local distance of each path cell. */
export function dtwPath(score: PitchEvent[], perf: PitchEvent[]): DtwResult {
  // A monotone pass first: jumps back are only considered where it leaves clusters unexplained,
  // and long pieces search a band around it.
  const monotone = solve(score, perf, { jumps: false });
  const options = { jumps: true, jumpAllowed: jumpColumns(monotone, perf.length) };
  if (!options.jumpAllowed.includes(1)) return monotone;
  // Long pieces: a band of slots around the monotone path, wide enough for any jump back.
  let band: { lo: Int32Array; hi: Int32Array } | null = null;
  if (score.length * perf.length > FULL_DTW_MAX_CELLS) {
    const n = score.length;
    band = { lo: new Int32Array(perf.length).fill(n), hi: new Int32Array(perf.length).fill(-1) };
    for (const [i, j] of monotone.path) {
      band.lo[j] = Math.min(band.lo[j]!, Math.max(0, i - MAX_JUMP_BACK_SLOTS - BAND_RADIUS));
      band.hi[j] = Math.max(band.hi[j]!, Math.min(n - 1, i + BAND_RADIUS));
    }
    band.lo[0] = 0;
  }
  // A jump must be followed by a replay that fits: otherwise (an ornament or a run of wrong
  // notes that happened to match a slot a few back) it is forbidden there and the pass re-run.
  for (let round = 0; round < MAX_JUMP_ROUNDS; round++) {
    const result = banded(score, perf, band, options);
    const rejected = unconfirmedJumps(result);
    if (rejected.length === 0) return result;
    for (const j of rejected) options.jumpAllowed[j] = 0;
  }
  return monotone;
}

/** Clusters where the path jumps back but the next clusters mostly fit no slot. */
function unconfirmedJumps(result: DtwResult): number[] {
  const { path, distance } = result;
  const entry: number[] = []; // path index of each cluster's first cell
  path.forEach(([, j], k) => {
    if (entry[j] === undefined) entry[j] = k;
  });
  const rejected: number[] = [];
  for (let k = 1; k < path.length; k++) {
    if (path[k]![0] >= path[k - 1]![0]) continue;
    const j = path[k]![1];
    let fit = 0;
    let seen = 0;
    for (let c = j; c < entry.length && seen < REPLAY_CHECK_CLUSTERS; c++, seen++) if (distance[entry[c]!]! <= UNEXPLAINED_DISTANCE) fit++;
    if (seen > 0 && fit < REPLAY_FIT_SHARE * seen) rejected.push(j);
  }
  return rejected;
}

/**
 * Clusters where a jump back may happen: near a stretch that the monotone path cannot explain
 * (a replayed attempt leaves clusters that match no slot). Elsewhere a jump only trades one
 * near-equal reading for another (Alberti figures, the two copies of an unfolded repeat).
 */
function jumpColumns(monotone: DtwResult, m: number): Uint8Array {
  const unexplained = new Uint8Array(m);
  const seen = new Uint8Array(m);
  monotone.path.forEach(([, j], k) => {
    if (seen[j]) return;
    seen[j] = 1;
    if (monotone.distance[k]! > UNEXPLAINED_DISTANCE) unexplained[j] = 1;
  });
  const prefix = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) prefix[j + 1] = prefix[j]! + unexplained[j]!;
  return Uint8Array.from({ length: m }, (_, j) => (prefix[Math.min(m, j + JUMP_EVIDENCE_RADIUS + 1)]! - prefix[Math.max(0, j - JUMP_EVIDENCE_RADIUS)]! >= JUMP_EVIDENCE_CLUSTERS ? 1 : 0));
}

interface Options {
  jumps: boolean;
  /** Per performed cluster: may a jump back land here (all may when absent). */
  jumpAllowed?: Uint8Array;
}

function solve(score: PitchEvent[], perf: PitchEvent[], options: Options): DtwResult {
  const n = score.length;
  const m = perf.length;
  if (n * m <= FULL_DTW_MAX_CELLS || n < 2 * COARSE_GROUP || m < 2 * COARSE_GROUP) return banded(score, perf, null, options);
  // Long pieces: solve a 4x coarser problem first, then only a band of slots around its path.
  const coarse = solve(group(score), group(perf), { jumps: false }).path;
  const lo = new Int32Array(m).fill(n);
  const hi = new Int32Array(m).fill(-1);
  for (const [ci, cj] of coarse) {
    const from = Math.max(0, ci * COARSE_GROUP - BAND_RADIUS);
    const to = Math.min(n - 1, ci * COARSE_GROUP + COARSE_GROUP - 1 + BAND_RADIUS);
    for (let j = cj * COARSE_GROUP; j < Math.min(m, (cj + 1) * COARSE_GROUP); j++) {
      lo[j] = Math.min(lo[j]!, from);
      hi[j] = Math.max(hi[j]!, to);
    }
  }
  lo[0] = 0;
  return banded(score, perf, { lo, hi }, options);
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

/** DTW restricted, per performed cluster j, to the slots lo[j]..hi[j] (all slots without a band). */
function banded(score: PitchEvent[], perf: PitchEvent[], band: { lo: Int32Array; hi: Int32Array } | null, options: Options): DtwResult {
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
  const rowTime = Float64Array.from(score, (e) => ratio * (e.time - score[0]!.time));
  const lo = band ? band.lo : new Int32Array(m);
  const hi = band ? band.hi : new Int32Array(m).fill(n - 1);
  const start = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) start[j + 1] = start[j]! + Math.max(0, hi[j]! - lo[j]! + 1);
  const cost = new Float64Array(start[m]!);
  const steps = new Uint8Array(start[m]!);
  const at = (i: number, j: number) => (j >= 0 && i >= lo[j]! && i <= hi[j]! ? cost[start[j]! + i - lo[j]!]! : Infinity);
  // windowMin[i - lo] = cheapest cost at the previous cluster over slots i .. i + MAX_JUMP_BACK_SLOTS - 1
  // (the sources of a jump back into slot i - 1), by a monotone deque.
  let windowMin = new Float64Array(0);
  const deque = new Int32Array(n);
  for (let j = 0; j < m; j++) {
    const pitches = perf[j]!.pitches;
    const perfTime = perf[j]!.time - perf[0]!.time;
    const pLo = j > 0 ? lo[j - 1]! : 0;
    const pHi = j > 0 ? hi[j - 1]! : -1;
    const jumpFrom = (i: number) => (i > pHi || i + MAX_JUMP_BACK_SLOTS - 1 < pLo ? Infinity : i >= pLo ? windowMin[i - pLo]! : windowMinFrom(i));
    // Rows below the previous band (only with a band): the window reaches into it partly.
    const windowMinFrom = (i: number) => {
      let best = Infinity;
      for (let k = pLo; k <= Math.min(pHi, i + MAX_JUMP_BACK_SLOTS - 1); k++) best = Math.min(best, at(k, j - 1));
      return best;
    };
    let below = Infinity; // cost at (i - 1, j)
    for (let i = lo[j]!; i <= hi[j]!; i++) {
      // Cost = share of the cluster's pitches the slot lacks: a chord played in pieces (several
      // clusters per slot) or several slots heard as one cluster cost only the step penalty.
      let common = 0;
      for (const p of pitches) common += (masks[i * 4 + ((p & 127) >>> 5)]! >>> (p & 31)) & 1;
      const prior = Math.min(TIME_PRIOR_CAP, TIME_PRIOR_PER_SEC * Math.abs(perfTime - rowTime[i]!));
      const d = 1 - common / pitches.length + prior;
      // Passing over a score slot (score-only step) costs at most SKIP_SLOT_COST: a repeat left
      // out mid-piece must not be cheaper to "play" with the wrong notes than to skip.
      const skip = OFF_DIAGONAL_PENALTY + Math.min(d, SKIP_SLOT_COST);
      let best: number;
      let step: number;
      if (i === 0 && j === 0) {
        best = d;
        step = STEP_DIAGONAL;
      } else if (i === 0) {
        best = at(0, j - 1) + d; // notes before the first slot: no step penalty, as before
        step = STEP_PERF;
      } else if (j === 0) {
        best = below + skip;
        step = STEP_SCORE;
      } else {
        best = at(i - 1, j - 1) + d;
        step = STEP_DIAGONAL;
        if (below + skip < best) {
          best = below + skip;
          step = STEP_SCORE;
        }
        const viaPerf = at(i, j - 1) + OFF_DIAGONAL_PENALTY + d;
        if (viaPerf < best) {
          best = viaPerf;
          step = STEP_PERF;
        }
      }
      if (j > 0 && options.jumps && (!options.jumpAllowed || options.jumpAllowed[j])) {
        const viaJump = jumpFrom(i + 1) + JUMP_BACK_COST + d;
        if (viaJump < best) {
          best = viaJump;
          step = STEP_JUMP_BACK;
        }
      }
      cost[start[j]! + i - lo[j]!] = best;
      steps[start[j]! + i - lo[j]!] = step;
      below = best;
    }
    windowMin = new Float64Array(Math.max(0, hi[j]! - lo[j]! + 1));
    let head = 0;
    let tail = 0;
    for (let i = hi[j]!; i >= lo[j]!; i--) {
      const c = cost[start[j]! + i - lo[j]!]!;
      while (tail > head && cost[start[j]! + deque[tail - 1]! - lo[j]!]! >= c) tail--;
      deque[tail++] = i;
      while (deque[head]! > i + MAX_JUMP_BACK_SLOTS - 1) head++;
      windowMin[i - lo[j]!] = cost[start[j]! + deque[head]! - lo[j]!]!;
    }
  }
  // Open end on the score axis: the take may stop early or leave out a repeat, so the path may
  // end at any score slot; the rest of the score is simply not played.
  let i = lo[m - 1]!;
  for (let k = lo[m - 1]! + 1; k <= hi[m - 1]!; k++) if (at(k, m - 1) < at(i, m - 1) - 1e-9) i = k;
  let j = m - 1;
  const path: [number, number][] = [];
  const distance: number[] = [];
  for (;;) {
    path.push([i, j]);
    distance.push(setDistance(masks, i * 4, sizes[i]!, perf[j]!.pitches));
    if (i === 0 && j === 0) break;
    const step = steps[start[j]! + i - lo[j]!]!;
    if (step === STEP_DIAGONAL) {
      i--;
      j--;
    } else if (step === STEP_SCORE) i--;
    else if (step === STEP_PERF) j--;
    else {
      // The cheapest source slot of the jump back at the previous cluster.
      const [from, to] = [Math.max(i + 1, lo[j - 1]!), Math.min(i + MAX_JUMP_BACK_SLOTS, hi[j - 1]!)];
      let source = -1;
      for (let k = from; k <= to; k++) if (source < 0 || at(k, j - 1) < at(source, j - 1)) source = k;
      i = source;
      j--;
    }
  }
  path.reverse();
  distance.reverse();
  return { path, distance };
}
