import { useEffect, useState } from 'react';
import type { AttemptRecordingInfo } from '../../../shared/live';
import { TOKEN_QUERY_PARAM } from '../../../shared/wire';
import { api } from '../../api/bridge';

/** The recording of a microphone take, played from the serve-mode server (nothing for MIDI takes). */
export function AttemptRecordingPlayer({ attemptId }: { attemptId: number }) {
  const [info, setInfo] = useState<AttemptRecordingInfo | null>(null);
  useEffect(() => {
    let cancelled = false;
    api.invoke('audio.attemptRecording', { attemptId }).then(
      (r) => !cancelled && setInfo(r),
      () => !cancelled && setInfo(null),
    );
    return () => {
      cancelled = true;
    };
  }, [attemptId]);

  if (!info) return null;
  if (!info.available || !info.path) {
    // MIDI takes have no recording: say nothing. A missing file is worth a word.
    return info.sampleRate > 0 ? <p className="muted">{info.message}</p> : null;
  }
  const token = new URL(window.location.href).searchParams.get(TOKEN_QUERY_PARAM) ?? '';
  return (
    <figure className="live-roll-figure" data-testid="attempt-recording">
      <audio controls preload="metadata" src={`${info.path}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`} />
      <figcaption className="muted">Recording of this take · {info.durationSec.toFixed(1)} s</figcaption>
    </figure>
  );
}
