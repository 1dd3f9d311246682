import { useMemo } from 'react';
import type { NoteVerdict } from '../../../shared/evaluation';
import type { PerformedNote } from '../../../shared/performance';
import type { ScoreNote } from '../../../shared/score';
import { layoutPianoRoll, niceTicks } from './geometry';

const LEFT = 34;
const AXIS = 20;

function pitchName(pitch: number): string {
  return `${['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'][pitch % 12] ?? ''}${Math.floor(pitch / 12) - 1}`;
}

/** The performance against the score: score notes as outlines, played notes filled, both coloured by verdict. */
export function PianoRoll({ scoreNotes, played, verdicts }: { scoreNotes: readonly ScoreNote[]; played: readonly PerformedNote[]; verdicts: readonly NoteVerdict[] }) {
  const layout = useMemo(() => layoutPianoRoll(scoreNotes, played, verdicts, { width: 1100, pixelsPerSecond: 60, rowHeight: 6, left: LEFT }), [scoreNotes, played, verdicts]);
  const [, endSec] = layout.time.domain;
  const ticks = niceTicks(0, endSec, Math.max(4, Math.round(layout.width / 120)));
  const cRows = [];
  for (let p = layout.lowPitch; p <= layout.highPitch; p++) if (p % 12 === 0) cRows.push(p);
  const yOf = (pitch: number): number => (layout.highPitch - pitch) * layout.rowHeight;
  return (
    <div className="piano-roll" data-testid="piano-roll">
      <svg width={layout.width} height={layout.height + AXIS} role="img" aria-label="Piano roll: played notes against the score">
        {cRows.map((p) => (
          <g key={p}>
            <line className="roll-grid" x1={LEFT} x2={layout.width} y1={yOf(p) + layout.rowHeight} y2={yOf(p) + layout.rowHeight} />
            <text className="roll-label" x={2} y={yOf(p) + layout.rowHeight}>
              {pitchName(p)}
            </text>
          </g>
        ))}
        {ticks.map((t) => (
          <g key={t}>
            <line className="roll-grid" x1={layout.time(t)} x2={layout.time(t)} y1={0} y2={layout.height} />
            <text className="roll-label" x={layout.time(t)} y={layout.height + 14} textAnchor="middle">
              {t} s
            </text>
          </g>
        ))}
        {layout.playedRects.map((r) => (
          <rect key={r.key} className={`roll-played roll-${r.kind}`} x={r.x} y={r.y} width={r.width} height={r.height} />
        ))}
        {layout.scoreRects.map((r) => (
          <rect key={r.key} className={`roll-score roll-${r.kind}`} x={r.x} y={r.y} width={r.width} height={r.height} />
        ))}
      </svg>
    </div>
  );
}
