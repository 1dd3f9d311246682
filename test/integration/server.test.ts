/** Serve mode over a real socket: static page, HTTP API with token, WebSocket bridge with events. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireServerMessage } from '../../src/shared/wire';
import { startServer } from '../../src/main/server';
import type { RunningServer } from '../../src/main/server';
import { BASIC_MUSICXML, performanceMidi, performanceWithMistakes, tempDir } from './helpers';
import type { Score } from '../../src/shared/score';

let server: RunningServer;
const dir = tempDir('server');
const rendererDir = join(dir.path, 'renderer');

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Seminote</title><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ port: 0, dataDir: join(dir.path, 'data'), rendererDir });
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

const base = () => `http://127.0.0.1:${server.port}`;
const post = (method: string, body: string, token: string | null = server.token) =>
  fetch(`${base()}/api/${method}`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}`, 'content-type': 'application/json' } : {},
    body,
  });

/** A WebSocket client speaking src/shared/wire.ts. */
function connect(token: string): Promise<{ ws: WebSocket; invoke: (method: string, args: unknown) => Promise<WireServerMessage>; events: WireServerMessage[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(token)}`);
    const pending = new Map<number, (m: WireServerMessage) => void>();
    const events: WireServerMessage[] = [];
    let nextId = 1;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as WireServerMessage;
      if (message.type === 'event') events.push(message);
      else pending.get(message.id)?.(message);
    });
    ws.on('open', () =>
      resolve({
        ws,
        events,
        invoke: (method, args) =>
          new Promise((res) => {
            const id = nextId++;
            pending.set(id, res);
            ws.send(JSON.stringify({ type: 'invoke', id, method, args }));
          }),
      }),
    );
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('serve mode', () => {
  it('prints a URL with the token and serves the page, assets and SPA routes with a strict CSP', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('<div id="root">');
    const asset = await fetch(`${base()}/assets/app.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base()}/library/12`)).status).toBe(200);
    expect((await fetch(`${base()}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base()}/..%2f..%2fetc%2fpasswd`)).status).not.toBe(200);
    const health = (await (await fetch(`${base()}/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
  });

  it('HTTP API: token required, invalid JSON and unknown methods give error results', async () => {
    const noToken = await post('profiles.list', '{}', null);
    expect(noToken.status).toBe(401);
    expect((await post('profiles.list', '{}', 'wrong-token-123')).status).toBe(401);
    const created = await post('profiles.create', JSON.stringify({ name: 'Cleo' }));
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ ok: true, value: { name: 'Cleo' } });
    const badJson = await post('profiles.create', '{"name":');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const unknown = await post('no.such', '{}');
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Unknown method "no.such".' } });
    const invalid = await post('attempts.get', JSON.stringify({ attemptId: -4 }));
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('WebSocket: refuses a wrong token, answers invocations and pushes practice events', async () => {
    await expect(connect('not-the-token')).rejects.toThrow('HTTP 401');
    const client = await connect(server.token);
    const bad = new Promise<WireServerMessage>((res) => client.ws.once('message', (d) => res(JSON.parse(d.toString()) as WireServerMessage)));
    client.ws.send('{not json');
    expect(await bad).toMatchObject({ type: 'result', ok: false, error: { code: 'INVALID_ARGUMENT' } });

    const profile = await client.invoke('profiles.create', { name: 'Dora' });
    expect(profile).toMatchObject({ type: 'result', ok: true });
    const profileId = (profile as { value: { id: number } }).value.id;
    const imported = await client.invoke('library.import', {
      fileName: 'basic.musicxml',
      dataBase64: readFileSync(BASIC_MUSICXML).toString('base64'),
    });
    const pieceId = (imported as { value: { id: number } }).value.id;
    const scoreResult = await client.invoke('library.getScore', { pieceId });
    const score = (scoreResult as { value: { score: Score } }).value.score;
    const midi = performanceMidi(performanceWithMistakes(score, { wrong: 2, missed: -1, extraPitch: 0, extraAfter: -1 }));
    const started = await client.invoke('practice.start', {
      profileId,
      pieceId,
      options: { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: true },
      input: { kind: 'replay', midiBase64: Buffer.from(midi).toString('base64'), speed: 10 },
    });
    expect(started).toMatchObject({ type: 'result', ok: true });
    const deadline = Date.now() + 10_000;
    while (!client.events.some((e) => e.type === 'event' && e.event === 'practice.finished') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const names = new Set(client.events.map((e) => (e.type === 'event' ? e.event : '')));
    expect(names).toEqual(new Set(['practice.feedback', 'practice.progress', 'practice.metronome', 'practice.finished']));
    const finished = client.events.find((e) => e.type === 'event' && e.event === 'practice.finished');
    expect(finished).toMatchObject({ payload: { attempt: { summary: { wrong: 1 } } } });
    client.ws.close();
  });
});
