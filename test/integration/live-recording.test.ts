/**
 * Every microphone take is recorded and linked to its attempt: a practice take through serve mode
 * on the PulseAudio rig (rendered piano played into the null sink), then audio.attemptRecording and
 * the WAV over HTTP with the token and byte ranges, as the History player fetches it. A take that
 * saves no attempt (nothing detected) must leave no file behind.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PieceRecord, Profile } from '../../src/shared/api';
import type { AttemptRecordingInfo, LiveLatencyReport } from '../../src/shared/live';
import { dispatch } from '../../src/main/dispatch';
import { startServer } from '../../src/main/server';
import { RIG_RATE, acquireRigLock, startPulseRig } from '../../src/main/audio/pulseRig';
import { SOUNDFONT, heldNotePhrase, renderPiano } from '../../src/main/live/piano-render';
import { RECORDINGS_DIR } from '../../src/main/live/recordings-store';
import { loadManifest } from '../../src/main/inference/manifest';
import { defaultModelDir } from '../../src/main/cli/transcribe';
import { REPO_ROOT, tempDir } from './helpers';
import { caller, rigTake, sleep } from './live-take';

const missing = [SOUNDFONT, resolve(REPO_ROOT, 'models/transcription')].filter((p) => !existsSync(p));
const rigProblem = missing.length ? `missing ${missing.join(', ')}` : startPulseRig(REPO_ROOT);
if (rigProblem) console.warn(`SKIPPING live recording test: ${rigProblem}`);

const dir = tempDir('live-recording');
afterAll(() => dir.remove());

describe.skipIf(Boolean(rigProblem))('microphone take recordings', () => {
  it('records the take, links it to the attempt and serves it with ranges and the token', { timeout: 180_000 }, async () => {
    const releaseRig = await acquireRigLock();
    startPulseRig(REPO_ROOT);
    const rendererDir = join(dir.path, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Seminote</title>');
    const dataDir = join(dir.path, 'data');
    const server = await startServer({ port: 0, dataDir, rendererDir });
    const services = server.services;
    const call = caller(services);
    try {
      const profile = await call<Profile>('profiles.create', { name: 'Mic' });
      const piece = (await call<PieceRecord[]>('library.list', {}))[0] as PieceRecord;
      const signal = await renderPiano(dir.path, heldNotePhrase(), RIG_RATE);
      const {
        stopped: { attempt },
        takeSec,
      } = await rigTake(services, profile.id, piece.id, signal);
      // The recording is linked once its file is closed, just after the attempt is saved.
      await sleep(500);

      // The live path decodes with the model's own time offset (heads answering late) unless overridden.
      const manifest = await loadManifest(defaultModelDir());
      const latency = await call<LiveLatencyReport>('audio.liveLatency', {});
      expect(latency.modelVersion).toBe(manifest.version);
      // One hop (the step model's frame exists once its hop is captured) plus the heads' lateness.
      expect(latency.modelLookAheadMs).toBeCloseTo((1 / manifest.frameRateHz - manifest.decoding.timeOffsetSec) * 1000, 6);

      const files = readdirSync(join(dataDir, RECORDINGS_DIR));
      if (!attempt) {
        console.log('no attempt saved (nothing detected by this model): the recording must be gone');
        expect(files).toEqual([]);
        return;
      }
      expect(files.length).toBe(1);
      const info = await call<AttemptRecordingInfo>('audio.attemptRecording', { attemptId: attempt.id });
      expect(info.available).toBe(true);
      expect(info.sampleRate).toBe(RIG_RATE);
      // The whole take is on disk (from take start to stop, within the stop's own latency).
      expect(info.durationSec).toBeGreaterThan(takeSec - 0.6);
      expect(info.durationSec).toBeLessThan(takeSec + 1.5);
      const url = `http://127.0.0.1:${server.port}${info.path}`;
      expect((await fetch(url)).status).toBe(401);
      const full = await fetch(`${url}?token=${encodeURIComponent(server.token)}`);
      expect(full.status).toBe(200);
      expect(full.headers.get('content-type')).toBe('audio/wav');
      const bytes = Buffer.from(await full.arrayBuffer());
      expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
      // pcm16 mono: about 2 bytes per frame.
      expect(bytes.length).toBeGreaterThan(info.durationSec * RIG_RATE * 2);
      const part = await fetch(`${url}?token=${encodeURIComponent(server.token)}`, { headers: { Range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
      // The sound is in it: some sample well above silence.
      let peak = 0;
      for (let i = 44; i + 1 < bytes.length; i += 2) peak = Math.max(peak, Math.abs(bytes.readInt16LE(i)));
      expect(peak).toBeGreaterThan(1000);

      // Electron has no HTTP server: the same bytes over IPC.
      const file = await call<{ mimeType: string; dataBase64: string }>('audio.attemptRecordingFile', { attemptId: attempt.id });
      expect(file.mimeType).toBe('audio/wav');
      expect(Buffer.from(file.dataBase64, 'base64').equals(bytes)).toBe(true);
      const missingAttempt = await dispatch(services, 'audio.attemptRecording', { attemptId: attempt.id + 1000 });
      expect(missingAttempt.ok).toBe(false);
    } finally {
      await server.close();
      await sleep(500);
      releaseRig();
    }
  });
});
