import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { WireInvoke } from '../../shared/wire';
import { ClientError } from './clientError';
import type { ConnectionState, SocketLike } from './wsBridge';
import { WsBridge } from './wsBridge';

const factory = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;

/** A real WebSocket server speaking the wire format: echoes app.info, fails library.getScore. */
async function startServer(): Promise<{ server: WebSocketServer; url: string; received: WireInvoke[] }> {
  const received: WireInvoke[] = [];
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as WireInvoke;
      received.push(msg);
      if (msg.method === 'app.info') {
        socket.send(JSON.stringify({ type: 'event', event: 'practice.metronome', payload: { sessionId: 's', beat: 1, accent: true } }));
        socket.send(JSON.stringify({ type: 'result', id: msg.id, ok: true, value: { version: '1', mode: 'serve', dataDir: '/d' } }));
      } else {
        socket.send(JSON.stringify({ type: 'result', id: msg.id, ok: false, error: { code: 'NOT_FOUND', message: 'No piece 7' } }));
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}/ws?token=t`, received };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('WsBridge against a real ws server', () => {
  it('matches results to calls by id and delivers push events', async () => {
    const { server, url, received } = await startServer();
    const bridge = new WsBridge(url, factory);
    cleanups.push(() => bridge.dispose(), () => server.close());
    const beats: number[] = [];
    bridge.on('practice.metronome', (m) => beats.push(m.beat));
    // Both calls are queued before the socket opens and still resolve in order.
    const [a, b] = await Promise.all([bridge.invoke('app.info', {}), bridge.invoke('app.info', {})]);
    expect(a.mode).toBe('serve');
    expect(b.dataDir).toBe('/d');
    expect(new Set(received.map((r) => r.id)).size).toBe(2);
    expect(beats).toEqual([1, 1]);
    expect(bridge.state).toBe('open');
  });

  it('rejects with the server error as data: code and message', async () => {
    const { server, url } = await startServer();
    const bridge = new WsBridge(url, factory);
    cleanups.push(() => bridge.dispose(), () => server.close());
    const error = await bridge.invoke('library.getScore', { pieceId: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No piece 7' });
  });

  it('fails calls in flight when the link drops, then reconnects by itself', async () => {
    const received: WireInvoke[] = [];
    let server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as AddressInfo;
    // The first server never answers and then goes away.
    server.on('connection', (socket) => socket.on('message', () => socket.terminate()));
    const states: ConnectionState[] = [];
    const bridge = new WsBridge(`ws://127.0.0.1:${port}/ws`, factory, { initialBackoffMs: 20, maxBackoffMs: 100 });
    bridge.onStateChange((s) => states.push(s));
    cleanups.push(() => bridge.dispose());
    const lost = await bridge.invoke('app.info', {}).catch((e: unknown) => e);
    expect(lost).toMatchObject({ code: 'INTERNAL' });
    expect((lost as Error).message).toMatch(/lost/);
    await new Promise<void>((r) => server.close(() => r()));

    // A new server on the same port: the bridge finds it and the next call works.
    server = new WebSocketServer({ port, host: '127.0.0.1' });
    cleanups.push(() => server.close());
    server.on('connection', (socket) =>
      socket.on('message', (data) => {
        const msg = JSON.parse(String(data)) as WireInvoke;
        received.push(msg);
        socket.send(JSON.stringify({ type: 'result', id: msg.id, ok: true, value: { version: '2', mode: 'serve', dataDir: '/e' } }));
      }),
    );
    const info = await bridge.invoke('app.info', {});
    expect(info.version).toBe('2');
    expect(states).toContain('reconnecting');
    expect(states[states.length - 1]).toBe('open');
  });

  it('reports a non-JSON message as an error event instead of throwing', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    server.on('connection', (socket) => socket.send('not json'));
    const { port } = server.address() as AddressInfo;
    const bridge = new WsBridge(`ws://127.0.0.1:${port}/ws`, factory);
    cleanups.push(() => bridge.dispose(), () => server.close());
    const error = await new Promise<{ code: string; message: string }>((r) => bridge.on('error', r));
    expect(error.code).toBe('INTERNAL');
  });
});
