import { useEffect, useRef, useState } from 'react';
import type { FeedbackEvent } from '../../../shared/practice';
import { api } from '../../api/bridge';
import { ErrorBanner } from '../../app/ErrorBanner';
import { LivePianoRoll } from '../live/LivePianoRoll';
import { useRoute } from '../../app/routeStore';
import type { LiveScore } from '../../score/liveScore';
import { cursorAfter } from './cursorPolicy';
import { feedbackHandlingTimes } from './handlingTimes';
import { Metronome } from './metronome';
import { PracticeControls } from './PracticeControls';
import type { LiveCounts } from './practiceStore';
import { EMPTY_COUNTS, usePractice } from './practiceStore';
import { ResultPanel } from './ResultPanel';
import { ScorePane } from './ScorePane';

const ZOOMS = [0.6, 0.75, 0.9, 1, 1.15, 1.3, 1.5];

export function PracticeView({ pieceId, profileId }: { pieceId: number | null; profileId: number }) {
  const s = usePractice();
  const { loadPiece, loadDevices, finish, setLive, setBeat } = s;
  const navigate = useRoute((r) => r.navigate);
  const liveRef = useRef<LiveScore | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const metronome = useRef(new Metronome());
  const counts = useRef<LiveCounts>({ ...EMPTY_COUNTS });
  const flushScheduled = useRef(false);
  const lastCursorTop = useRef<number | null>(null);
  const lastFeedbackAt = useRef(0);
  const cursorBeats = useRef<number | null>(null);
  const [zoomIndex, setZoomIndex] = useState(3);

  useEffect(() => {
    if (pieceId) void loadPiece(pieceId);
  }, [pieceId, loadPiece]);
  useEffect(() => {
    void loadDevices();
    return api.on('midi.devicesChanged', () => void loadDevices());
  }, [loadDevices]);
  useEffect(() => {
    const clicker = metronome.current;
    return () => {
      clicker.dispose();
      // Leaving the page ends a take in progress: nobody would see its feedback.
      const { status, stop } = usePractice.getState();
      if (status === 'running' || status === 'starting') void stop();
    };
  }, []);

  // Live events go straight to the SVG (one note recoloured per event); React state only gets
  // the counts, batched to one update per animation frame.
  useEffect(() => {
    const mine = (sessionId: string): boolean => {
      const st = usePractice.getState();
      // Events can overtake the answer to practice.start; while starting, the session is ours.
      return st.sessionId === sessionId || (st.sessionId === null && st.status === 'starting');
    };
    const flush = (): void => {
      if (flushScheduled.current) return;
      flushScheduled.current = true;
      requestAnimationFrame(() => {
        flushScheduled.current = false;
        setLive({ ...counts.current });
      });
    };
    const moveCursor = (beats: number): void => {
      cursorBeats.current = beats;
      const top = liveRef.current?.setCursor(beats) ?? null;
      if (top !== null && top !== lastCursorTop.current && scrollRef.current) {
        lastCursorTop.current = top;
        scrollRef.current.scrollTo({ top: Math.max(0, top - 20), behavior: 'smooth' });
      }
    };
    const onFeedback = (fb: FeedbackEvent): void => {
      if (!mine(fb.sessionId)) return;
      const t0 = performance.now();
      const live = liveRef.current;
      if (fb.scoreNoteId === null || fb.verdict === 'extra') live?.markExtra(fb.pitch, fb.positionBeats);
      else live?.markNote(fb.scoreNoteId, { verdict: fb.verdict, timingErrorMs: fb.timingErrorMs, playedPitch: fb.verdict === 'wrong' ? fb.pitch : null });
      // A correction re-colours a note already counted (settled verdicts: the saved result recounts).
      if (!fb.correction) counts.current[fb.verdict] += 1;
      lastFeedbackAt.current = t0;
      // Play-through: the cursor sits on the note just judged (where the player is); wait mode:
      // where the follower now waits.
      const played = fb.scoreNoteId !== null && usePractice.getState().options.mode === 'play-through' ? live?.onsetOf(fb.scoreNoteId) : undefined;
      if (played === undefined) moveCursor(fb.positionBeats);
      else moveCursor(cursorAfter(cursorBeats.current, played));
      flush();
      feedbackHandlingTimes.add(performance.now() - t0);
    };
    const offs = [
      api.on('practice.feedback', onFeedback),
      api.on('practice.progress', (p) => {
        if (!mine(p.sessionId)) return;
        // While notes are arriving the cursor follows them; the clock-driven progress only moves it
        // in pauses (a demo replay faster than the clock would otherwise make it jump back and forth).
        if (performance.now() - lastFeedbackAt.current > 500) moveCursor(p.positionBeats);
        liveRef.current?.setWaiting(p.waitingFor);
      }),
      api.on('practice.metronome', (m) => {
        if (!mine(m.sessionId) || !usePractice.getState().options.metronome) return;
        metronome.current.click(m.accent);
        setBeat({ n: m.beat, accent: m.accent });
      }),
      api.on('practice.finished', (f) => {
        if (!mine(f.sessionId)) return;
        liveRef.current?.setWaiting([]);
        // The saved verdicts are authoritative: paint them all (missed notes included).
        for (const v of f.attempt?.verdicts ?? []) {
          if (v.scoreNoteId && v.verdict !== 'extra') {
            liveRef.current?.markNote(v.scoreNoteId, { verdict: v.verdict, timingErrorMs: v.timingErrorMs, playedPitch: v.playedPitch ?? null });
          }
        }
        finish(f.attempt);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [finish, setLive, setBeat]);

  const start = (): void => {
    if (s.options.metronome) metronome.current.prepare();
    counts.current = { ...EMPTY_COUNTS };
    feedbackHandlingTimes.clear();
    lastCursorTop.current = null;
    cursorBeats.current = null;
    liveRef.current?.clearMarks();
    void s.start(profileId);
  };

  if (!pieceId) {
    return (
      <section className="page">
        <h1>Practice</h1>
        <p className="muted">Pick a piece in the library to practise.</p>
        <button type="button" className="primary" onClick={() => navigate({ name: 'library' })}>
          Open the library
        </button>
      </section>
    );
  }
  const zoom = ZOOMS[zoomIndex] ?? 1;
  return (
    <section className="page practice" aria-labelledby="practice-title">
      <header className="page-header">
        <div>
          <h1 id="practice-title">{s.piece?.title ?? 'Loading…'}</h1>
          {s.piece && <p className="muted">{s.piece.composer}</p>}
        </div>
        <div className="actions zoom" role="group" aria-label="Zoom">
          <button type="button" onClick={() => setZoomIndex((z) => Math.max(0, z - 1))} aria-label="Zoom out" disabled={zoomIndex === 0}>
            −
          </button>
          <span>{Math.round(zoom * 100)} %</span>
          <button type="button" onClick={() => setZoomIndex((z) => Math.min(ZOOMS.length - 1, z + 1))} aria-label="Zoom in" disabled={zoomIndex === ZOOMS.length - 1}>
            +
          </button>
          <button type="button" className="link-button" onClick={() => navigate({ name: 'progress', pieceId, attemptId: null })}>
            History
          </button>
        </div>
      </header>
      <ErrorBanner message={s.loadError ?? s.error} onDismiss={s.loadError ? undefined : s.dismissError} />
      {s.score && <PracticeControls measureCount={s.score.measures.length} onStart={start} />}
      <LiveStrip />
      <LivePianoRoll />
      {s.status === 'finished' && s.result && <ResultPanel attempt={s.result} />}
      {s.status === 'finished' && !s.result && <p className="muted">Stopped before any note was played: nothing was saved.</p>}
      <div ref={scrollRef} className="score-viewport">{s.score && <ScorePane score={s.score} zoom={zoom} hands={s.options.hands} loop={s.options.loop} liveRef={liveRef} />}</div>
    </section>
  );
}

function LiveStrip() {
  const live = usePractice((s) => s.live);
  const status = usePractice((s) => s.status);
  const beat = usePractice((s) => s.beat);
  return (
    <div className="live-strip" aria-live="polite" data-testid="live-status">
      <span className="status-pill">{status === 'running' ? 'Listening' : status === 'starting' ? 'Starting…' : status === 'finished' ? 'Finished' : 'Ready'}</span>
      {beat && status === 'running' && (
        <span className={beat.accent ? 'beat accent' : 'beat'} data-testid="beat" aria-hidden="true" title="Metronome beat">
          ♩ {beat.n}
        </span>
      )}
      <span className="count correct">{live.correct} correct</span>
      <span className="count wrong">{live.wrong} wrong</span>
      <span className="count missed">{live.missed} missed</span>
      <span className="count extra">{live.extra} extra</span>
      <span className="legend muted">
        <span className="early">◀</span> early · <span className="late">▶</span> late
      </span>
    </div>
  );
}
