/**
 * A lesson's recording over the serve-mode HTTP server (what the review's <audio> element plays):
 * token required, whole file or byte ranges (206 with Content-Range, 416 past the end), HEAD,
 * MIDI lessons have none; and the same bytes through `lessons.recording` for Electron.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src/shared/api';
import type { ExportedFile, LessonRecord } from '../../src/shared/lessons';
import { LESSON_MEDIA_PREFIX } from '../../src/shared/wire';
import { encodeWav } from '../../src/main/audio/decode';
import { dispatch } from '../../src/main/dispatch';
import { startServer } from '../../src/main/server';
import type { RunningServer } from '../../src/main/server';
import { performanceMidi, tempDir } from './helpers';

const dir = tempDir('lessons-media');
let server: RunningServer;
let recording: Buffer;
let audioLesson: LessonRecord;
let midiLesson: LessonRecord;

async function call<T>(method: string, args: unknown): Promise<T> {
  const result = await dispatch(server.services, method, args);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Two seconds of a decaying A4: a small but real WAV. */
function toneWav(): Buffer {
  const rate = 16000;
  const samples = new Float32Array(rate * 2);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate) * Math.exp((-2 * i) / rate);
  return Buffer.from(encodeWav([samples], rate));
}

beforeAll(async () => {
  const rendererDir = join(dir.path, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Seminote</title>');
  server = await startServer({ port: 0, dataDir: join(dir.path, 'data'), rendererDir, token: 'media-test-token' });
  const profile = await call<Profile>('profiles.create', { name: 'Ada' });
  recording = toneWav();
  audioLesson = await call<LessonRecord>('lessons.import', { profileId: profile.id, fileName: 'take.wav', dataBase64: recording.toString('base64') });
  const midi = performanceMidi([{ pitch: 60, onsetSec: 0.1, offsetSec: 0.5, velocity: 70 }]);
  midiLesson = await call<LessonRecord>('lessons.import', { profileId: profile.id, fileName: 'take.mid', dataBase64: Buffer.from(midi).toString('base64') });
});

afterAll(async () => {
  await server?.close();
  dir.remove();
});

const mediaUrl = (lessonId: number | string, token: string | null = server.token) =>
  `http://127.0.0.1:${server.port}${LESSON_MEDIA_PREFIX}${lessonId}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;

describe('lesson recordings over HTTP', () => {
  it('needs the token', async () => {
    expect((await fetch(mediaUrl(audioLesson.id, null))).status).toBe(401);
    expect((await fetch(mediaUrl(audioLesson.id, 'wrong-token-123'))).status).toBe(401);
    const bearer = await fetch(mediaUrl(audioLesson.id, null), { headers: { Authorization: `Bearer ${server.token}` } });
    expect(bearer.status).toBe(200);
  });

  it('serves the whole recording with its type and says ranges are accepted', async () => {
    const res = await fetch(mediaUrl(audioLesson.id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(res.headers.get('content-length'))).toBe(recording.length);
    expect(Buffer.from(await res.arrayBuffer()).equals(recording)).toBe(true);
  });

  it('answers byte ranges with 206 and the exact slice', async () => {
    const mid = await fetch(mediaUrl(audioLesson.id), { headers: { Range: 'bytes=1000-1999' } });
    expect(mid.status).toBe(206);
    expect(mid.headers.get('content-range')).toBe(`bytes 1000-1999/${recording.length}`);
    expect(Buffer.from(await mid.arrayBuffer()).equals(recording.subarray(1000, 2000))).toBe(true);

    const open = await fetch(mediaUrl(audioLesson.id), { headers: { Range: 'bytes=60000-' } });
    expect(open.status).toBe(206);
    expect(Buffer.from(await open.arrayBuffer()).equals(recording.subarray(60000))).toBe(true);

    const suffix = await fetch(mediaUrl(audioLesson.id), { headers: { Range: 'bytes=-100' } });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe(`bytes ${recording.length - 100}-${recording.length - 1}/${recording.length}`);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(recording.subarray(recording.length - 100))).toBe(true);

    const past = await fetch(mediaUrl(audioLesson.id), { headers: { Range: `bytes=${recording.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${recording.length}`);
  });

  it('answers HEAD without a body, refuses other methods', async () => {
    const head = await fetch(mediaUrl(audioLesson.id), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(recording.length);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(mediaUrl(audioLesson.id), { method: 'DELETE' })).status).toBe(405);
  });

  it('has nothing for MIDI lessons, unknown lessons or odd ids', async () => {
    const midi = await fetch(mediaUrl(midiLesson.id));
    expect(midi.status).toBe(409);
    expect(await midi.text()).toContain('MIDI');
    expect((await fetch(mediaUrl(987654))).status).toBe(404);
    expect((await fetch(mediaUrl('..%2F..%2Fseminote.db'))).status).toBe(404);
    expect((await fetch(mediaUrl('0'))).status).toBe(404);
  });

  it('lessons.recording returns the same bytes (Electron has no HTTP server)', async () => {
    const file = await call<ExportedFile>('lessons.recording', { lessonId: audioLesson.id });
    expect(file).toMatchObject({ fileName: 'take.wav', mimeType: 'audio/wav' });
    expect(Buffer.from(file.dataBase64, 'base64').equals(recording)).toBe(true);
    const midi = await dispatch(server.services, 'lessons.recording', { lessonId: midiLesson.id });
    expect(midi.ok ? null : midi.error.code).toBe('CONFLICT');
  });
});
