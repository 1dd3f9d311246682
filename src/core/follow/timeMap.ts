/**
 * A monotone map from written (score) seconds to performance seconds, built from anchor points
 * (matched onsets). Points that break monotonicity (mismatches, the abandoned half of a restart)
 * are dropped by keeping the longest increasing chain; between anchors the map is linear, and
 * beyond the ends it continues with the slope of the outermost stretch.
 */
export interface TimePoint {
  written: number;
  time: number;
}

export class TimeMap {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly fallbackRate: number;

  constructor(points: TimePoint[], fallbackRate = 1) {
    const chain = increasingChain(mergeSameWritten(points));
    this.xs = Float64Array.from(chain, (p) => p.written);
    this.ys = Float64Array.from(chain, (p) => p.time);
    const n = chain.length;
    const span = n >= 2 ? this.xs[n - 1]! - this.xs[0]! : 0;
    this.fallbackRate = span > 1 ? (this.ys[n - 1]! - this.ys[0]!) / span : fallbackRate;
  }

  get size(): number {
    return this.xs.length;
  }

  /** Anchors kept after the monotonicity filter. */
  points(): TimePoint[] {
    return Array.from(this.xs, (written, i) => ({ written, time: this.ys[i]! }));
  }

  at(written: number): number {
    const { xs, ys } = this;
    const n = xs.length;
    if (n === 0) return written * this.fallbackRate;
    if (n === 1) return ys[0]! + (written - xs[0]!) * this.fallbackRate;
    if (written <= xs[0]!) return ys[0]! + (written - xs[0]!) * this.edgeRate(0, Math.min(n - 1, 4));
    if (written >= xs[n - 1]!) return ys[n - 1]! + (written - xs[n - 1]!) * this.edgeRate(Math.max(0, n - 5), n - 1);
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= written) lo = mid;
      else hi = mid;
    }
    const f = (written - xs[lo]!) / (xs[hi]! - xs[lo]!);
    return ys[lo]! + f * (ys[hi]! - ys[lo]!);
  }

  private edgeRate(a: number, b: number): number {
    const dx = this.xs[b]! - this.xs[a]!;
    const rate = dx > 0.5 ? (this.ys[b]! - this.ys[a]!) / dx : this.fallbackRate;
    return rate > 0 ? rate : this.fallbackRate;
  }
}

function mergeSameWritten(points: TimePoint[]): TimePoint[] {
  const sorted = [...points].sort((a, b) => a.written - b.written || a.time - b.time);
  const out: TimePoint[] = [];
  let count = 0;
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.written - p.written) < 1e-9) {
      last.time = (last.time * count + p.time) / (count + 1);
      count++;
    } else {
      out.push({ ...p });
      count = 1;
    }
  }
  return out;
}

/** Longest chain with strictly increasing time (points already sorted by written time). */
function increasingChain(points: TimePoint[]): TimePoint[] {
  const n = points.length;
  const tailIndex: number[] = [];
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const t = points[i]!.time;
    let lo = 0;
    let hi = tailIndex.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (points[tailIndex[mid]!]!.time < t) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) parent[i] = tailIndex[lo - 1]!;
    tailIndex[lo] = i;
  }
  const chain: TimePoint[] = [];
  for (let i = tailIndex[tailIndex.length - 1] ?? -1; i >= 0; i = parent[i]!) chain.push(points[i]!);
  return chain.reverse();
}
