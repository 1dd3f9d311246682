/**
 * Alignment and mistake-detection evaluation on real performances with ground-truth note
 * alignments: (n)ASAP note_alignment.tsv, Vienna 4x22 and Batik-plays-Mozart match files.
 *
 *   npx tsx scripts/eval-alignment.ts --data ../shared/data [--nasap 40] [--vienna 88] [--batik 36] [--no-live] [--no-synthetic] [--nasap-skip 40]
 *
 * Two tables: the first accepts either note of a same-key twin pair (a key written twice at one
 * beat, one press: scripts/eval-alignment-twins.ts), the second keeps the ground truth's pick (the
 * labelling of the rounds before stop 17). EXACT_LABELS=1 turns off every equivalent labelling
 * (skipped identical bar, same-key twins), so both tables are then the strict one.
 *
 * Reports, per dataset: the share of ground-truth matched performance notes that our offline
 * aligner and our live follower (notes streamed one by one, play-through, with the performance's
 * mean tempo as the practice tempo)
 * assign to the right score note (live: instant = as decided at once; settled = finish(), each
 * verdict settled with a bounded lag, src/core/follow/settle.ts), the time per piece, and the F1 of wrong / missed / extra
 * detection after injecting synthetic mistakes into the cleaned real performance.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { evaluationItems, matchAccuracy, resolve, type Item } from './eval-alignment-data';
import { performance as clock } from 'node:perf_hooks';
import { importScore, performanceFromMidi } from '../src/core/music';
import { alignPerformance } from '../src/core/follow/align';
import { LiveFollower } from '../src/core/follow/liveFollower';
import { gradePerformance } from '../src/core/evaluate/grade';
import { seededRandom } from '../src/core/follow/testScores';
import { skippedBarReadings } from '../src/core/follow/identicalBars';
import { deletedTwinsOfPlayed, exactLabels, sameKeyTwin, twinKeys } from './eval-alignment-twins';
import type { Score } from '../src/shared/score';
import type { Performance, PerformedNote, LiveNoteEvent } from '../src/shared/performance';
import type { EvaluationResult } from '../src/shared/evaluation';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] ? args[k + 1]! : fallback;
};
const dataDir = option('data', '../shared/data');
const limits = { nasap: Number(option('nasap', '40')), vienna: Number(option('vienna', '88')), batik: Number(option('batik', '36')) };
const runLive = !args.includes('--no-live');
const runSynthetic = !args.includes('--no-synthetic');

// ---- runs ---------------------------------------------------------------------------------

function liveEvents(notes: PerformedNote[]): LiveNoteEvent[] {
  const events: (LiveNoteEvent & { order: number })[] = [];
  notes.forEach((n, i) => {
    events.push({ kind: 'on', pitch: n.pitch, velocity: Math.max(1, n.velocity), timeSec: n.onsetSec, order: i });
    events.push({ kind: 'off', pitch: n.pitch, velocity: 0, timeSec: n.offsetSec, order: i });
  });
  const rank = (e: LiveNoteEvent) => (e.kind === 'off' ? 0 : 1);
  return events.sort((a, b) => a.timeSec - b.timeSec || rank(a) - rank(b) || a.order - b.order);
}

/** Streams the notes through the follower; returns its result, index map back to `notes`, and latency. */
function runLiveFollower(score: Score, notes: PerformedNote[], tempoFactor: number) {
  const follower = new LiveFollower(score, { mode: 'play-through', hands: 'both', loop: null, tempoFactor, metronome: false });
  const onsetOrder: number[] = [];
  const order = notes.map((_, i) => i).sort((a, b) => notes[a]!.onsetSec - notes[b]!.onsetSec || a - b);
  const sorted = order.map((i) => notes[i]!);
  const latencies: number[] = [];
  const settleMs: number[] = [];
  for (const e of liveEvents(sorted)) {
    const t0 = clock.now();
    follower.push(e);
    if (e.kind === 'on') latencies.push(clock.now() - t0);
    // Settling runs after the instant verdict has gone out (as in the practice session).
    const t1 = clock.now();
    follower.settle();
    if (e.kind === 'on') settleMs.push(clock.now() - t1);
  }
  sorted.forEach((_, k) => onsetOrder.push(order[k]!));
  // Instant = what the student saw at once; settled = finish(), the attempt's stored grade.
  const instant = follower.instantResult();
  const result = follower.finish();
  // Events were pushed in onset order (ties by order), so take event k = sorted[k] = notes[order[k]].
  const remap = (r: EvaluationResult): EvaluationResult => ({
    ...r,
    verdicts: r.verdicts.map((v) => ({ ...v, performanceIndex: v.performanceIndex === null ? null : onsetOrder[v.performanceIndex]! })),
  });
  latencies.sort((a, b) => a - b);
  settleMs.sort((a, b) => a - b);
  return { result: remap(instant), settled: remap(result), settleP95Ms: settleMs[Math.floor(settleMs.length * 0.95)] ?? 0, settleMaxMs: settleMs[settleMs.length - 1] ?? 0, p95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0, maxMs: latencies[latencies.length - 1] ?? 0 };
}

/**
 * The tempo factor a student would have set to play along: the written span of the notes the
 * ground truth pairs, over the time they took, rounded to 5 % and clamped to the app's 0.25..2.
 * (Whole-file spans mislead when a repeat is left out.) The follower still adapts locally.
 */
function practiceTempo(score: Score, notes: PerformedNote[], truth: Map<number, string | null>): number {
  const written = new Map(score.notes.map((n) => [n.id, n.onsetSec]));
  let w0 = Infinity;
  let w1 = -Infinity;
  let p0 = Infinity;
  let p1 = -Infinity;
  for (const [p, id] of truth) {
    const w = id === null ? undefined : written.get(id);
    const played = notes[p]?.onsetSec;
    if (w === undefined || played === undefined) continue;
    w0 = Math.min(w0, w);
    w1 = Math.max(w1, w);
    p0 = Math.min(p0, played);
    p1 = Math.max(p1, played);
  }
  if (!(w1 > w0 && p1 > p0)) return 1;
  return Math.min(2, Math.max(0.25, Math.round(((w1 - w0) / (p1 - p0)) * 20) / 20));
}

function assignment(result: EvaluationResult): Map<number, string | null> {
  const out = new Map<number, string | null>();
  for (const v of result.verdicts) if (v.performanceIndex !== null) out.set(v.performanceIndex, v.verdict === 'correct' ? v.scoreNoteId : null);
  return out;
}

// ---- synthetic mistakes -------------------------------------------------------------------

interface Labels {
  wrong: Set<string>;
  missed: Set<string>;
  extra: Set<number>;
  ignore: Set<number>;
  /** Score notes the ground truth does not mention (e.g. voice duplicates): no label either way. */
  ignoreNotes: Set<string>;
  /** For diagnostics: the score note each performed note plays (null for injected ones). */
  idOf: (string | null)[];
  score: Score;
  /** For diagnostics: the measures of the replayed stretch and when the replay starts. */
  restart: string;
  /** The bar left out (its gap closed), if any: a bar identical to its neighbours has equivalent readings. */
  skippedBar: number | null;
  /** Labelled-missed notes whose same-key twin keeps its press in the take (no label under `twins`). */
  twinDeletions: Set<string>;
}

function injectMistakes(score: Score, perf: Performance, truth: Map<number, string | null>, deleted: string[], seed: number) {
  const random = seededRandom(seed);
  const noteById = new Map(score.notes.map((n) => [n.id, n]));
  // The cleaned performance: ground-truth matched notes only, so every label below is known.
  let notes: { n: PerformedNote; id: string | null; tag: 'ok' | 'extra' | 'ignore' }[] = [];
  for (const [p, id] of truth) if (id !== null) notes.push({ n: { ...perf.notes[p]! }, id, tag: 'ok' });
  notes.sort((a, b) => a.n.onsetSec - b.n.onsetSec);
  const mentioned = new Set([...deleted, ...[...truth.values()].filter((id): id is string => id !== null)]);
  const ignoreNotes = new Set(score.notes.map((n) => n.id).filter((id) => !mentioned.has(id)));
  const labels: Labels = { wrong: new Set(), missed: new Set(deleted), extra: new Set(), ignore: new Set(), ignoreNotes, idOf: [], score, restart: 'none', skippedBar: null, twinDeletions: new Set() };
  const measureOf = (x: { id: string | null }) => (x.id ? noteById.get(x.id)!.measureIndex : -1);
  const measures = [...new Set(notes.map(measureOf))].filter((m) => m >= 0).sort((a, b) => a - b);

  // A skipped bar: drop it and close the gap.
  if (measures.length > 8) {
    const bar = measures[Math.floor(measures.length * (0.3 + 0.2 * random()))]!;
    const inBar = notes.filter((x) => measureOf(x) === bar);
    const after = notes.find((x) => measureOf(x) > bar);
    if (inBar.length && after) {
      const gap = after.n.onsetSec - inBar[0]!.n.onsetSec;
      for (const x of inBar) labels.missed.add(x.id!);
      labels.skippedBar = bar;
      notes = notes.filter((x) => measureOf(x) !== bar).map((x) => (measureOf(x) > bar ? { ...x, n: { ...x.n, onsetSec: x.n.onsetSec - gap, offsetSec: x.n.offsetSec - gap } } : x));
    }
  }
  // Wrong, missed notes: about 1.5 % each, never two mistakes on the same note.
  const chordPitches = new Map<string, Set<number>>();
  for (const x of notes) {
    const key = String(noteById.get(x.id!)!.onsetBeats);
    chordPitches.set(key, (chordPitches.get(key) ?? new Set()).add(x.n.pitch));
  }
  const kept: typeof notes = [];
  for (const x of notes) {
    const r = random();
    if (x.id && r < 0.015) {
      labels.missed.add(x.id);
      continue;
    }
    if (x.id && r < 0.03) {
      const chord = chordPitches.get(String(noteById.get(x.id)!.onsetBeats))!;
      const shift = [1, -1, 2, -2].find((s) => !chord.has(x.n.pitch + s));
      if (shift !== undefined) {
        labels.wrong.add(x.id);
        kept.push({ ...x, n: { ...x.n, pitch: x.n.pitch + shift }, id: null });
        continue;
      }
    }
    kept.push(x);
  }
  notes = kept;
  // Extra notes: 1.5 %, random pitch near the music, halfway between two onsets.
  const extras = notes.length > 1 ? Math.max(1, Math.round(notes.length * 0.015)) : 0;
  for (let k = 0; k < extras; k++) {
    const a = notes[Math.floor(random() * (notes.length - 1))]!;
    const onset = a.n.onsetSec + 0.04 + random() * 0.1;
    notes.push({ n: { pitch: a.n.pitch + (random() < 0.5 ? 3 : -4) + Math.floor(random() * 3), onsetSec: onset, offsetSec: onset + 0.1, velocity: 50 }, id: null, tag: 'extra' });
  }
  notes.sort((a, b) => a.n.onsetSec - b.n.onsetSec);
  // A restart: after ~70 % of the take, play two bars again from an earlier bar (not a mistake to flag).
  const cut = Math.floor(notes.length * 0.7);
  const back = notes.slice(Math.floor(notes.length * 0.66), cut);
  if (back.length > 4 && !process.env.NO_RESTART) {
    const span = back[back.length - 1]!.n.onsetSec - back[0]!.n.onsetSec + 0.5;
    const fragment = back.map((x) => ({ ...x, n: { ...x.n }, tag: 'ignore' as const }));
    // Which of the two copies an aligner pairs with the score is a free choice, so neither
    // copy's unpaired notes count as extra (an injected extra note stays labelled).
    const replayed = new Set(back);
    const later = notes
      .slice(notes.indexOf(back[0]!))
      .map((x) => ({ ...x, n: { ...x.n, onsetSec: x.n.onsetSec + span, offsetSec: x.n.offsetSec + span }, tag: replayed.has(x) && x.tag === 'ok' ? ('ignore' as const) : x.tag }));
    notes = [...notes.slice(0, notes.indexOf(back[0]!)), ...fragment, ...later];
    labels.restart = `m${measureOf(back[0]!)}..m${measureOf(back[back.length - 1]!)} replayed at ${later[0]!.n.onsetSec.toFixed(2)} s`;
  }
  const performance: Performance = { notes: notes.map((x) => x.n), pedal: [], durationSec: Math.max(...notes.map((x) => x.n.offsetSec)) };
  // A ground-truth pair whose press has another pitch than its score note is a real wrong note
  // of the take (Batik's match files hold 357 such pairs in the 36 movements): label it wrong,
  // unless its press was dropped above (then it is missed). Before stop 17 these presses counted
  // as played right, so a grader that called them wrong was charged a false label.
  for (const x of notes) {
    if (x.tag === 'ok' && x.id && noteById.get(x.id)!.pitch !== x.n.pitch && !labels.missed.has(x.id)) labels.wrong.add(x.id);
  }
  labels.twinDeletions = deletedTwinsOfPlayed(twinKeys(score), labels.missed, notes.flatMap((x) => (x.id ? [x.id] : [])));
  notes.forEach((x, i) => {
    labels.idOf[i] = x.id;
    if (x.tag === 'extra') labels.extra.add(i);
    if (x.tag === 'ignore') labels.ignore.add(i);
  });
  return { performance, labels };
}

/**
 * Labels under one reading of the skipped bar: when it sits in a run of identical bars, leaving
 * out any bar-long stretch of the run gives the same take, so each such reading's labels (the
 * skipped notes and the labels of the notes played between, moved by a bar) are equally right.
 */
function readingsOf(labels: Labels): Labels[] {
  if (labels.skippedBar === null || process.env.EXACT_LABELS) return [labels];
  return skippedBarReadings(labels.score, labels.skippedBar).map((map) => {
    if (map.size === 0) return labels;
    const move = (ids: Set<string>) => new Set([...ids].map((id) => map.get(id) ?? id));
    return { ...labels, wrong: move(labels.wrong), missed: move(labels.missed), ignoreNotes: move(labels.ignoreNotes) };
  });
}

/**
 * A press that stands for one of two score notes of the same pitch written at the same beat (a
 * grace note on another voice's main note: BWV 873 prelude has dozens) leaves the other one
 * unplayed, and which of the two that is, the take cannot tell: the ground truth itself picks
 * the grace note in some bars and the main note in others. So a reported missed (wrong) note
 * whose same-key twin carries the label, and is not itself reported, counts as found.
 */
function sameKeyTwins(seen: Set<string>, expected: Set<string>, score: Score): number {
  if (process.env.EXACT_LABELS) return 0;
  const noteById = new Map(score.notes.map((n) => [n.id, n]));
  const keyOf = (k: string) => {
    const n = noteById.get(k.slice(k.indexOf(':') + 1));
    return n ? `${k.slice(0, k.indexOf(':'))}:${n.pitch}@${n.onsetBeats}` : null;
  };
  const unfound = new Map<string, number>();
  for (const k of expected) {
    const key = !seen.has(k) && !k.startsWith('extra') ? keyOf(k) : null;
    if (key) unfound.set(key, (unfound.get(key) ?? 0) + 1);
  }
  let pairs = 0;
  for (const k of seen) {
    const key = !expected.has(k) && !k.startsWith('extra') ? keyOf(k) : null;
    const left = key ? (unfound.get(key) ?? 0) : 0;
    if (left > 0) {
      unfound.set(key!, left - 1);
      pairs++;
    }
  }
  return pairs;
}

/** Detection counts under the reading of the skipped bar that agrees best with the result. */
/** `report`: print the DEBUG_DETECTION diagnostics for this call (once per take and result, not per labelling). */
function detection(result: EvaluationResult, given: Labels, report = false) {
  let best: { counts: { tp: number; fp: number; fn: number }; seen: Set<string>; expected: Set<string>; labels: Labels; reading: number } | null = null;
  for (const [reading, labels] of readingsOf(given).entries()) {
    const counts = { tp: 0, fp: 0, fn: 0 };
    const seen = new Set<string>();
    for (const v of result.verdicts) {
      let key: string | null = null;
      if ((v.verdict === 'wrong' || v.verdict === 'missed') && !labels.ignoreNotes.has(v.scoreNoteId!)) key = `${v.verdict}:${v.scoreNoteId}`;
      if (v.verdict === 'extra' && v.performanceIndex !== null && !labels.ignore.has(v.performanceIndex)) key = `extra:${v.performanceIndex}`;
      if (!key) continue;
      seen.add(key);
    }
    const expected = new Set([...[...labels.wrong].map((id) => `wrong:${id}`), ...[...labels.missed].map((id) => `missed:${id}`), ...[...labels.extra].map((p) => `extra:${p}`)]);
    for (const k of seen) {
      if (expected.has(k)) counts.tp++;
      else counts.fp++;
    }
    for (const k of expected) if (!seen.has(k)) counts.fn++;
    const twins = sameKeyTwins(seen, expected, labels.score);
    counts.tp += twins;
    counts.fp -= twins;
    counts.fn -= twins;
    if (!best || counts.fp + counts.fn < best.counts.fp + best.counts.fn) best = { counts, seen, expected, labels, reading };
  }
  const { counts, seen, expected, labels } = best!;
  if (report && process.env.DEBUG_DETECTION) {
    const kinds = ['wrong', 'missed', 'extra'].map((kind) => {
      const fp = [...seen].filter((k) => k.startsWith(kind) && !expected.has(k)).length;
      const fn = [...expected].filter((k) => k.startsWith(kind) && !seen.has(k)).length;
      const tp = [...seen].filter((k) => k.startsWith(kind) && expected.has(k)).length;
      return `${kind} tp ${tp} fp ${fp} fn ${fn}`;
    });
    console.log('   ', kinds.join(' | '));
    if (process.env.DEBUG_DETECTION === '3') {
      const noteById = new Map(labels.score.notes.map((n) => [n.id, n]));
      const where = (k: string) => { const id = k.slice(k.indexOf(':') + 1); const n = noteById.get(id); return n ? `${k}@m${n.measureIndex}/b${n.onsetBeats.toFixed(2)}` : k; };
      console.log('    false', [...seen].filter((k) => !expected.has(k) && !k.startsWith('extra')).map(where).join(' '));
      console.log('    unfound', [...expected].filter((k) => !seen.has(k) && !k.startsWith('extra')).map(where).join(' '));
      console.log('    restart', labels.restart, best!.reading ? `(skipped bar ${labels.skippedBar} read as equivalent stretch ${best!.reading})` : '');
    }
    if (report && process.env.DEBUG_DETECTION === '2') {
      const fpExtras = [...seen].filter((k) => k.startsWith('extra') && !expected.has(k)).map((k) => Number(k.slice(6)));
      const verdictOf = new Map(result.verdicts.filter((v) => v.scoreNoteId).map((v) => [v.scoreNoteId!, v]));
      console.log('    extra FP plays', fpExtras.map((p) => { const id = labels.idOf[p]; const v = id ? verdictOf.get(id) : undefined; return `${p}:${id}->${v?.verdict}/${v?.performanceIndex}`; }).join(' '));
    }
  }
  return counts;
}

type Counts = { tp: number; fp: number; fn: number };
type Accuracy = ReturnType<typeof matchAccuracy>;
/** One labelling's figures for a dataset: match accuracy offline / live instant / live settled, detection counts for each. */
interface Tally {
  offline: Accuracy;
  live: Accuracy;
  settled: Accuracy;
  det: Counts;
  detLive: Counts;
  detSettled: Counts;
}
const zeroAccuracy = (): Accuracy => ({ matched: 0, matchedRight: 0, all: 0, allRight: 0 });
const zeroCounts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });
const zeroTally = (): Tally => ({ offline: zeroAccuracy(), live: zeroAccuracy(), settled: zeroAccuracy(), det: zeroCounts(), detLive: zeroCounts(), detSettled: zeroCounts() });
function addInto<T extends Record<string, number>>(a: T, b: T): void {
  for (const k of Object.keys(b) as (keyof T)[]) (a[k] as number) += b[k] as number;
}

/**
 * The two labellings every figure is given under: `twins` accepts either note of a same-key twin
 * pair (scripts/eval-alignment-twins.ts; the table the docs quote since stop 17), `asLabelled`
 * keeps the ground truth's pick of the twin (the table of the earlier rounds).
 */
const LABELLINGS = ['twins', 'asLabelled'] as const;
type Labelling = (typeof LABELLINGS)[number];

/** Labels under a labelling: with `twins`, a deleted twin of a played note is no label either way. */
function labelled(labels: Labels, labelling: Labelling): Labels {
  if (labelling === 'asLabelled' || exactLabels() || labels.twinDeletions.size === 0) return labels;
  return { ...labels, missed: new Set([...labels.missed].filter((id) => !labels.twinDeletions.has(id))), ignoreNotes: new Set([...labels.ignoreNotes, ...labels.twinDeletions]) };
}

// ---- main ---------------------------------------------------------------------------------

interface DatasetTotals {
  pieces: number;
  failed: number;
  ms: number[];
  liveP95: number[];
  liveMax: number;
  settleP95: number[];
  settleMax: number;
  unresolved: number;
  gt: number;
  tally: Record<Labelling, Tally>;
}

function main(): void {
  const only = option('only', '');
  const items = evaluationItems(dataDir, limits);
  // --nasap-skip <n>: leave out the nASAP takes that `--nasap <n>` picks, to check a constant
  // chosen on that sample on other takes (e.g. --nasap 120 --nasap-skip 40: the other 80).
  const skipCount = Number(option('nasap-skip', '0'));
  const skipped = new Set(skipCount > 0 ? evaluationItems(dataDir, { nasap: skipCount, vienna: 0, batik: 0 }).map((item) => item.name) : []);
  // --only <substring>: run just the matching pieces (seeds stay those of the full list).
  const keep = (item: Item) => (!only || item.name.includes(only)) && !(item.dataset === 'nasap' && skipped.has(item.name));
  const totals = new Map<string, DatasetTotals>();
  for (const [index, item] of items.entries()) {
    if (!keep(item)) continue;
    const t = totals.get(item.dataset) ?? { pieces: 0, failed: 0, ms: [], liveP95: [], liveMax: 0, settleP95: [], settleMax: 0, unresolved: 0, gt: 0, tally: { twins: zeroTally(), asLabelled: zeroTally() } };
    totals.set(item.dataset, t);
    let score: Score;
    let perf: Performance;
    try {
      score = importScore(basename(item.scorePath), new Uint8Array(readFileSync(item.scorePath)));
      perf = performanceFromMidi(new Uint8Array(readFileSync(item.perfPath)));
    } catch (error) {
      t.failed++;
      console.log(`${item.dataset} ${item.name}: import failed: ${(error as Error).message}`);
      continue;
    }
    const gt = resolve(item.rows(), score, perf);
    t.pieces++;
    t.unresolved += gt.unresolved;
    t.gt += gt.matchOf.size + gt.deleted.length + gt.unresolved;
    const twin = exactLabels() ? undefined : sameKeyTwin(twinKeys(score));
    const accuracy = (labelling: Labelling, predicted: Map<number, string | null>) => matchAccuracy(predicted, gt.matchOf, labelling === 'twins' ? twin : undefined);
    const started = clock.now();
    const pairs = alignPerformance(score, perf);
    const elapsed = clock.now() - started;
    t.ms.push(elapsed);
    const offlinePairs = new Map(pairs.filter((p) => p.performanceIndex !== null).map((p) => [p.performanceIndex!, p.scoreNoteId]));
    for (const l of LABELLINGS) addInto(t.tally[l].offline, accuracy(l, offlinePairs));
    const offline = accuracy('twins', offlinePairs);
    let liveLine = '';
    if (runLive) {
      const live = runLiveFollower(score, perf.notes, practiceTempo(score, perf.notes, gt.matchOf));
      for (const l of LABELLINGS) {
        addInto(t.tally[l].live, accuracy(l, assignment(live.result)));
        addInto(t.tally[l].settled, accuracy(l, assignment(live.settled)));
      }
      t.liveP95.push(live.p95Ms);
      t.liveMax = Math.max(t.liveMax, live.maxMs);
      t.settleP95.push(live.settleP95Ms);
      t.settleMax = Math.max(t.settleMax, live.settleMaxMs);
      const acc = accuracy('twins', assignment(live.result));
      const settledAcc = accuracy('twins', assignment(live.settled));
      liveLine = ` live ${(acc.matchedRight / Math.max(1, acc.matched) * 100).toFixed(1)}% settled ${(settledAcc.matchedRight / Math.max(1, settledAcc.matched) * 100).toFixed(1)}%`;
    }
    let synthLine = '';
    if (runSynthetic) {
      const { performance: injected, labels } = injectMistakes(score, perf, gt.matchOf, gt.deleted, 1000 + index);
      if (process.env.DUMP_INJECTED) writeFileSync(process.env.DUMP_INJECTED, JSON.stringify({ scorePath: item.scorePath, performance: injected, tempoFactor: practiceTempo(score, perf.notes, gt.matchOf) }));
      const graded = gradePerformance(score, injected, alignPerformance(score, injected));
      const run = runLive ? runLiveFollower(score, injected.notes, practiceTempo(score, perf.notes, gt.matchOf)) : null;
      for (const l of LABELLINGS) {
        const ls = labelled(labels, l);
        addInto(t.tally[l].det, detection(graded, ls));
        if (run) {
          addInto(t.tally[l].detLive, detection(run.result, ls));
          addInto(t.tally[l].detSettled, detection(run.settled, ls));
        }
      }
      const ls = labelled(labels, 'twins');
      synthLine = ` detF1 ${f1(detection(graded, ls, true)).toFixed(3)}`;
      if (run) synthLine += ` liveDetF1 ${f1(detection(run.result, ls, true)).toFixed(3)} settled ${f1(detection(run.settled, ls, true)).toFixed(3)}`;
    }
    console.log(`${item.dataset} ${item.name}: ${score.notes.length} score / ${perf.notes.length} played notes, offline ${(offline.matchedRight / Math.max(1, offline.matched) * 100).toFixed(1)}%${liveLine} in ${elapsed.toFixed(0)} ms${synthLine}${gt.unresolved ? ` (${gt.unresolved} gt rows unresolved)` : ''}`);
  }
  for (const l of LABELLINGS) printTable(totals, l);
}

function printTable(totals: Map<string, DatasetTotals>, labelling: Labelling): void {
  console.log(labelling === 'twins'
    ? `\nEither note of a same-key twin pair accepted${exactLabels() ? ' (EXACT_LABELS=1: off, so equal to the next table)' : ''}:`
    : '\nTwins as the ground truth labels them (the labelling of the rounds before stop 17):');
  console.log('| dataset | pieces | GT matched notes | offline correct | offline incl. insertions | live correct | align ms/piece (mean / max) | live p95 ms/note | detection F1 offline | detection F1 live | live settled correct | detection F1 live settled | settle ms/note p95 / max |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [dataset, t] of totals) {
    const x = t.tally[labelling];
    const pct = (a: number, b: number) => (b ? `${((a / b) * 100).toFixed(2)} %` : 'n/a');
    const mean = t.ms.reduce((s, v) => s + v, 0) / Math.max(1, t.ms.length);
    const liveP95 = t.liveP95.length ? Math.max(...t.liveP95).toFixed(3) : 'n/a';
    console.log(
      `| ${dataset} | ${t.pieces}${t.failed ? ` (+${t.failed} failed import)` : ''} | ${x.offline.matched} | ${pct(x.offline.matchedRight, x.offline.matched)} | ${pct(x.offline.allRight, x.offline.all)} | ${runLive ? pct(x.live.matchedRight, x.live.matched) : 'n/a'} | ${mean.toFixed(0)} / ${Math.max(0, ...t.ms).toFixed(0)} | ${liveP95} | ${runSynthetic ? f1(x.det).toFixed(3) : 'n/a'} | ${runSynthetic && runLive ? f1(x.detLive).toFixed(3) : 'n/a'} | ${runLive ? pct(x.settled.matchedRight, x.settled.matched) : 'n/a'} | ${runSynthetic && runLive ? f1(x.detSettled).toFixed(3) : 'n/a'} | ${t.settleP95.length ? `${Math.max(...t.settleP95).toFixed(3)} / ${t.settleMax.toFixed(1)}` : 'n/a'} |`,
    );
    if (t.unresolved && labelling === 'twins') console.log(`  (${dataset}: ${t.unresolved} of ${t.gt} ground-truth rows could not be resolved to our score ids / MIDI notes and were skipped)`);
  }
}

function f1(c: { tp: number; fp: number; fn: number }): number {
  return c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
}

main();
