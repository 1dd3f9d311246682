/**
 * Wire format of the serve-mode WebSocket bridge (ws://127.0.0.1:PORT/ws?token=TOKEN).
 * The page is served at http://127.0.0.1:PORT/?token=TOKEN; the renderer takes the token from
 * the URL. Same dispatch as Electron IPC: method names and args come from api.ts.
 */
import type { AppErrorShape } from './errors';

export interface WireInvoke {
  type: 'invoke';
  /** Client-chosen request id, echoed in the result. */
  id: number;
  method: string;
  args: unknown;
}

export type WireResult =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: AppErrorShape };

export interface WireEvent {
  type: 'event';
  event: string;
  payload: unknown;
}

export type WireServerMessage = WireResult | WireEvent;

export const WS_PATH = '/ws';
export const TOKEN_QUERY_PARAM = 'token';
/** HTTP API: POST /api/<method> with JSON args and `Authorization: Bearer <token>`. */
export const HTTP_API_PREFIX = '/api/';
/** Serve mode: GET /media/lessons/<lessonId>?token=T streams a lesson's recording (byte ranges, for <audio>). */
export const LESSON_MEDIA_PREFIX = '/media/lessons/';
