import type { BarTempo } from '../../../shared/lessons';
import { linearScale, niceTicks, paddedExtent } from './geometry';
import type { TimingPoint } from './geometry';

const W = 540;
const H = 200;
const M = { left: 46, right: 12, top: 10, bottom: 30 };

function Frame({ x, y, xLabel, yLabel, xTicks, yTicks, xFormat }: { x: (v: number) => number; y: (v: number) => number; xLabel: string; yLabel: string; xTicks: number[]; yTicks: number[]; xFormat?: (v: number) => string }) {
  return (
    <g className="plot-frame">
      <rect x={M.left} y={M.top} width={W - M.left - M.right} height={H - M.top - M.bottom} className="plot-bg" />
      {yTicks.map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="plot-grid" />
          <text x={M.left - 4} y={y(t) + 4} textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <text key={`x${t}`} x={x(t)} y={H - M.bottom + 14} textAnchor="middle">
          {xFormat ? xFormat(t) : t}
        </text>
      ))}
      <text x={(M.left + W - M.right) / 2} y={H - 2} textAnchor="middle" className="plot-axis-label">
        {xLabel}
      </text>
      <text x={12} y={(M.top + H - M.bottom) / 2} textAnchor="middle" className="plot-axis-label" transform={`rotate(-90 12 ${(M.top + H - M.bottom) / 2})`}>
        {yLabel}
      </text>
    </g>
  );
}

/** Quarter notes per minute in each bar, the written tempo dashed. */
export function TempoPlot({ tempo, writtenQpm }: { tempo: BarTempo[]; writtenQpm: number | null }) {
  if (tempo.length === 0) return <p className="muted">Too few notes per bar to measure the tempo.</p>;
  const indices = tempo.map((t) => t.measureIndex);
  const x = linearScale([Math.min(...indices) - 0.5, Math.max(...indices) + 0.5], [M.left, W - M.right]);
  const y = linearScale(paddedExtent(tempo.map((t) => t.qpm), writtenQpm === null ? [] : [writtenQpm]), [H - M.bottom, M.top]);
  const byIndex = new Map(tempo.map((t) => [t.measureIndex, t.measureNumber]));
  const xTicks = niceTicks(Math.min(...indices), Math.max(...indices), 8).filter((i) => Number.isInteger(i) && byIndex.has(i));
  const path = tempo.map((t, i) => `${i === 0 ? 'M' : 'L'}${x(t.measureIndex).toFixed(1)},${y(t.qpm).toFixed(1)}`).join(' ');
  return (
    <svg className="plot" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Tempo per bar" data-testid="tempo-plot">
      <Frame x={x} y={y} xLabel="bar" yLabel="qpm" xTicks={xTicks} yTicks={niceTicks(y.domain[0], y.domain[1], 4)} xFormat={(i) => byIndex.get(i) ?? String(i + 1)} />
      {writtenQpm !== null && <line className="plot-reference" x1={M.left} x2={W - M.right} y1={y(writtenQpm)} y2={y(writtenQpm)} />}
      <path className="plot-line" d={path} />
      {tempo.map((t) => (
        <circle key={t.measureIndex} className="plot-point" cx={x(t.measureIndex)} cy={y(t.qpm)} r={3}>
          <title>{`bar ${t.measureNumber}: ${Math.round(t.qpm)} qpm`}</title>
        </circle>
      ))}
    </svg>
  );
}

/** Each played score note's timing error (ms, + late) against its time in the recording; 0 is on time. */
export function TimingPlot({ points }: { points: TimingPoint[] }) {
  if (points.length === 0) return <p className="muted">No timed notes to plot.</p>;
  const times = points.map((p) => p.timeSec);
  const x = linearScale([0, Math.max(1, ...times)], [M.left, W - M.right]);
  const y = linearScale(paddedExtent(points.map((p) => p.errorMs), [0]), [H - M.bottom, M.top]);
  return (
    <svg className="plot" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Timing deviation per note" data-testid="timing-plot">
      <Frame x={x} y={y} xLabel="time in the recording (s)" yLabel="ms (+ late)" xTicks={niceTicks(0, x.domain[1], 6)} yTicks={niceTicks(y.domain[0], y.domain[1], 4)} />
      <line className="plot-reference zero" x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} />
      {points.map((p, i) => (
        <circle key={i} className={`plot-dot roll-${p.kind}`} cx={x(p.timeSec)} cy={y(p.errorMs)} r={2.2} />
      ))}
    </svg>
  );
}
