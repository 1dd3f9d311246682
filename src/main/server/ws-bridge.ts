/** The WebSocket half of serve mode: invocations in, results and push events out (src/shared/wire.ts). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { WireResult, WireServerMessage } from '../../shared/wire';
import { TOKEN_QUERY_PARAM } from '../../shared/wire';
import { dispatch } from '../dispatch';
import type { Services } from '../services';
import { tokensEqual } from './auth';

/** Same cap as the HTTP API: a 50 MB base64 import fits. */
export const MAX_WS_MESSAGE_BYTES = 52 * 1024 * 1024;
/** A client this far behind on events is too slow to keep; it is dropped rather than buffered forever. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface WsBridge {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  clientCount(): number;
  close(): void;
}

function send(ws: WebSocket, message: WireServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

function errorResult(id: number, message: string): WireResult {
  return { type: 'result', id, ok: false, error: { code: 'INVALID_ARGUMENT', message } };
}

async function onMessage(services: Services, ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
  if (isBinary) {
    send(ws, errorResult(-1, 'Binary messages are not supported; send JSON text.'));
    return;
  }
  let message: unknown;
  try {
    message = JSON.parse(data.toString());
  } catch (err) {
    send(ws, errorResult(-1, `Message is not valid JSON: ${(err as Error).message}`));
    return;
  }
  const m = message as { type?: unknown; id?: unknown; method?: unknown; args?: unknown } | null;
  const id = typeof m?.id === 'number' && Number.isFinite(m.id) ? m.id : -1;
  if (!m || typeof m !== 'object' || m.type !== 'invoke' || id === -1 || typeof m.method !== 'string') {
    send(ws, errorResult(id, 'Expected {"type":"invoke","id":<number>,"method":<string>,"args":{...}}.'));
    return;
  }
  const result = await dispatch(services, m.method, m.args);
  send(ws, result.ok ? { type: 'result', id, ok: true, value: result.value } : { type: 'result', id, ok: false, error: result.error });
}

export function createWsBridge(services: Services, token: string): WsBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  const unsubscribe = services.events.onAny((event, payload) => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify({ type: 'event', event, payload } satisfies WireServerMessage);
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.terminate();
        continue;
      }
      client.send(text);
    }
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => void onMessage(services, ws, data, isBinary));
    ws.on('error', () => ws.terminate());
  });
  return {
    handleUpgrade(req, socket, head, url) {
      if (!tokensEqual(url.searchParams.get(TOKEN_QUERY_PARAM), token)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nMissing or wrong token');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clientCount: () => wss.clients.size,
    close() {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
