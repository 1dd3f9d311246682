import { useEffect, useMemo, useRef } from 'react';
import type { NoteVerdict } from '../../../shared/evaluation';
import type { PerformedNote } from '../../../shared/performance';
import type { ScoreNote } from '../../../shared/score';
import { layoutPianoRoll, niceTicks } from './geometry';
import type { LinearScale, RollRect } from './geometry';
import type { PlaybackClock } from './usePlayback';
import { useClock } from './usePlayback';

const LEFT = 34;
const AXIS = 20;

function pitchName(pitch: number): string {
  return `${['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'][pitch % 12] ?? ''}${Math.floor(pitch / 12) - 1}`;
}

/** The moving line at the playback position; keeps itself in view while playing. */
function Playhead({ clock, time, height, scroller }: { clock: PlaybackClock; time: LinearScale; height: number; scroller: React.RefObject<HTMLDivElement | null> }) {
  const { time: sec, playing } = useClock(clock);
  const x = time(Math.min(sec, time.domain[1]));
  useEffect(() => {
    const el = scroller.current;
    if (!el || !playing) return;
    if (x < el.scrollLeft + 40 || x > el.scrollLeft + el.clientWidth - 40) el.scrollLeft = Math.max(0, x - el.clientWidth * 0.2);
  }, [x, playing, scroller]);
  return <line className="roll-playhead" data-testid="roll-playhead" data-time={sec.toFixed(3)} x1={x} x2={x} y1={0} y2={height} />;
}

/** One note of the roll; played notes carry a tooltip, and every note plays when clicked (with a handler). */
function NoteRect({ rect: r, role, onNoteClick }: { rect: RollRect; role: 'played' | 'score'; onNoteClick: ((startSec: number, endSec: number) => void) | undefined }) {
  return (
    <rect
      className={`roll-${role} roll-${r.kind}`}
      x={r.x}
      y={r.y}
      width={r.width}
      height={r.height}
      data-onset={r.startSec.toFixed(3)}
      onClick={onNoteClick ? () => onNoteClick(r.startSec, r.endSec) : undefined}
    >
      {role === 'played' && <title>{`${pitchName(r.pitch)} at ${r.startSec.toFixed(2)} s (${r.kind})`}</title>}
    </rect>
  );
}

interface PianoRollProps {
  scoreNotes: readonly ScoreNote[];
  played: readonly PerformedNote[];
  verdicts: readonly NoteVerdict[];
  /** With a clock: a playhead, and notes that play when clicked. */
  clock?: PlaybackClock;
  onNoteClick?: (startSec: number, endSec: number) => void;
}

/** The performance against the score: score notes as outlines, played notes filled, both coloured by verdict. */
export function PianoRoll({ scoreNotes, played, verdicts, clock, onNoteClick }: PianoRollProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const layout = useMemo(() => layoutPianoRoll(scoreNotes, played, verdicts, { width: 1100, pixelsPerSecond: 60, rowHeight: 6, left: LEFT }), [scoreNotes, played, verdicts]);
  const [, endSec] = layout.time.domain;
  const ticks = niceTicks(0, endSec, Math.max(4, Math.round(layout.width / 120)));
  const cRows = [];
  for (let p = layout.lowPitch; p <= layout.highPitch; p++) if (p % 12 === 0) cRows.push(p);
  const yOf = (pitch: number): number => (layout.highPitch - pitch) * layout.rowHeight;
  return (
    <div className={`piano-roll${onNoteClick ? ' clickable' : ''}`} data-testid="piano-roll" ref={scroller}>
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
          <NoteRect key={r.key} rect={r} role="played" onNoteClick={onNoteClick} />
        ))}
        {layout.scoreRects.map((r) => (
          <NoteRect key={r.key} rect={r} role="score" onNoteClick={onNoteClick} />
        ))}
        {clock && <Playhead clock={clock} time={layout.time} height={layout.height} scroller={scroller} />}
      </svg>
    </div>
  );
}
