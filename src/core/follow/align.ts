import type { Score } from '../../shared/score';
import type { Performance } from '../../shared/performance';
import { slotScore, type NoteSelection, type SlottedScore } from './scoreSlots';
import { dtwPath, type PitchEvent } from './dtw';
import { abandonedClusters, clusterOnsets, cutAbandonedTime, type OnsetClusters } from './passes';
import { TimeMap, type TimePoint } from './timeMap';
import { matchGraceRuns } from './graceRuns';

/** One row of a note alignment: a match, a missed score note (performanceIndex null) or an extra. */
export interface AlignmentPair {
  scoreNoteId: string | null;
  performanceIndex: number | null;
  /**
   * A played note of an abandoned attempt (scoreNoteId null): the player went back and played
   * that stretch again, so this note is neither extra nor a match; grading ignores it.
   */
  abandoned?: true;
}
/** Path cells with a pitch-set distance above this are too unlike to anchor the time map. */
const ANCHOR_MAX_DISTANCE = 0.5;
/** Match windows (seconds around the expected time): coarse pass, then refined pass. */
const COARSE_WINDOW_SEC = 0.7;
const FINE_WINDOW_SEC = 0.35;
/** Gap filling: how far a note may stray from the map, and past its matched neighbours. */
const GAP_WINDOW_SEC = 2;
const GAP_SLACK_SEC = 0.05;
/**
 * A press later than its expected time costs this share of an equally early one. The expected
 * times lean early: coarse anchors sit at a cluster's first onset, and the notes of a slot come
 * after it (rolled chords, a melody over its bass, an ornament on the beat). With symmetric
 * costs a run of repeated chords whose map ran ahead was matched one chord early (Scriabin
 * sonata 5, nASAP FaB05M: 56 notes of bars 436 and 438, 23 at 0.7; bar 437 stays off). Measured on the eval's 40 nASAP takes:
 * offline 97.97 -> 98.06 % (1.25: 97.81 %, 0.6: 98.07 %); on 80 other nASAP takes +0.02 point.
 */
const LATE_WEIGHT = 0.7;

const ALL_NOTES: NoteSelection = { hands: 'both', loop: null };

/**
 * Offline note-level alignment. A coarse DTW over onset slots and performed onset clusters gives
 * a monotone score-time -> performance-time map; notes are then matched pitch by pitch with an
 * order-preserving dynamic programme (match / skip score note / skip performed note) inside a
 * window around the map, twice: the second time with a map re-fitted on the first matches.
 * The coarse path may jump back (restarts, practice fragments): the notes of an attempt that a
 * later pass plays again are set aside as `abandoned` and the rest is aligned as one take.
 * Every selected score note and every performed note appears in exactly one pair.
 */
export function alignPerformance(score: Score, performance: Performance, selection: NoteSelection = ALL_NOTES): AlignmentPair[] {
  const slotted = slotScore(score, selection);
  const perfNotes = performance.notes;
  const sorted = perfNotes.map((_, i) => i).sort((a, b) => perfNotes[a]!.onsetSec - perfNotes[b]!.onsetSec || a - b);
  const clusters = clusterOnsets(performance, sorted);
  const scoreEvents: PitchEvent[] = slotted.slots.map((s) => ({ time: s.sec, pitches: s.noteIndices.map((i) => score.notes[i]!.pitch) }));
  const { path, distance } = dtwPath(scoreEvents, clusters.events);
  const abandoned = abandonedClusters(path, distance, clusters.events.length);
  const order = sorted.filter((p) => !abandoned[clusters.clusterOf[p]!]);
  if (order.length < sorted.length) {
    // Align the kept notes as one continuous take (same note indices, abandoned time cut out).
    const shift = cutAbandonedTime(clusters.events, abandoned);
    clusters.events.forEach((e, c) => (e.time -= shift[c]!));
    performance = { ...performance, notes: perfNotes.map((n, p) => ({ ...n, onsetSec: n.onsetSec - shift[clusters.clusterOf[p]!]! })) };
  }

  const coarse = new TimeMap(coarseAnchors(slotted, scoreEvents, clusters, path, distance, abandoned));
  let match = matchByPitch(slotted, performance, order, coarse, COARSE_WINDOW_SEC);
  const refined = new TimeMap(matchedAnchors(slotted, performance, match));
  const finalMap = refined.size >= 2 ? refined : coarse;
  match = matchByPitch(slotted, performance, order, finalMap, FINE_WINDOW_SEC);
  fillGaps(slotted, performance, order, finalMap, match);
  matchGraceRuns(slotted, performance, order, match);

  const pairs: AlignmentPair[] = [];
  const used = new Uint8Array(perfNotes.length);
  for (const slot of slotted.slots) {
    for (const i of slot.noteIndices) {
      const p = match.get(i);
      if (p !== undefined) used[p] = 1;
      pairs.push({ scoreNoteId: score.notes[i]!.id, performanceIndex: p ?? null });
    }
    for (const [twin] of slot.twins) pairs.push({ scoreNoteId: score.notes[twin]!.id, performanceIndex: null });
  }
  for (const p of sorted) {
    if (used[p]) continue;
    pairs.push(abandoned[clusters.clusterOf[p]!] ? { scoreNoteId: null, performanceIndex: p, abandoned: true } : { scoreNoteId: null, performanceIndex: p });
  }
  return pairs;
}

/** Anchors from the coarse DTW path: the best-matching kept performed cluster of each slot. */
function coarseAnchors(
  slotted: SlottedScore,
  scoreEvents: PitchEvent[],
  clusters: OnsetClusters,
  path: [number, number][],
  distance: number[],
  abandoned: Uint8Array,
): TimePoint[] {
  const { slots } = slotted;
  const best = new Map<number, { d: number; cluster: number }>();
  path.forEach(([i, j], k) => {
    const d = distance[k]!;
    if (d > ANCHOR_MAX_DISTANCE || abandoned[j]) return;
    const current = best.get(i);
    if (!current || d < current.d) best.set(i, { d, cluster: j });
  });
  // A repeated note (or chord) with one copy left out matches both written copies equally well
  // (and at the end of a take the open end may stop on the first copy); anchoring the wrong one
  // bends the map by a whole note value around the gap, so the played copy was matched to the
  // omitted one and its neighbours' timing skewed. A slot whose neighbour has the same pitches
  // therefore anchors only when that neighbour is anchored to another cluster; the map bridges
  // the gap from the unambiguous anchors around it.
  const samePitches = (a: number, b: number) => {
    const x = scoreEvents[a]?.pitches;
    const y = scoreEvents[b]?.pitches;
    return !!x && !!y && x.length === y.length && x.every((p) => y.includes(p));
  };
  const ambiguous = [...best].filter(([i, b]) => [i - 1, i + 1].some((k) => samePitches(i, k) && (best.get(k)?.cluster ?? b.cluster) === b.cluster));
  for (const [i] of ambiguous) best.delete(i);
  // A cluster claimed by several slots anchors the one that matches it best (a chord, not the
  // lone repeat of one of its notes next to it); on a tie the last, as before.
  const owner = new Map<number, number>();
  for (const [i, b] of best) {
    const current = owner.get(b.cluster);
    if (current === undefined || b.d <= best.get(current)!.d + 1e-9) owner.set(b.cluster, i);
  }
  return [...owner].map(([j, i]) => ({ written: slots[i]!.sec, time: clusters.events[j]!.time }));
}

/** Anchors from matched notes: per slot, the mean onset of its matched notes. */
function matchedAnchors(slotted: SlottedScore, performance: Performance, match: Map<number, number>): TimePoint[] {
  const points: TimePoint[] = [];
  for (const slot of slotted.slots) {
    let sum = 0;
    let count = 0;
    for (const i of slot.noteIndices) {
      const p = match.get(i);
      if (p === undefined) continue;
      sum += performance.notes[p]!.onsetSec;
      count++;
    }
    if (count > 0) points.push({ written: slot.sec, time: sum / count });
  }
  return points;
}

/**
 * Order-preserving DP between score occurrences s[sa..sb) and performed ones q[qa..qb) of one
 * pitch: a match costs |played - expected| (only inside the window), leaving a note unmatched
 * on either side costs half the window.
 */
function alignIsland(
  s: { note: number; expected: number }[],
  sa: number,
  sb: number,
  q: number[],
  onsets: number[],
  qa: number,
  qb: number,
  windowSec: number,
  match: Map<number, number>,
): void {
  const a = sb - sa;
  const b = qb - qa;
  if (a === 0 || b === 0) return;
  const gap = windowSec / 2;
  const width = b + 1;
  const cost = new Float64Array((a + 1) * width);
  const step = new Uint8Array((a + 1) * width);
  for (let i = 1; i <= a; i++) {
    cost[i * width] = i * gap;
    step[i * width] = 1;
  }
  for (let j = 1; j <= b; j++) {
    cost[j] = j * gap;
    step[j] = 2;
  }
  for (let i = 1; i <= a; i++) {
    const expected = s[sa + i - 1]!.expected;
    for (let j = 1; j <= b; j++) {
      const k = i * width + j;
      let best = cost[k - width]! + gap;
      let dir = 1;
      const viaPerf = cost[k - 1]! + gap;
      if (viaPerf < best) {
        best = viaPerf;
        dir = 2;
      }
      const offset = onsets[qa + j - 1]! - expected;
      const dt = Math.abs(offset);
      if (dt <= windowSec) {
        const viaMatch = cost[k - width - 1]! + (offset > 0 ? offset * LATE_WEIGHT : dt);
        if (viaMatch < best) {
          best = viaMatch;
          dir = 0;
        }
      }
      cost[k] = best;
      step[k] = dir;
    }
  }
  let i = a;
  let j = b;
  while (i > 0 || j > 0) {
    const dir = step[i * width + j]!;
    if (dir === 0) {
      match.set(s[sa + i - 1]!.note, q[qa + j - 1]!);
      i--;
      j--;
    } else if (dir === 1) i--;
    else j--;
  }
}

/**
 * Last pass for notes the windows missed (fermatas, rolled or ornamented spots where the played
 * time strays far from the map): an unmatched score note takes a free played note of its pitch
 * that lies between the played times of the nearest matched slots before and after it, so the
 * order of the alignment is kept.
 */
function fillGaps(slotted: SlottedScore, performance: Performance, order: number[], map: TimeMap, match: Map<number, number>): void {
  const { slots, score } = slotted;
  const used = new Uint8Array(performance.notes.length);
  for (const p of match.values()) used[p] = 1;
  const freeByPitch: number[][] = Array.from({ length: 128 }, () => []);
  for (const p of order) if (!used[p]) freeByPitch[performance.notes[p]!.pitch & 127]!.push(p);
  const slotTime = slots.map((slot) => {
    let sum = 0;
    let count = 0;
    for (const i of slot.noteIndices) {
      const p = match.get(i);
      if (p !== undefined) {
        sum += performance.notes[p]!.onsetSec;
        count++;
      }
    }
    return count ? sum / count : NaN;
  });
  const nextTime = new Float64Array(slots.length);
  let next = Infinity;
  for (let j = slots.length - 1; j >= 0; j--) {
    nextTime[j] = next;
    if (!Number.isNaN(slotTime[j]!)) next = slotTime[j]!;
  }
  let previous = -Infinity;
  slots.forEach((slot, j) => {
    const expected = map.at(slot.sec);
    for (const i of slot.noteIndices) {
      if (match.has(i)) continue;
      const free = freeByPitch[score.notes[i]!.pitch & 127]!;
      let best = -1;
      for (let k = 0; k < free.length; k++) {
        const onset = performance.notes[free[k]!]!.onsetSec;
        if (onset <= previous - GAP_SLACK_SEC || onset >= nextTime[j]! + GAP_SLACK_SEC || Math.abs(onset - expected) > GAP_WINDOW_SEC) continue;
        if (best < 0 || Math.abs(onset - expected) < Math.abs(performance.notes[free[best]!]!.onsetSec - expected)) best = k;
      }
      if (best >= 0) {
        match.set(i, free[best]!);
        free.splice(best, 1);
      }
    }
    if (!Number.isNaN(slotTime[j]!)) previous = slotTime[j]!;
  });
}

/**
 * For each pitch, aligns the score occurrences (in written order) with the performed ones (in
 * time order): a match costs |played - expected|, allowed inside the window; leaving a note
 * unmatched on either side costs half the window. Returns score note index -> performance index.
 */
function matchByPitch(slotted: SlottedScore, performance: Performance, order: number[], map: TimeMap, windowSec: number): Map<number, number> {
  const { slots, score } = slotted;
  const byPitchScore: { note: number; expected: number }[][] = Array.from({ length: 128 }, () => []);
  for (const slot of slots) {
    const expected = map.at(slot.sec);
    for (const i of slot.noteIndices) byPitchScore[score.notes[i]!.pitch & 127]!.push({ note: i, expected });
  }
  const byPitchPerf: number[][] = Array.from({ length: 128 }, () => []);
  for (const p of order) byPitchPerf[performance.notes[p]!.pitch & 127]!.push(p);

  const match = new Map<number, number>();
  for (let pitch = 0; pitch < 128; pitch++) {
    const s = byPitchScore[pitch]!;
    const q = byPitchPerf[pitch]!;
    if (s.length === 0 || q.length === 0) continue;
    const onsets = q.map((p) => performance.notes[p]!.onsetSec);
    // Split into islands: where the merged time lines leave a gap wider than the window, no
    // match can cross it, so each island is solved on its own (exact, and far smaller).
    let sa = 0;
    let qa = 0;
    let si = 0;
    let qi = 0;
    let last = -Infinity;
    while (si < s.length || qi < onsets.length) {
      const takeScore = qi >= onsets.length || (si < s.length && s[si]!.expected <= onsets[qi]!);
      const t = takeScore ? s[si]!.expected : onsets[qi]!;
      if (t - last > windowSec && (si > sa || qi > qa)) {
        alignIsland(s, sa, si, q, onsets, qa, qi, windowSec, match);
        sa = si;
        qa = qi;
      }
      last = t;
      if (takeScore) si++;
      else qi++;
    }
    alignIsland(s, sa, si, q, onsets, qa, qi, windowSec, match);
  }
  return match;
}
