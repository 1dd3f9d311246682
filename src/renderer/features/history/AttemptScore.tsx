import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { NoteVerdict } from '../../../shared/evaluation';
import type { Score } from '../../../shared/score';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import type { LiveScore } from '../../score/liveScore';
import { ScorePane } from '../practice/ScorePane';

/** The piece as it was graded in one attempt: every note coloured by its saved verdict. */
export function AttemptScore({ pieceId, verdicts, liveRef: sharedRef }: { pieceId: number; verdicts: NoteVerdict[]; liveRef?: RefObject<LiveScore | null> }) {
  const [score, setScore] = useState<Score | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ownRef = useRef<LiveScore | null>(null);
  // A caller that moves a cursor (lesson playback) passes its own ref.
  const liveRef = sharedRef ?? ownRef;

  useEffect(() => {
    let live = true;
    api
      .invoke('library.getScore', { pieceId })
      .then((r) => live && setScore(r.score))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [pieceId]);

  // ScorePane (a child) has created its LiveScore by now; marks set before drawing are painted by it.
  useEffect(() => {
    const target = liveRef.current;
    if (!target || !score) return;
    for (const v of verdicts) {
      if (v.scoreNoteId && v.verdict !== 'extra') {
        target.markNote(v.scoreNoteId, { verdict: v.verdict, timingErrorMs: v.timingErrorMs, playedPitch: v.playedPitch ?? null });
      }
    }
  }, [score, verdicts, liveRef]);

  if (error) return <p className="banner banner-error">The score could not be loaded: {error}</p>;
  if (!score) return <p className="muted">Loading the score…</p>;
  return (
    <div className="score-viewport attempt-score">
      <ScorePane score={score} zoom={0.9} hands="both" loop={null} liveRef={liveRef} />
    </div>
  );
}
