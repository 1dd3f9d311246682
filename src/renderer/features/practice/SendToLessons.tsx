import { useEffect, useState } from 'react';
import type { LessonRecord } from '../../../shared/lessons';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { useRoute } from '../../app/routeStore';

/**
 * "Send to lessons" under a result: the take's microphone recording becomes an audio lesson for
 * this student and score (transcribed in the background, then reviewed like any imported lesson).
 * Absent for MIDI takes: an attempt keeps its verdicts, not the notes played, so there is nothing
 * to build a lesson from.
 */
export function SendToLessons({ attemptId }: { attemptId: number }) {
  const navigate = useRoute((s) => s.navigate);
  const [hasRecording, setHasRecording] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<LessonRecord | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setHasRecording(false);
    setSent(null);
    setError(null);
    api
      .invoke('audio.attemptRecording', { attemptId })
      .then((r) => !cancelled && setHasRecording(r.available))
      .catch(() => !cancelled && setHasRecording(false));
    return () => {
      cancelled = true;
    };
  }, [attemptId]);

  if (!hasRecording) return null;

  async function send() {
    setBusy(true);
    setError(null);
    try {
      setSent(await api.invoke('lessons.fromAttempt', { attemptId }));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="actions" data-testid="send-to-lessons">
      {!sent && (
        <button type="button" disabled={busy} onClick={() => void send()}>
          {busy ? 'Sending…' : 'Send to lessons'}
        </button>
      )}
      {sent && (
        <span role="status">
          Sent as lesson “{sent.title}” (transcribing in the background).{' '}
          <button type="button" className="link-button" onClick={() => navigate({ name: 'lessons', lessonId: null })}>
            Open Lessons
          </button>
        </span>
      )}
      {error && (
        <span className="muted" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
