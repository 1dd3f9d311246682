/**
 * Picks the transport: Electron's preload object when present, else the serve-mode WebSocket
 * with the token from the page URL. Every call goes through `api` so errors arrive as ClientError.
 */
import type { MethodArgs, MethodName, MethodResult, PushEventName, PushEvents, SeminoteBridge } from '../../shared/api';
import { TOKEN_QUERY_PARAM, WS_PATH } from '../../shared/wire';
import { ClientError, toClientError } from './clientError';
import type { ConnectionState, SocketLike } from './wsBridge';
import { WsBridge } from './wsBridge';

declare global {
  interface Window {
    seminote?: SeminoteBridge;
  }
}

/** ws://host/ws?token=T from the page's http://host/?token=T. */
export function webSocketUrlFor(pageUrl: string): string {
  const url = new URL(pageUrl);
  const token = url.searchParams.get(TOKEN_QUERY_PARAM) ?? '';
  const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${url.host}${WS_PATH}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`;
}

interface Transport {
  bridge: SeminoteBridge;
  kind: 'electron' | 'websocket';
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  state(): ConnectionState;
}

function createTransport(): Transport {
  if (window.seminote) {
    const bridge = window.seminote;
    return { bridge, kind: 'electron', onStateChange: () => () => undefined, state: () => 'open' };
  }
  if (!new URL(window.location.href).searchParams.get(TOKEN_QUERY_PARAM)) {
    // Without the token the server refuses the socket: do not knock on its door in a loop.
    const refused: SeminoteBridge = {
      invoke: () => Promise.reject(new ClientError('UNAUTHORIZED', 'This page address lacks its access token')),
      on: () => () => undefined,
    };
    return { bridge: refused, kind: 'websocket', onStateChange: () => () => undefined, state: () => 'closed' };
  }
  const ws = new WsBridge(webSocketUrlFor(window.location.href), (url) => new WebSocket(url) as unknown as SocketLike);
  return { bridge: ws, kind: 'websocket', onStateChange: (l) => ws.onStateChange(l), state: () => ws.state };
}

const transport = createTransport();

export const api = {
  kind: transport.kind,
  /** Serve mode needs the token from the printed URL; without it every call would be refused. */
  missingToken: transport.kind === 'websocket' && !new URL(window.location.href).searchParams.get(TOKEN_QUERY_PARAM),
  async invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    try {
      return await transport.bridge.invoke(method, args);
    } catch (error) {
      throw toClientError(error);
    }
  },
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
    return transport.bridge.on(event, listener);
  },
  onConnectionState: (listener: (state: ConnectionState) => void) => transport.onStateChange(listener),
  connectionState: () => transport.state(),
};
