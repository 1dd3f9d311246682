/**
 * Serve mode: `GET /media/attempt-recording/<attemptId>.wav?token=T` streams an attempt's microphone
 * recording with HTTP range support, so an <audio> element can seek without downloading the take.
 * The token travels in the query because a media element cannot send an Authorization header.
 * Same rules as the lessons' media endpoint (src/main/services/lessons-media.ts).
 */
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from 'better-sqlite3';
import { TOKEN_QUERY_PARAM } from '../../shared/wire';
import { tokensEqual } from '../server/auth';
// The lessons' media endpoint's range responder (same rules for every served recording).
import { sendFileRange } from '../services/lessons-media';
import { findRecording } from './recordings-store';

export const RECORDING_HTTP_PREFIX = '/media/attempt-recording/';

export function recordingHttpPath(attemptId: number): string {
  return `${RECORDING_HTTP_PREFIX}${attemptId}.wav`;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
}

export async function serveAttemptRecording(db: Database, dataDir: string, token: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    plain(res, 405, 'Method not allowed');
    return;
  }
  if (!tokensEqual(url.searchParams.get(TOKEN_QUERY_PARAM), token)) {
    plain(res, 401, 'Missing or wrong token.');
    return;
  }
  const match = /^(\d{1,12})\.wav$/.exec(url.pathname.slice(RECORDING_HTTP_PREFIX.length));
  const recording = match ? findRecording(db, dataDir, Number(match[1])) : null;
  const info = recording ? await stat(recording.path).catch(() => null) : null;
  if (!recording || !info?.isFile()) {
    plain(res, 404, 'No recording for this attempt.');
    return;
  }
  sendFileRange(req, res, { path: recording.path, size: info.size, mimeType: 'audio/wav' });
}
