import type { Performance } from '../../shared/performance';
import type { PitchEvent } from './dtw';

/** Performed notes starting within this gap are one onset cluster for the coarse path. */
const CLUSTER_GAP_SEC = 0.09;

export interface OnsetClusters {
  events: PitchEvent[];
  /** Cluster index per performed note (indexed like performance.notes). */
  clusterOf: Int32Array;
}

/** Groups the performed notes (given in onset order) into onset clusters. */
export function clusterOnsets(performance: Performance, order: number[]): OnsetClusters {
  const events: PitchEvent[] = [];
  const clusterOf = new Int32Array(performance.notes.length);
  let start = -Infinity;
  for (const p of order) {
    const note = performance.notes[p]!;
    const last = events[events.length - 1];
    if (last && note.onsetSec - start <= CLUSTER_GAP_SEC) last.pitches.push(note.pitch);
    else {
      start = note.onsetSec;
      events.push({ time: note.onsetSec, pitches: [note.pitch] });
    }
    clusterOf[p] = events.length - 1;
  }
  return { events, clusterOf };
}

/** Path cells further than this from their slot's pitches are not evidence of a restart. */
const EXPLAINED_MAX_DISTANCE = 0.5;

/**
 * Splits a warping path (which may jump back in the score) into forward-moving passes and marks
 * the clusters that a later pass plays again: a player who stops at bar 8 and starts again at
 * bar 5 (or plays bars 5–8 three times) is graded on the last pass through each bar, and the
 * abandoned attempts are neither extra notes nor missed ones. A cluster is abandoned when a
 * later pass starts at or before the slot it was played at. The path may jump a cluster or two
 * early (the last notes of an abandoned attempt fit nothing), so a pass starts at its first
 * cluster that matches its slot, and the unmatched clusters before it belong to the attempt
 * before it. Returns one flag per cluster.
 */
export function abandonedClusters(path: [number, number][], distance: number[], clusterCount: number): Uint8Array {
  const slotOf = new Int32Array(clusterCount).fill(-1);
  const distanceOf = new Float64Array(clusterCount);
  const passOf = new Int32Array(clusterCount);
  // Where each pass starts: its first cluster that matches its slot (the jump itself may land
  // a slot or two early on a cluster that fits nothing), else where it lands.
  const passStart: number[] = [];
  const passStartMatched: boolean[] = [];
  let previousSlot = -1;
  path.forEach(([slot, cluster], k) => {
    if (slot < previousSlot || passStart.length === 0) {
      passStart.push(slot);
      passStartMatched.push(false);
    }
    previousSlot = slot;
    if (slotOf[cluster]! >= 0) return; // first (entry) cell of the cluster's column
    slotOf[cluster] = slot;
    distanceOf[cluster] = distance[k]!;
    const pass = passStart.length - 1;
    passOf[cluster] = pass;
    if (!passStartMatched[pass] && distance[k]! <= EXPLAINED_MAX_DISTANCE) {
      passStart[pass] = slot;
      passStartMatched[pass] = true;
    }
  });
  const abandoned = new Uint8Array(clusterCount);
  if (passStart.length < 2) return abandoned;
  // laterStart[p] = the earliest slot any pass after p starts from.
  const laterStart = new Int32Array(passStart.length).fill(2 ** 30);
  for (let p = passStart.length - 2; p >= 0; p--) laterStart[p] = Math.min(laterStart[p + 1]!, passStart[p + 1]!);
  for (let c = 0; c < clusterCount; c++) if (slotOf[c]! >= 0 && slotOf[c]! >= laterStart[passOf[c]!]!) abandoned[c] = 1;
  for (let c = 1; c < clusterCount; c++) {
    const leadsPass = passOf[c]! > passOf[c - 1]! || (abandoned[c - 1] && passOf[c] === passOf[c - 1]);
    if (leadsPass && abandoned[c - 1] && distanceOf[c]! > EXPLAINED_MAX_DISTANCE) abandoned[c] = 1;
  }
  return abandoned;
}

/**
 * Performance times with the abandoned attempts cut out: each run of abandoned clusters is
 * removed and what follows moves back to where the run began, so the kept notes read as one
 * continuous take (the time map would otherwise stretch across the replayed stretch).
 * Returns the shift (seconds to subtract) per cluster.
 */
export function cutAbandonedTime(events: PitchEvent[], abandoned: Uint8Array): Float64Array {
  const shift = new Float64Array(events.length);
  let total = 0;
  let runStart = -1;
  for (let c = 0; c < events.length; c++) {
    if (abandoned[c]) {
      if (runStart < 0) runStart = c;
    } else if (runStart >= 0) {
      total += events[c]!.time - events[runStart]!.time;
      runStart = -1;
    }
    shift[c] = total;
  }
  return shift;
}
