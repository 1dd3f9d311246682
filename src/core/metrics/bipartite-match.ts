/**
 * Maximum bipartite matching, a line-by-line port of mir_eval.util._bipartite_match
 * (Hopcroft-Karp style layered augmentation, after D. Eppstein's PADS).
 *
 * The *size* of a maximum matching is unique, but *which* pairs are matched is not, and metrics
 * such as the average overlap ratio depend on the pairs. So this keeps Python's dict semantics
 * exactly: JS Maps iterate in insertion order, keep a key's position when its value is
 * overwritten, and move a deleted-then-re-set key to the end, just as Python dicts do.
 */

/** Graph: left vertex (estimate index) -> right vertices (reference indices), in insertion order. */
export type BipartiteGraph = Map<number, number[]>;

const UNMATCHED_ROOT = Symbol('unmatched');
type PredLink = number | typeof UNMATCHED_ROOT;

/** Returns right vertex -> left vertex for a maximum matching. */
export function bipartiteMatch(graph: BipartiteGraph): Map<number, number> {
  const matching = new Map<number, number>();
  // Greedy initial matching.
  for (const [u, vs] of graph) {
    for (const v of vs) {
      if (!matching.has(v)) {
        matching.set(v, u);
        break;
      }
    }
  }

  for (;;) {
    // preds: right vertex -> left vertices one layer earlier; pred: left vertex -> right vertex
    // it was reached through (or the root marker for free left vertices).
    const preds = new Map<number, number[]>();
    const unmatched: number[] = [];
    const pred = new Map<number, PredLink>();
    for (const u of graph.keys()) pred.set(u, UNMATCHED_ROOT);
    for (const u of matching.values()) pred.delete(u);
    let layer = [...pred.keys()];

    while (layer.length > 0 && unmatched.length === 0) {
      const newLayer = new Map<number, number[]>();
      for (const u of layer) {
        for (const v of graph.get(u) ?? []) {
          if (!preds.has(v)) {
            const list = newLayer.get(v);
            if (list) list.push(u);
            else newLayer.set(v, [u]);
          }
        }
      }
      layer = [];
      for (const [v, us] of newLayer) {
        preds.set(v, us);
        const matchedU = matching.get(v);
        if (matchedU !== undefined) {
          layer.push(matchedU);
          pred.set(matchedU, v);
        } else {
          unmatched.push(v);
        }
      }
    }

    if (unmatched.length === 0) return matching;

    const recurse = (v: number): boolean => {
      const us = preds.get(v);
      if (us === undefined) return false;
      preds.delete(v);
      for (const u of us) {
        if (pred.has(u)) {
          const pu = pred.get(u) as PredLink;
          pred.delete(u);
          if (pu === UNMATCHED_ROOT || recurse(pu)) {
            matching.set(v, u);
            return true;
          }
        }
      }
      return false;
    };
    for (const v of unmatched) recurse(v);
  }
}

/**
 * Builds the graph mir_eval builds from a hit matrix: rows (references) scanned in order, then
 * columns (estimates), so estimates appear in order of their first hit. Returns sorted
 * (refIndex, estIndex) pairs like `sorted(_bipartite_match(G).items())`.
 */
export function matchFromHits(
  refCount: number,
  estCount: number,
  isHit: (refIndex: number, estIndex: number) => boolean,
  candidates?: (refIndex: number) => Iterable<number>,
): Array<[number, number]> {
  const graph: BipartiteGraph = new Map();
  const allEstimates = Array.from({ length: estCount }, (_, j) => j);
  for (let i = 0; i < refCount; i++) {
    for (const j of candidates ? candidates(i) : allEstimates) {
      if (!isHit(i, j)) continue;
      const list = graph.get(j);
      if (list) list.push(i);
      else graph.set(j, [i]);
    }
  }
  return [...bipartiteMatch(graph).entries()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * Candidate estimates for each reference, in ascending index order (the order mir_eval scans),
 * restricted to those whose key lies within a window of the reference's key. A pruning only:
 * the window must be wide enough that every true hit is inside it.
 */
export function windowedCandidates(
  refKeys: readonly number[],
  estKeys: readonly number[],
  halfWidth: (refIndex: number) => number,
): (refIndex: number) => number[] {
  const order = estKeys.map((_, j) => j).sort((a, b) => (estKeys[a] as number) - (estKeys[b] as number));
  const sortedKeys = order.map((j) => estKeys[j] as number);
  const lowerBound = (x: number): number => {
    let lo = 0;
    let hi = sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sortedKeys[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (i) => {
    const key = refKeys[i] as number;
    const width = halfWidth(i);
    const out: number[] = [];
    for (let k = lowerBound(key - width); k < sortedKeys.length && (sortedKeys[k] as number) <= key + width; k++) {
      out.push(order[k] as number);
    }
    return out.sort((a, b) => a - b);
  };
}
