import { useEffect, useState } from 'react';
import type { AttemptRecordingInfo } from '../../../shared/live';
import { TOKEN_QUERY_PARAM } from '../../../shared/wire';
import { api } from '../../api/bridge';
import { base64ToBytes } from '../lessons/download';

/** Serve mode streams the WAV over HTTP (seekable by ranges); Electron gets the bytes over IPC. */
async function recordingUrl(info: AttemptRecordingInfo & { path: string }): Promise<{ url: string; revoke: () => void }> {
  const token = new URL(window.location.href).searchParams.get(TOKEN_QUERY_PARAM);
  if (api.kind === 'websocket' && token) return { url: `${info.path}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`, revoke: () => undefined };
  const file = await api.invoke('audio.attemptRecordingFile', { attemptId: info.attemptId });
  const url = URL.createObjectURL(new Blob([base64ToBytes(file.dataBase64)], { type: file.mimeType }));
  return { url, revoke: () => URL.revokeObjectURL(url) };
}

/** The recording of a microphone take (nothing for MIDI takes). */
export function AttemptRecordingPlayer({ attemptId }: { attemptId: number }) {
  const [info, setInfo] = useState<AttemptRecordingInfo | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    let revoke = () => {};
    setUrl(null);
    api
      .invoke('audio.attemptRecording', { attemptId })
      .then(async (r) => {
        if (cancelled) return;
        setInfo(r);
        if (!r.available || !r.path) return;
        const source = await recordingUrl({ ...r, path: r.path });
        if (cancelled) source.revoke();
        else {
          revoke = source.revoke;
          setUrl(source.url);
        }
      })
      .catch(() => !cancelled && setInfo(null));
    return () => {
      cancelled = true;
      revoke();
    };
  }, [attemptId]);

  if (!info) return null;
  if (!info.available || !info.path) {
    // MIDI takes have no recording: say nothing. A missing file is worth a word.
    return info.sampleRate > 0 ? <p className="muted">{info.message}</p> : null;
  }
  if (!url) return null;
  return (
    <figure className="live-roll-figure" data-testid="attempt-recording">
      <audio controls preload="metadata" src={url} />
      <figcaption className="muted">Recording of this take · {info.durationSec.toFixed(1)} s</figcaption>
    </figure>
  );
}
