import type { Score } from '../../shared/score';
import type { AttemptSummary, BarResult, NoteVerdict } from '../../shared/evaluation';

/** A verdict with the measure it belongs to (extras carry the measure they were played in). */
export interface PlacedVerdict {
  verdict: NoteVerdict;
  measureIndex: number;
}

/** Linear-interpolated quantile of an ascending array. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Counts, accuracy (correct / (required score notes + extras)), timing statistics over the
 * correctly played notes, and a per-bar breakdown in playing order.
 */
export function summarize(score: Score, placed: PlacedVerdict[], durationSec: number): AttemptSummary {
  const bars = new Map<number, { r: BarResult; timing: number[] }>();
  const barFor = (measureIndex: number) => {
    let bar = bars.get(measureIndex);
    if (!bar) {
      const measure = score.measures[measureIndex];
      bar = {
        r: {
          measureIndex,
          measureNumber: measure ? measure.number : String(measureIndex + 1),
          correct: 0,
          wrong: 0,
          missed: 0,
          extra: 0,
          accuracy: 0,
          meanAbsTimingErrorMs: null,
        },
        timing: [],
      };
      bars.set(measureIndex, bar);
    }
    return bar;
  };
  const totals = { correct: 0, wrong: 0, missed: 0, extra: 0 };
  const timing: number[] = [];
  for (const { verdict, measureIndex } of placed) {
    const bar = barFor(measureIndex);
    totals[verdict.verdict]++;
    bar.r[verdict.verdict]++;
    if (verdict.verdict === 'correct' && verdict.timingErrorMs !== null) {
      const abs = Math.abs(verdict.timingErrorMs);
      timing.push(abs);
      bar.timing.push(abs);
    }
  }
  const accuracyOf = (c: { correct: number; wrong: number; missed: number; extra: number }) => {
    const denominator = c.correct + c.wrong + c.missed + c.extra;
    return denominator === 0 ? 0 : c.correct / denominator;
  };
  const barResults = [...bars.values()]
    .sort((a, b) => a.r.measureIndex - b.r.measureIndex)
    .map(({ r, timing: t }) => ({ ...r, accuracy: accuracyOf(r), meanAbsTimingErrorMs: mean(t) }));
  timing.sort((a, b) => a - b);
  return {
    ...totals,
    accuracy: accuracyOf(totals),
    meanAbsTimingErrorMs: mean(timing),
    p90AbsTimingErrorMs: quantile(timing, 0.9),
    durationSec,
    bars: barResults,
  };
}
