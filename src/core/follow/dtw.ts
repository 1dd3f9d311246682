/**
 * Coarse dynamic time warping between score onset slots and performed onset clusters, each a
 * set of pitches, with backward jumps: a player who stops and starts again from an earlier bar
 * (a restart, or practising bars 5–8 three times) makes the path jump back in the score. A
 * monotone pass comes first; jumps are then allowed only near clusters it leaves unexplained.
 * The grid is walked cluster by cluster (columns); a jump into slot i at cluster j comes from
 * the cheapest of the next MAX_JUMP_BACK_SLOTS slots at cluster j - 1 (a sliding-window
 * minimum, so the cost stays O(slots x clusters)). Where the monotone path leaves the end of
 * the take unexplained (a repeat left out mid-piece), it may also jump forward over any number
 * of slots at a fixed cost (a prefix minimum). Costs are float64 and steps one byte per
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
const STEP_JUMP_FORWARD = 4; // over a stretch of slots at once (a repeat left out mid-piece)
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
/**
 * Cost of leaving out any number of slots at once. Passing over slots one by one costs up to
 * 0.7 each, so a take that leaves out a whole repeat mid-piece (Batik K. 457/1 goes from bar
 * 240 to the second ending, ~90 bars on) paid more for the skip than for leaving the rest of
 * the take unmatched: the path stopped there and 215 played notes went unaligned. Above this
 * cost (~14 slots of unmatched skipping) one jump does it.
 */
export const FORWARD_JUMP_COST = 10;
/** In the pass with jumps back, forward jumps only this close to the monotone pass's ones. */
const FORWARD_JUMP_RADIUS = 2;
/**
 * A forward jump is considered when the take's unexplained tail weighs this much (K. 457/1's
 * left-out repeat: ~150 clusters, mostly unexplained)... At 8 it also fired in the live
 * follower's settling windows (~48 presses, the last ones past the window's slice) and cost
 * Batik K. 331/1 its settled detection (F1 0.84 -> 0.58).
 */
const TAIL_EVIDENCE = 24;
/** ...and may land this close to the last explained cluster. */
const TAIL_JUMP_RADIUS = 8;
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
  let monotone = solve(score, perf, { jumps: false });
  // A take that leaves out a repeat mid-piece: the monotone path stops where the omission
  // starts and leaves the rest of the take unexplained (skipping slot by slot costs more). Only
  // then, and only there, may the path jump forward: elsewhere a forward jump into the second
  // copy of a repeat explained an injected restart better than the jump back did.
  const forwardAllowed = tailJumpColumns(monotone, perf.length);
  if (forwardAllowed) monotone = solve(score, perf, { jumps: false, forwardAllowed });
  // Forward jumps (a left-out repeat) only where the monotone pass made one: with jumps back
  // allowed too, a jump back and a jump forward together could explain a passage of repeated
  // figures in a shifted way (Batik K. 457/3, bars 82-99).
  const options = { jumps: true, jumpAllowed: jumpColumns(monotone, perf.length), forwardAllowed: forwardColumns(monotone, perf.length) };
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

/** 1 for each cluster whose entry cell on the path matches its slot poorly. */
function unexplainedClusters(result: DtwResult, m: number): Uint8Array {
  const unexplained = new Uint8Array(m);
  const seen = new Uint8Array(m);
  result.path.forEach(([, j], k) => {
    if (seen[j]) return;
    seen[j] = 1;
    if (result.distance[k]! > UNEXPLAINED_DISTANCE) unexplained[j] = 1;
  });
  return unexplained;
}

/**
 * Clusters where a jump back may happen: near a stretch that the monotone path cannot explain
 * (a replayed attempt leaves clusters that match no slot). Elsewhere a jump only trades one
 * near-equal reading for another (Alberti figures, the two copies of an unfolded repeat).
 */
function jumpColumns(monotone: DtwResult, m: number): Uint8Array {
  const unexplained = unexplainedClusters(monotone, m);
  const prefix = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) prefix[j + 1] = prefix[j]! + unexplained[j]!;
  return Uint8Array.from({ length: m }, (_, j) => (prefix[Math.min(m, j + JUMP_EVIDENCE_RADIUS + 1)]! - prefix[Math.max(0, j - JUMP_EVIDENCE_RADIUS)]! >= JUMP_EVIDENCE_CLUSTERS ? 1 : 0));
}

/**
 * When the end of the take is mostly unexplained by the path (a left-out repeat: from there on
 * the take fits the path's last slots only by chance, a few shared pitches), the clusters
 * around where that tail starts; null otherwise. The tail starts where the suffix sum of
 * (unexplained - 1/2) per cluster is largest, and must outweigh TAIL_EVIDENCE clusters.
 */
function tailJumpColumns(result: DtwResult, m: number): Uint8Array | null {
  const unexplained = unexplainedClusters(result, m);
  let sum = 0;
  let best = 0;
  let start = -1;
  for (let j = m - 1; j >= 0; j--) {
    sum += unexplained[j]! - 0.5;
    if (sum > best) {
      best = sum;
      start = j;
    }
  }
  if (start < 0 || best < TAIL_EVIDENCE) return null;
  const allowed = new Uint8Array(m);
  for (let c = Math.max(0, start - TAIL_JUMP_RADIUS); c <= Math.min(m - 1, start + TAIL_JUMP_RADIUS); c++) allowed[c] = 1;
  return allowed;
}

/** Clusters within a couple of clusters of where the path jumps forward. */
function forwardColumns(result: DtwResult, m: number): Uint8Array {
  const allowed = new Uint8Array(m);
  const { path } = result;
  for (let t = 1; t < path.length; t++) {
    if (path[t]![0] - path[t - 1]![0] < 2) continue;
    const j = path[t]![1];
    for (let c = Math.max(0, j - FORWARD_JUMP_RADIUS); c <= Math.min(m - 1, j + FORWARD_JUMP_RADIUS); c++) allowed[c] = 1;
  }
  return allowed;
}

interface Options {
  jumps: boolean;
  /** Per performed cluster: may a jump forward land here (none may when absent). */
  forwardAllowed?: Uint8Array;
  /** Per performed cluster: may a jump back land here (all may when absent). */
  jumpAllowed?: Uint8Array;
}

function solve(score: PitchEvent[], perf: PitchEvent[], options: Options): DtwResult {
  const n = score.length;
  const m = perf.length;
  if (n * m <= FULL_DTW_MAX_CELLS || n < 2 * COARSE_GROUP || m < 2 * COARSE_GROUP) return banded(score, perf, null, options);
  // Long pieces: solve a 4x coarser problem first, then only a band of slots around its path.
  const forwardAllowed = options.forwardAllowed ? Uint8Array.from({ length: Math.ceil(m / COARSE_GROUP) }, (_, c) => (options.forwardAllowed!.subarray(c * COARSE_GROUP, (c + 1) * COARSE_GROUP).includes(1) ? 1 : 0)) : undefined;
  const coarse = solve(group(score), group(perf), { jumps: false, forwardAllowed }).path;
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
  // The band follows the coarse path's forward jump at the group's edge: allow the fine path to
  // jump anywhere in a coarse group that may jump, or it could not get from one band to the next.
  const fineForward = forwardAllowed ? Uint8Array.from({ length: m }, (_, j) => forwardAllowed[Math.floor(j / COARSE_GROUP)]!) : undefined;
  return banded(score, perf, { lo, hi }, { ...options, forwardAllowed: fineForward });
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
    // prefixMin[k] = cheapest cost at the previous cluster over slots pLo .. pLo + k (the
    // sources of a jump forward).
    const prefixMin = new Float64Array(Math.max(0, pHi - pLo + 1));
    for (let k = 0; k < prefixMin.length; k++) prefixMin[k] = Math.min(k > 0 ? prefixMin[k - 1]! : Infinity, at(pLo + k, j - 1));
    const forwardFrom = (i: number) => (j === 0 || i - 2 < pLo ? Infinity : prefixMin[Math.min(i - 2, pHi) - pLo]!);
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
      // A further slot on the same cluster is explained when the cluster holds its pitches: at
      // fast tempi the 90 ms cluster takes in a 16th after a chord (Mozart K. 310/1 bar 49),
      // and pricing that slot by the chord's pitches it lacks shifted a run of repeated chords
      // by one.
      const slotHeard = common >= sizes[i]!;
      const skip = OFF_DIAGONAL_PENALTY + Math.min(slotHeard ? prior : d, SKIP_SLOT_COST);
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
      const viaForward = forwardFrom(i) + FORWARD_JUMP_COST + d;
      if (viaForward < best && options.forwardAllowed?.[j]) {
        best = viaForward;
        step = STEP_JUMP_FORWARD;
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
    else if (step === STEP_JUMP_FORWARD) {
      // The cheapest source slot of the jump forward at the previous cluster.
      const [from, to] = [lo[j - 1]!, Math.min(i - 2, hi[j - 1]!)];
      let source = from;
      for (let k = from + 1; k <= to; k++) if (at(k, j - 1) < at(source, j - 1)) source = k;
      i = source;
      j--;
    } else {
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
  slideForwardJumps(path, masks);
  return { path, distance };
}

/**
 * A take that leaves out a repeat can be read two ways when the two copies agree: play the
 * first copy on and jump at its end, or jump early into the second copy. The pitches cannot
 * tell them apart and the time prior pulls toward the early jump; players (and annotators)
 * mean the late one: the first copy as far as it goes. So after each forward jump, path cells
 * whose slot has the same pitches as the slot one jump-length back move onto that slot (the
 * jump moves later), as long as that holds. Distances stay the same (same pitches).
 */
function slideForwardJumps(path: [number, number][], masks: Uint32Array): void {
  const samePitches = (a: number, b: number) => {
    for (let w = 0; w < 4; w++) if (masks[a * 4 + w] !== masks[b * 4 + w]) return false;
    return true;
  };
  for (let t = 1; t < path.length; t++) {
    const from = path[t - 1]![0];
    const length = path[t]![0] - from - 1; // slots left out
    if (length < 1) continue;
    let last = from;
    for (let u = t; u < path.length; u++) {
      const slot = path[u]![0];
      if (u > t && slot < path[u - 1]![0]) break; // a jump back: the slide stops there
      const target = slot - length;
      if (target < last || target <= from || !samePitches(target, slot)) break;
      path[u]![0] = target;
      last = target;
    }
  }
}
