import { useEffect, useMemo, useState } from 'react';
import type { LessonDetail, LessonRecord, LessonReview } from '../../../shared/lessons';
import type { PerformedNote } from '../../../shared/performance';
import type { Score } from '../../../shared/score';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { barAxis, compareBars, takeRoll } from './compare';
import type { BarAxis, TakeBar, TakeRoll } from './compare';

interface Take {
  title: string;
  createdAt: number;
  played: readonly PerformedNote[];
  review: LessonReview;
}

const GAP = 26;
const LEFT = 34;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

function RollRows({ roll, axis, top, label }: { roll: TakeRoll; axis: BarAxis; top: number; label: string }) {
  return (
    <g transform={`translate(0 ${top})`} data-testid="compare-roll">
      <text className="compare-roll-label" x={2} y={12}>
        {label}
      </text>
      <rect className="compare-roll-bg" x={LEFT} y={0} width={axis.width - LEFT} height={axis.height} />
      {roll.playedRects.map((r) => (
        <rect key={r.key} className={`roll-played roll-${r.kind}`} x={r.x} y={r.y} width={r.width} height={r.height} />
      ))}
      {roll.scoreRects.map((r) => (
        <rect key={r.key} className={`roll-score roll-${r.kind}`} x={r.x} y={r.y} width={r.width} height={r.height} />
      ))}
    </g>
  );
}

function BarCells({ bar }: { bar: TakeBar | null }) {
  if (!bar) return <td colSpan={3} className="muted">not played</td>;
  return (
    <>
      <td className={bar.accuracy < 0.8 ? 'weak' : undefined}>{pct(bar.accuracy)}</td>
      <td>{bar.meanAbsTimingErrorMs === null ? '–' : `${bar.meanAbsTimingErrorMs.toFixed(0)} ms`}</td>
      <td>{bar.qpm === null ? '–' : bar.qpm.toFixed(0)}</td>
    </>
  );
}

/** Two takes of one score side by side: rolls aligned by bar, and each bar's figures for both. */
function Comparison({ score, a, b }: { score: Score; a: Take; b: Take }) {
  const axis = useMemo(() => barAxis(score, [a.played, b.played], { width: 1100, pixelsPerBeat: 22, rowHeight: 4, left: LEFT }), [score, a, b]);
  const rollA = useMemo(() => takeRoll(score, a.played, a.review.evaluation.verdicts, axis), [score, a, axis]);
  const rollB = useMemo(() => takeRoll(score, b.played, b.review.evaluation.verdicts, axis), [score, b, axis]);
  const rows = useMemo(() => compareBars(score, a.review, b.review), [score, a, b]);
  const height = axis.height * 2 + GAP + 16;
  return (
    <>
      <div className="compare-heads">
        {[a, b].map((t, i) => (
          <div key={i} className="compare-head">
            <strong>{i === 0 ? 'A' : 'B'}: {t.title}</strong>
            <span className="muted small">{new Date(t.createdAt).toLocaleString()}</span>
            <span>
              accuracy <strong>{pct(t.review.evaluation.summary.accuracy)}</strong> · {t.review.evaluation.summary.wrong} wrong · {t.review.evaluation.summary.missed} missed · {t.review.evaluation.summary.extra} extra
            </span>
          </div>
        ))}
      </div>
      <div className="piano-roll" data-testid="compare-rolls">
        <svg width={axis.width} height={height} role="img" aria-label="Both takes against the written bars">
          <RollRows roll={rollA} axis={axis} top={0} label="A" />
          <RollRows roll={rollB} axis={axis} top={axis.height + GAP} label="B" />
          {/* Bar lines over both rolls: the same bar at the same x in each take. */}
          {axis.bars.map((bar, i) => (
            <g key={i}>
              <line className="compare-bar-line" x1={bar.x} x2={bar.x} y1={0} y2={height - 16} />
              <text className="roll-label" x={bar.x + 2} y={height - 4}>
                {bar.number}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <table className="bars-table compare-bars" data-testid="compare-bars">
        <caption className="muted small">Each bar in both takes: accuracy, mean timing error, tempo (quarter notes per minute).</caption>
        <thead>
          <tr>
            <th rowSpan={2}>Bar</th>
            <th colSpan={3}>A</th>
            <th colSpan={3}>B</th>
            <th rowSpan={2}>B − A</th>
          </tr>
          <tr>
            <th>accuracy</th>
            <th>timing</th>
            <th>tempo</th>
            <th>accuracy</th>
            <th>timing</th>
            <th>tempo</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.measureIndex} data-testid="compare-bar-row">
              <td>{r.number}</td>
              <BarCells bar={r.a} />
              <BarCells bar={r.b} />
              <td className={r.accuracyChange === null || Math.abs(r.accuracyChange) < 0.005 ? 'muted' : r.accuracyChange > 0 ? 'better' : 'worse'}>
                {r.accuracyChange === null ? '–' : `${r.accuracyChange > 0 ? '+' : ''}${(r.accuracyChange * 100).toFixed(0)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Picks another graded take of the same score and compares it with this one. */
export function CompareTakes({ detail, score }: { detail: LessonDetail; score: Score }) {
  const [others, setOthers] = useState<LessonRecord[] | null>(null);
  const [otherId, setOtherId] = useState<number | null>(null);
  const [other, setOther] = useState<LessonDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { id, pieceId } = detail.lesson;

  useEffect(() => {
    let live = true;
    api
      .invoke('lessons.list', {})
      .then((list) => live && setOthers(list.filter((l) => l.id !== id && l.pieceId === pieceId && l.accuracy !== null)))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [id, pieceId]);

  useEffect(() => {
    let live = true;
    setOther(null);
    if (otherId === null) return;
    api
      .invoke('lessons.get', { lessonId: otherId })
      .then((d) => live && setOther(d))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [otherId]);

  const takeOf = (d: LessonDetail): Take | null => (d.review && d.performance ? { title: d.lesson.title, createdAt: d.lesson.createdAt, played: d.performance.notes, review: d.review } : null);
  const a = takeOf(detail);
  const b = other ? takeOf(other) : null;
  return (
    <section className="lesson-panel" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare two takes</h2>
      {error && <p className="banner banner-error">Other takes could not be loaded: {error}</p>}
      {others && others.length === 0 && <p className="muted">No other graded take of this score yet: import another take against the same score to compare them.</p>}
      {others && others.length > 0 && (
        <label className="compare-pick">
          Compare with
          <select data-testid="compare-take" value={otherId ?? ''} onChange={(e) => setOtherId(e.target.value ? Number(e.target.value) : null)}>
            <option value="">— choose a take —</option>
            {others.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title} ({new Date(l.createdAt).toLocaleDateString()}, {l.accuracy === null ? '–' : pct(l.accuracy)})
              </option>
            ))}
          </select>
        </label>
      )}
      {otherId !== null && !b && !error && <p className="muted">Loading the other take…</p>}
      {a && b && <Comparison score={score} a={a} b={b} />}
    </section>
  );
}
