import './live.css';
import { useEffect, useRef, useState } from 'react';
import type { FeedbackEvent } from '../../../shared/practice';
import { api } from '../../api/bridge';
import { usePractice } from '../practice/practiceStore';
import type { RollNote } from './rollWindow';
import { noteBox, pitchRange, visibleNotes } from './rollWindow';

const WINDOW_MS = 8000;
const WIDTH = 800;
const HEIGHT = 140;

/**
 * Scrolling piano roll of the keys detected in the last 8 s of a take, coloured by verdict, so a
 * microphone player sees what the app heard. Missed notes were never played and are not drawn.
 */
export function LivePianoRoll() {
  const status = usePractice((s) => s.status);
  const notes = useRef<RollNote[]>([]);
  // Main and renderer clocks have different origins: the smallest arrival delay seen maps one onto the other.
  const clockOffset = useRef<number | null>(null);
  const [now, setNow] = useState(() => performance.now());
  const running = status === 'starting' || status === 'running' || status === 'stopping';

  useEffect(() => {
    if (status !== 'starting') return;
    notes.current = [];
    clockOffset.current = null;
  }, [status]);

  useEffect(() => {
    return api.on('practice.feedback', (fb: FeedbackEvent) => {
      const st = usePractice.getState();
      if (st.sessionId !== fb.sessionId && !(st.sessionId === null && st.status === 'starting')) return;
      if (fb.verdict === 'missed' || fb.correction) return; // a correction is no new key press
      const arrival = performance.now();
      const offset = arrival - fb.stamps.receivedMs;
      if (clockOffset.current === null || offset < clockOffset.current) clockOffset.current = offset;
      notes.current.push({ pitch: fb.pitch, timeMs: fb.stamps.receivedMs + clockOffset.current, verdict: fb.verdict });
      // Older notes can never scroll back in.
      const cutoff = arrival - WINDOW_MS;
      if ((notes.current[0]?.timeMs ?? cutoff) < cutoff - 1000) notes.current = notes.current.filter((n) => n.timeMs >= cutoff);
    });
  }, []);

  // Scrolls only while a take runs; afterwards the last 8 s stay still.
  useEffect(() => {
    if (!running) return;
    let frame = requestAnimationFrame(function tick() {
      setNow(performance.now());
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [running]);

  if (status === 'idle') return null;
  const shown = visibleNotes(notes.current, now, WINDOW_MS);
  const range = pitchRange(shown);
  const gridLines: number[] = [];
  for (let p = Math.ceil(range.low / 12) * 12; p <= range.high; p += 12) gridLines.push(p);
  return (
    <figure className="live-roll-figure">
      <svg className="live-roll" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height={HEIGHT} preserveAspectRatio="none" role="img" aria-label={`Detected notes, last ${WINDOW_MS / 1000} seconds`} data-testid="live-roll">
        {gridLines.map((p) => {
          const y = noteBox({ pitch: p, timeMs: now, verdict: 'correct' }, now, WINDOW_MS, range, WIDTH, HEIGHT).y;
          return <line key={p} className="roll-grid" x1={0} x2={WIDTH} y1={y} y2={y} />;
        })}
        {shown.map((n, i) => {
          const box = noteBox(n, now, WINDOW_MS, range, WIDTH, HEIGHT);
          return <rect key={`${n.timeMs}-${n.pitch}-${i}`} className={`roll-note roll-${n.verdict}`} x={box.x} y={box.y} width={box.width} height={box.height} data-pitch={n.pitch} />;
        })}
      </svg>
      <figcaption className="muted">
        Detected notes, last {WINDOW_MS / 1000} s ({shown.length}) · grid lines mark each C
      </figcaption>
    </figure>
  );
}
