/**
 * Pure geometry and figures for comparing two takes of one score: piano rolls drawn against the
 * written beats (each take's notes placed through its own alignment), so bar N sits at the same x
 * in both rolls whatever tempo each take had; and one row per bar with both takes' results.
 */
import type { BarResult, NoteVerdict } from '../../../shared/evaluation';
import type { LessonReview } from '../../../shared/lessons';
import type { PerformedNote } from '../../../shared/performance';
import type { Score } from '../../../shared/score';
import { linearScale } from './geometry';
import type { LinearScale, RollRect } from './geometry';
import { beatsAtTime, timeAnchors } from './playback';

export interface TakeRoll {
  scoreRects: RollRect[];
  playedRects: RollRect[];
}

export interface BarAxis {
  width: number;
  height: number;
  rowHeight: number;
  lowPitch: number;
  highPitch: number;
  /** Written beats → x. */
  beats: LinearScale;
  bars: { x: number; number: string }[];
}

const MIN_WIDTH = 2;

/** One x axis in written beats and one pitch range, shared by every take's roll. */
export function barAxis(score: Score, takes: readonly (readonly PerformedNote[])[], size: { width: number; pixelsPerBeat: number; rowHeight: number; left: number }): BarAxis {
  const last = score.measures[score.measures.length - 1];
  const totalBeats = last ? last.startBeats + last.durationBeats : 4;
  const pitches = [...score.notes.map((n) => n.pitch), ...takes.flatMap((t) => t.map((n) => n.pitch))];
  const lowPitch = pitches.length ? Math.min(...pitches) - 1 : 59;
  const highPitch = pitches.length ? Math.max(...pitches) + 1 : 73;
  const width = Math.max(size.width, size.left + totalBeats * size.pixelsPerBeat);
  const beats = linearScale([0, totalBeats], [size.left, width]);
  return {
    width,
    height: (highPitch - lowPitch + 1) * size.rowHeight,
    rowHeight: size.rowHeight,
    lowPitch,
    highPitch,
    beats,
    bars: score.measures.map((m) => ({ x: beats(m.startBeats), number: m.number })),
  };
}

/** A take's notes on the shared axis: score outlines at their written beats, played notes where the alignment puts them. */
export function takeRoll(score: Score, played: readonly PerformedNote[], verdicts: readonly NoteVerdict[], axis: BarAxis): TakeRoll {
  const anchors = timeAnchors(score.notes, played, verdicts);
  const byScoreId = new Map<string, NoteVerdict>();
  const byPlayed = new Map<number, NoteVerdict>();
  for (const v of verdicts) {
    if (v.scoreNoteId) byScoreId.set(v.scoreNoteId, v);
    if (v.performanceIndex !== null) byPlayed.set(v.performanceIndex, v);
  }
  const y = (pitch: number) => (axis.highPitch - pitch) * axis.rowHeight;
  const rect = (key: string, pitch: number, from: number, to: number, kind: RollRect['kind'], startSec: number, endSec: number): RollRect => {
    const x = axis.beats(from);
    return { key, x, y: y(pitch), width: Math.max(MIN_WIDTH, axis.beats(to) - x), height: axis.rowHeight, pitch, kind, startSec, endSec };
  };
  const scoreRects = score.notes.map((n) => {
    const v = byScoreId.get(n.id);
    const p = v?.performanceIndex != null ? played[v.performanceIndex] : undefined;
    return rect(n.id, n.pitch, n.onsetBeats, n.onsetBeats + n.durationBeats, v?.verdict ?? 'missed', p?.onsetSec ?? 0, p?.offsetSec ?? 0);
  });
  const playedRects: RollRect[] = [];
  played.forEach((n, i) => {
    const from = beatsAtTime(anchors, n.onsetSec);
    const to = beatsAtTime(anchors, n.offsetSec);
    if (from === null || to === null) return;
    playedRects.push(rect(`p${i}`, n.pitch, from, Math.max(to, from + 0.1), byPlayed.get(i)?.verdict ?? 'extra', n.onsetSec, n.offsetSec));
  });
  return { scoreRects, playedRects };
}

export interface TakeBar {
  accuracy: number;
  meanAbsTimingErrorMs: number | null;
  qpm: number | null;
  mistakes: number;
}

export interface ComparedBar {
  measureIndex: number;
  number: string;
  a: TakeBar | null;
  b: TakeBar | null;
  /** b − a accuracy (positive: the second take is better here), null unless both played the bar. */
  accuracyChange: number | null;
}

function takeBar(bar: BarResult | undefined, qpm: number | undefined): TakeBar | null {
  if (!bar) return null;
  return { accuracy: bar.accuracy, meanAbsTimingErrorMs: bar.meanAbsTimingErrorMs, qpm: qpm ?? null, mistakes: bar.wrong + bar.missed + bar.extra };
}

/** One row per bar of the score (playing order) with both takes' figures. */
export function compareBars(score: Score, a: LessonReview, b: LessonReview): ComparedBar[] {
  const index = (review: LessonReview) => ({
    bars: new Map(review.evaluation.summary.bars.map((bar) => [bar.measureIndex, bar])),
    tempo: new Map(review.tempoByBar.map((t) => [t.measureIndex, t.qpm])),
  });
  const ia = index(a);
  const ib = index(b);
  return score.measures.map((m) => {
    const ta = takeBar(ia.bars.get(m.index), ia.tempo.get(m.index));
    const tb = takeBar(ib.bars.get(m.index), ib.tempo.get(m.index));
    return { measureIndex: m.index, number: m.number, a: ta, b: tb, accuracyChange: ta && tb ? tb.accuracy - ta.accuracy : null };
  });
}
