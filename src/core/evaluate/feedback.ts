import type { Hand, Score, ScoreNote } from '../../shared/score';
import type { Performance } from '../../shared/performance';
import type { EvaluationResult, NoteVerdict } from '../../shared/evaluation';

/** One actionable remark about a take, anchored to bars (1-based printed numbers) and a hand. */
export interface FeedbackItem {
  kind: 'missed' | 'wrong' | 'rushing' | 'dragging' | 'uneven' | 'hands-apart';
  /** Playing-order measure indices (inclusive). */
  fromMeasure: number;
  toMeasure: number;
  hand: Hand | null;
  /** Higher = more worth the student's attention; items come sorted by it. */
  severity: number;
  text: string;
}

/** A bar's tempo must differ by this much from the take's median to count as rushing/dragging. */
const TEMPO_DEVIATION = 0.05;
const UNEVEN_MS = 60;
const HANDS_APART_MS = 50;

const SHARP_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
const FLAT_NAMES = ['C', 'D♭', 'D', 'E♭', 'E', 'F', 'G♭', 'G', 'A♭', 'A', 'B♭', 'B'];

/** "B♭2": the written spelling when the score has one, else by the key's accidental direction. */
export function noteName(pitch: number, spelling?: ScoreNote['spelling'], keyFifths = 0): string {
  if (spelling) {
    const accidental = spelling.alter > 0 ? '♯'.repeat(spelling.alter) : '♭'.repeat(-spelling.alter);
    return `${spelling.step}${accidental}${spelling.octave}`;
  }
  const names = keyFifths < 0 ? FLAT_NAMES : SHARP_NAMES;
  return `${names[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

function barLabel(score: Score, from: number, to: number): string {
  const a = score.measures[from]?.number ?? String(from + 1);
  const b = score.measures[to]?.number ?? String(to + 1);
  return from === to ? `bar ${a}` : `bars ${a}–${b}`;
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Ranked feedback for a graded take: note mistakes grouped by bar and hand, stretches of two or
 * more bars that rush or drag against the take's own median tempo, bars with uneven timing, and
 * bars where the hands are not together. At most `limit` items.
 */
export function feedbackFor(score: Score, performance: Performance, result: EvaluationResult, limit = 10): FeedbackItem[] {
  const byId = new Map(score.notes.map((n) => [n.id, n]));
  const items: FeedbackItem[] = [...noteMistakes(score, byId, result.verdicts)];
  const correct = result.verdicts.filter((v) => v.verdict === 'correct' && v.scoreNoteId !== null && v.performanceIndex !== null);
  items.push(...tempoStretches(score, performance, byId, correct));
  for (const bar of result.summary.bars) {
    if (bar.meanAbsTimingErrorMs !== null && bar.meanAbsTimingErrorMs > UNEVEN_MS && bar.correct >= 3) {
      items.push({
        kind: 'uneven',
        fromMeasure: bar.measureIndex,
        toMeasure: bar.measureIndex,
        hand: null,
        severity: bar.meanAbsTimingErrorMs / 100,
        text: `${barLabel(score, bar.measureIndex, bar.measureIndex)}: uneven rhythm (notes off the beat by about ${Math.round(bar.meanAbsTimingErrorMs)} ms)`,
      });
    }
  }
  items.push(...handsApart(score, performance, byId, correct));
  return items.sort((a, b) => b.severity - a.severity || a.fromMeasure - b.fromMeasure).slice(0, limit);
}

function noteMistakes(score: Score, byId: Map<string, ScoreNote>, verdicts: NoteVerdict[]): FeedbackItem[] {
  const groups = new Map<string, { measure: number; hand: Hand; kind: 'missed' | 'wrong'; names: string[] }>();
  for (const v of verdicts) {
    if ((v.verdict !== 'missed' && v.verdict !== 'wrong') || v.scoreNoteId === null) continue;
    const note = byId.get(v.scoreNoteId);
    if (!note) continue;
    const key = score.measures[note.measureIndex]?.keyFifths ?? 0;
    const written = noteName(note.pitch, note.spelling, key);
    const name = v.verdict === 'wrong' && v.playedPitch !== undefined ? `${noteName(v.playedPitch, undefined, key)} instead of ${written}` : written;
    const id = `${note.measureIndex}|${note.hand}|${v.verdict}`;
    const group = groups.get(id) ?? { measure: note.measureIndex, hand: note.hand, kind: v.verdict, names: [] };
    group.names.push(name);
    groups.set(id, group);
  }
  return [...groups.values()].map((g) => {
    const shown = g.names.length > 4 ? [...g.names.slice(0, 3), `${g.names.length - 3} more`] : g.names;
    const what = g.kind === 'missed' ? `${list(shown)} missed` : `played ${list(shown)}`;
    return {
      kind: g.kind,
      fromMeasure: g.measure,
      toMeasure: g.measure,
      hand: g.hand,
      severity: g.names.length,
      text: `${barLabel(score, g.measure, g.measure)}, ${g.hand} hand: ${what}`,
    };
  });
}

/** Per-bar tempo (written seconds per played second, slope of a line fit) against the median. */
function tempoStretches(score: Score, performance: Performance, byId: Map<string, ScoreNote>, correct: NoteVerdict[]): FeedbackItem[] {
  const perBar = new Map<number, { x: number[]; y: number[] }>();
  for (const v of correct) {
    const note = byId.get(v.scoreNoteId!)!;
    const bar = perBar.get(note.measureIndex) ?? { x: [], y: [] };
    bar.x.push(note.onsetSec);
    bar.y.push(performance.notes[v.performanceIndex!]!.onsetSec);
    perBar.set(note.measureIndex, bar);
  }
  const tempo = new Map<number, number>();
  for (const [measure, { x, y }] of perBar) {
    if (new Set(x).size < 3) continue;
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    let sxy = 0;
    let sxx = 0;
    x.forEach((xi, k) => {
      sxy += (xi - mx) * (y[k]! - my);
      sxx += (xi - mx) ** 2;
    });
    if (sxx > 0 && sxy > 0) tempo.set(measure, sxx / sxy);
  }
  const values = [...tempo.values()].sort((a, b) => a - b);
  if (values.length < 4) return [];
  const median = values[values.length >> 1]!;
  const items: FeedbackItem[] = [];
  const measures = [...tempo.keys()].sort((a, b) => a - b);
  let k = 0;
  while (k < measures.length) {
    const sign = Math.sign(tempo.get(measures[k]!)! / median - 1);
    const deviates = (m: number) => Math.abs(tempo.get(m)! / median - 1) > TEMPO_DEVIATION && Math.sign(tempo.get(m)! / median - 1) === sign;
    let end = k;
    while (end + 1 < measures.length && measures[end + 1] === measures[end]! + 1 && deviates(measures[end + 1]!)) end++;
    if (deviates(measures[k]!) && end > k) {
      const stretch = measures.slice(k, end + 1);
      const mean = stretch.reduce((s, m) => s + tempo.get(m)!, 0) / stretch.length / median - 1;
      const percent = Math.round(Math.abs(mean) * 100);
      const kind = mean > 0 ? 'rushing' : 'dragging';
      items.push({
        kind,
        fromMeasure: stretch[0]!,
        toMeasure: stretch[stretch.length - 1]!,
        hand: null,
        severity: (Math.abs(mean) * 20 * stretch.length) / 2,
        text: `${barLabel(score, stretch[0]!, stretch[stretch.length - 1]!)}: ${kind} by about ${percent} %`,
      });
    }
    k = end + 1;
  }
  return items;
}

/** Bars where left- and right-hand notes written together are played apart on average. */
function handsApart(score: Score, performance: Performance, byId: Map<string, ScoreNote>, correct: NoteVerdict[]): FeedbackItem[] {
  const onsets = new Map<number, { right: number[]; left: number[]; measure: number }>();
  for (const v of correct) {
    const note = byId.get(v.scoreNoteId!)!;
    const slot = onsets.get(note.onsetBeats) ?? { right: [], left: [], measure: note.measureIndex };
    slot[note.hand].push(performance.notes[v.performanceIndex!]!.onsetSec);
    onsets.set(note.onsetBeats, slot);
  }
  const perBar = new Map<number, number[]>();
  for (const slot of onsets.values()) {
    if (!slot.right.length || !slot.left.length) continue;
    const lag = Math.min(...slot.left) - Math.min(...slot.right);
    perBar.set(slot.measure, [...(perBar.get(slot.measure) ?? []), lag * 1000]);
  }
  const items: FeedbackItem[] = [];
  for (const [measure, lags] of perBar) {
    if (lags.length < 2) continue;
    const mean = lags.reduce((s, v) => s + v, 0) / lags.length;
    if (Math.abs(mean) < HANDS_APART_MS) continue;
    const late = mean > 0 ? 'left' : 'right';
    items.push({
      kind: 'hands-apart',
      fromMeasure: measure,
      toMeasure: measure,
      hand: late,
      severity: Math.abs(mean) / 50,
      text: `${barLabel(score, measure, measure)}: hands not together (${late} hand about ${Math.round(Math.abs(mean))} ms late)`,
    });
  }
  return items;
}
