/** Typed push-event bus: services emit, transports (Electron IPC, WebSocket) forward to clients. */
import type { PushEventName, PushEvents } from '../../shared/api';

type Listener<E extends PushEventName> = (payload: PushEvents[E]) => void;
export type AnyEventListener = (event: PushEventName, payload: PushEvents[PushEventName]) => void;

export class ServiceEvents {
  private readonly listeners = new Map<PushEventName, Set<(payload: never) => void>>();
  private readonly anyListeners = new Set<AnyEventListener>();

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends PushEventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Subscribes to every event (what a transport does). */
  onAny(listener: AnyEventListener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  /** A listener that throws is reported on stderr and does not stop the others. */
  emit<E extends PushEventName>(event: E, payload: PushEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<E>)(payload);
      } catch (err) {
        console.error(`seminote: listener for ${event} failed:`, err);
      }
    }
    for (const listener of this.anyListeners) {
      try {
        listener(event, payload);
      } catch (err) {
        console.error(`seminote: listener for ${event} failed:`, err);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
    this.anyListeners.clear();
  }
}
