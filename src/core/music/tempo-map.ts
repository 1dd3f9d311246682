/** Beats <-> seconds through a piecewise-constant tempo map (quarter notes per minute). */
import type { TempoPoint } from '../../shared/score';
import type { Beats, Seconds } from '../../shared/units';

export const DEFAULT_QPM = 120;

export interface TempoMap {
  points: TempoPoint[];
  secondsAt(beats: Beats): Seconds;
}

/**
 * Normalises tempo points (sorted, one per beat position, the last written wins, consecutive
 * duplicates dropped, a point at beat 0) and builds a converter.
 */
export function buildTempoMap(rawPoints: TempoPoint[]): TempoMap {
  const valid = rawPoints.filter((p) => Number.isFinite(p.qpm) && p.qpm > 0 && Number.isFinite(p.beats));
  const sorted = valid.map((p, order) => ({ ...p, order })).sort((a, b) => a.beats - b.beats || a.order - b.order);
  const points: TempoPoint[] = [];
  for (const { beats, qpm } of sorted) {
    const last = points[points.length - 1];
    if (last !== undefined && Math.abs(last.beats - beats) < 1e-9) last.qpm = qpm;
    else points.push({ beats: Math.max(0, beats), qpm });
  }
  const first = points[0];
  if (first === undefined) points.push({ beats: 0, qpm: DEFAULT_QPM });
  else if (first.beats > 0) points.unshift({ beats: 0, qpm: DEFAULT_QPM });
  const deduped: TempoPoint[] = [];
  for (const p of points) {
    if (deduped[deduped.length - 1]?.qpm !== p.qpm) deduped.push(p);
  }
  const startSec: Seconds[] = [];
  let acc = 0;
  for (let i = 0; i < deduped.length; i++) {
    const prev = deduped[i - 1];
    const cur = deduped[i] as TempoPoint;
    if (prev !== undefined) acc += ((cur.beats - prev.beats) * 60) / prev.qpm;
    startSec.push(acc);
  }
  return {
    points: deduped,
    secondsAt(beats: Beats): Seconds {
      let lo = 0;
      let hi = deduped.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((deduped[mid] as TempoPoint).beats <= beats) lo = mid;
        else hi = mid - 1;
      }
      const point = deduped[lo] as TempoPoint;
      return (startSec[lo] as number) + ((beats - point.beats) * 60) / point.qpm;
    },
  };
}
