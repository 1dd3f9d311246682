/**
 * Pure geometry for the review's piano roll and plots: linear scales, "nice" axis ticks, and the
 * rectangles of score notes (outlines) and played notes (filled, coloured by verdict).
 */
import type { NoteVerdict, NoteVerdictKind } from '../../../shared/evaluation';
import type { PerformedNote } from '../../../shared/performance';
import type { ScoreNote } from '../../../shared/score';

export interface LinearScale {
  (value: number): number;
  domain: [number, number];
  range: [number, number];
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to the range's middle. */
export function linearScale(domain: [number, number], range: [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0))) as LinearScale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

/** Ticks at 1, 2 or 5 × 10^k covering [min, max] with about `count` steps (axis labels a reader can use). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const rough = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/** Domain padded so that points do not sit on the frame; always includes `include` (e.g. the 0 line). */
export function paddedExtent(values: number[], include: number[] = [], pad = 0.08): [number, number] {
  const all = [...values, ...include].filter(Number.isFinite);
  if (all.length === 0) return [0, 1];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const margin = hi === lo ? Math.max(1, Math.abs(hi) * 0.1) : (hi - lo) * pad;
  return [lo - margin, hi + margin];
}

export interface RollRect {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
  pitch: number;
  kind: NoteVerdictKind;
  /** Seconds of the recording this rectangle covers (what a click on it plays). */
  startSec: number;
  endSec: number;
}

export interface PianoRollLayout {
  width: number;
  height: number;
  /** Seconds of the recording (the time axis). */
  time: LinearScale;
  lowPitch: number;
  highPitch: number;
  rowHeight: number;
  scoreRects: RollRect[];
  playedRects: RollRect[];
}

const MIN_NOTE_WIDTH = 2;

/**
 * Score notes are placed where the performance played them (their matched note's onset) or, when
 * missed, where the alignment expects them: the written time shifted by the median offset of
 * the matched notes, so the outline sits near the music around it.
 */
export function layoutPianoRoll(
  scoreNotes: readonly ScoreNote[],
  played: readonly PerformedNote[],
  verdicts: readonly NoteVerdict[],
  size: { width: number; pixelsPerSecond: number; rowHeight: number; left: number },
): PianoRollLayout {
  const byScoreId = new Map<string, NoteVerdict>();
  const byPlayedIndex = new Map<number, NoteVerdict>();
  for (const v of verdicts) {
    if (v.scoreNoteId) byScoreId.set(v.scoreNoteId, v);
    if (v.performanceIndex !== null) byPlayedIndex.set(v.performanceIndex, v);
  }
  const offsets: number[] = [];
  for (const n of scoreNotes) {
    const v = byScoreId.get(n.id);
    const p = v?.performanceIndex != null ? played[v.performanceIndex] : undefined;
    if (p) offsets.push(p.onsetSec - n.onsetSec);
  }
  offsets.sort((a, b) => a - b);
  const medianOffset = offsets.length ? (offsets[Math.floor(offsets.length / 2)] ?? 0) : 0;

  const pitches = [...scoreNotes.map((n) => n.pitch), ...played.map((n) => n.pitch)];
  const lowPitch = pitches.length ? Math.min(...pitches) - 1 : 59;
  const highPitch = pitches.length ? Math.max(...pitches) + 1 : 73;
  const endSec = Math.max(1, ...played.map((n) => n.offsetSec), ...scoreNotes.map((n) => n.onsetSec + n.durationSec + medianOffset));
  const width = Math.max(size.width, size.left + endSec * size.pixelsPerSecond);
  const time = linearScale([0, endSec], [size.left, width]);
  const rowHeight = size.rowHeight;
  const height = (highPitch - lowPitch + 1) * rowHeight;
  const yOf = (pitch: number): number => (highPitch - pitch) * rowHeight;

  const scoreRects: RollRect[] = scoreNotes.map((n) => {
    const v = byScoreId.get(n.id);
    const p = v?.performanceIndex != null ? played[v.performanceIndex] : undefined;
    const start = p ? p.onsetSec : n.onsetSec + medianOffset;
    const x = time(start);
    const end = p ? Math.max(p.offsetSec, start + n.durationSec) : start + n.durationSec;
    return { key: n.id, x, y: yOf(n.pitch), width: Math.max(MIN_NOTE_WIDTH, time(start + n.durationSec) - x), height: rowHeight, pitch: n.pitch, kind: v?.verdict ?? 'missed', startSec: start, endSec: end };
  });
  const playedRects: RollRect[] = played.map((n, i) => {
    const x = time(n.onsetSec);
    return { key: `p${i}`, x, y: yOf(n.pitch), width: Math.max(MIN_NOTE_WIDTH, time(n.offsetSec) - x), height: rowHeight, pitch: n.pitch, kind: byPlayedIndex.get(i)?.verdict ?? 'extra', startSec: n.onsetSec, endSec: n.offsetSec };
  });
  return { width, height, time, lowPitch, highPitch, rowHeight, scoreRects, playedRects };
}

export interface TimingPoint {
  timeSec: number;
  errorMs: number;
  kind: NoteVerdictKind;
}

/** Points of the timing-deviation plot: each played score note's error against its time in the recording. */
export function timingPoints(played: readonly PerformedNote[], verdicts: readonly NoteVerdict[]): TimingPoint[] {
  const points: TimingPoint[] = [];
  for (const v of verdicts) {
    if (v.timingErrorMs === null || v.performanceIndex === null) continue;
    const p = played[v.performanceIndex];
    if (p) points.push({ timeSec: p.onsetSec, errorMs: v.timingErrorMs, kind: v.verdict });
  }
  return points.sort((a, b) => a.timeSec - b.timeSec);
}
