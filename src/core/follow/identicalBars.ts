import type { Score, ScoreNote } from '../../shared/score';

/**
 * Bars that repeat note for note one after another (the same chord bar twice, an ostinato).
 * When a player leaves out one bar of such a run, the take is the same whichever bar of the run
 * was left out: the bars after the gap shift by one bar. Evaluation uses this to accept any of
 * these equivalent readings of a skipped bar, and only these.
 */

/** Notes of each measure, in score order. */
function notesByMeasure(score: Score): ScoreNote[][] {
  const out: ScoreNote[][] = score.measures.map(() => []);
  for (const n of score.notes) out[n.measureIndex]?.push(n);
  return out;
}

/** What an aligner can hear of a bar: its length and each note's pitch and place in the bar. */
function signature(score: Score, notes: ScoreNote[], measure: number): string {
  const m = score.measures[measure]!;
  const parts = notes.map((n) => `${n.pitch}@${(n.onsetBeats - m.startBeats).toFixed(4)}`).sort();
  return `${m.durationBeats.toFixed(4)}|${parts.join(',')}`;
}

/** The run of consecutive, note-for-note identical bars around `measure` (just itself if none). */
export function identicalRun(score: Score, measure: number): { first: number; last: number } {
  const byMeasure = notesByMeasure(score);
  const own = byMeasure[measure];
  if (!own || own.length === 0) return { first: measure, last: measure };
  const sig = signature(score, own, measure);
  const same = (m: number) => m >= 0 && m < byMeasure.length && signature(score, byMeasure[m]!, m) === sig;
  let first = measure;
  let last = measure;
  while (same(first - 1)) first--;
  while (same(last + 1)) last++;
  return { first, last };
}

const noteKey = (pitch: number, onsetBeats: number) => `${pitch}@${onsetBeats.toFixed(4)}`;

/**
 * Every reading of "bar `skipped` was left out" that sounds the same: within a run of identical
 * bars the music repeats every bar length L, so leaving out any stretch [w, w + L) of the run
 * (w at a note onset, the stretch inside the run) gives the same take. For each such w, the map
 * from the labels of the given reading to that one: a note of the skipped bar → the note of
 * the new stretch at the same place in the bar; the notes played between the two stretches →
 * their copy one bar later (w before the bar) or earlier (w after it); the rest unchanged.
 * The first entry is the given reading itself (empty map).
 */
export function skippedBarReadings(score: Score, skipped: number): Map<string, string>[] {
  const run = identicalRun(score, skipped);
  const readings: Map<string, string>[] = [new Map()];
  if (run.first === run.last) return readings;
  const m = score.measures[skipped]!;
  const length = m.durationBeats;
  const s = m.startBeats;
  const runStart = score.measures[run.first]!.startBeats;
  const runEnd = score.measures[run.last]!.startBeats + score.measures[run.last]!.durationBeats;
  const inRun = score.notes.filter((n) => n.onsetBeats >= runStart - 1e-6 && n.onsetBeats < runEnd - 1e-6);
  const byKey = new Map<string, ScoreNote[]>();
  for (const n of inRun) {
    const k = noteKey(n.pitch, n.onsetBeats);
    byKey.set(k, [...(byKey.get(k) ?? []), n]);
  }
  const copyAt = (n: ScoreNote, onsetBeats: number) => {
    const same = byKey.get(noteKey(n.pitch, n.onsetBeats))!;
    return byKey.get(noteKey(n.pitch, onsetBeats))?.[same.indexOf(n)]?.id;
  };
  const starts = [...new Set(inRun.map((n) => n.onsetBeats))].filter((w) => w <= runEnd - length + 1e-6 && Math.abs(w - s) > 1e-6);
  for (const w of starts) {
    const map = new Map<string, string>();
    for (const n of inRun) {
      const t = n.onsetBeats;
      let to: number | null = null;
      if (t >= s - 1e-6 && t < s + length - 1e-6) to = w + ((((t - w) % length) + length) % length);
      else if (w < s && t >= w - 1e-6 && t < s) to = t + length;
      else if (w > s && t >= s + length - 1e-6 && t < w + length - 1e-6) to = t - length;
      if (to === null) continue;
      const id = copyAt(n, to);
      if (id && id !== n.id) map.set(n.id, id);
    }
    readings.push(map);
  }
  return readings;
}
