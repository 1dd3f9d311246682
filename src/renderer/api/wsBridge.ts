/**
 * SeminoteBridge over the serve-mode WebSocket (see src/shared/wire.ts): request ids, results
 * matched to their calls, push events fanned out to listeners, reconnection with backoff.
 * The WebSocket constructor is injectable so the unit test can run it in Node against a real
 * `ws` server.
 */
import type { MethodArgs, MethodName, MethodResult, PushEventName, PushEvents, SeminoteBridge } from '../../shared/api';
import type { WireInvoke, WireServerMessage } from '../../shared/wire';
import { ClientError, toClientError } from './clientError';

/** The subset of the browser WebSocket API the bridge uses (the `ws` package matches it). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ClientError) => void;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface WsBridgeOptions {
  /** First reconnect delay; doubles per failure up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A call that gets no answer within this time rejects (0 = never). */
  callTimeoutMs?: number;
}

const OPEN = 1;

export class WsBridge implements SeminoteBridge {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Calls made while disconnected wait here and go out on (re)connect. */
  private readonly outbox: string[] = [];
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private backoffMs: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private currentState: ConnectionState = 'connecting';
  private readonly options: Required<WsBridgeOptions>;

  constructor(
    private readonly url: string,
    private readonly createSocket: SocketFactory,
    options: WsBridgeOptions = {},
  ) {
    this.options = { initialBackoffMs: 250, maxBackoffMs: 5000, callTimeoutMs: 0, ...options };
    this.backoffMs = this.options.initialBackoffMs;
    this.connect();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    if (this.disposed) return Promise.reject(new ClientError('INTERNAL', 'The connection was closed'));
    const id = this.nextId++;
    const message: WireInvoke = { type: 'invoke', id, method, args };
    return new Promise<MethodResult<M>>((resolve, reject) => {
      const timer =
        this.options.callTimeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id);
              reject(new ClientError('INTERNAL', `No answer to ${method} within ${this.options.callTimeoutMs} ms`));
            }, this.options.callTimeoutMs)
          : null;
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.send(JSON.stringify(message));
    });
  }

  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const untyped = listener as (payload: unknown) => void;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  dispose(): void {
    this.disposed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.socket = null;
    this.failPending('The connection was closed');
    this.setState('closed');
  }

  private send(text: string): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(text);
    else this.outbox.push(text);
  }

  private connect(): void {
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.backoffMs = this.options.initialBackoffMs;
      this.setState('open');
      for (const text of this.outbox.splice(0)) socket.send(text);
    };
    socket.onmessage = (ev) => this.handleMessage(ev.data);
    socket.onerror = () => {
      // onclose follows; reconnection is handled there.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // A call in flight when the link dropped may or may not have run; tell the caller rather than resend.
      this.failPending('The connection to Seminote was lost');
      if (!this.disposed) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.setState('reconnecting');
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.disposed) this.connect();
    }, delay);
  }

  private failPending(message: string): void {
    for (const [id, pending] of this.pending) {
      if (pending.timer) clearTimeout(pending.timer);
      pending.reject(new ClientError('INTERNAL', message));
      this.pending.delete(id);
    }
  }

  private handleMessage(data: unknown): void {
    let message: WireServerMessage;
    try {
      message = JSON.parse(typeof data === 'string' ? data : String(data)) as WireServerMessage;
    } catch {
      this.emit('error', { code: 'INTERNAL', message: 'The server sent a message that is not JSON' });
      return;
    }
    if (message.type === 'result') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (pending.timer) clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(toClientError(message.error));
    } else if (message.type === 'event') {
      this.emit(message.event, message.payload);
    }
  }

  private emit(event: string, payload: unknown): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        // One faulty listener must not starve the others of events.
        console.error(`listener for ${event} failed`, error);
      }
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
