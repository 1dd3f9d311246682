import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../audio/decode/decode-audio';
import { sine } from '../audio/decode/signal-test-utils';
import { encodeWav } from '../audio/decode/wav';
import type { DecodeStreamStats } from './decode-thread';
import { DecodeThread } from './decode-thread';

const dir = mkdtempSync(join(tmpdir(), 'seminote-decode-thread-'));
const wav = join(dir, 'tone-44k1-stereo.wav');
let thread: DecodeThread;

beforeAll(() => {
  // 3.3 s of 44.1 kHz stereo: several 1 s chunks at 16 kHz and a shorter last one.
  writeFileSync(wav, encodeWav([sine(440, 44100, 3.3, 0.5), sine(660, 44100, 3.3, 0.3)], 44100));
  thread = DecodeThread.start();
});
afterAll(async () => {
  await thread.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(stream: AsyncIterable<Float32Array>): Promise<Float32Array[]> {
  const chunks: Float32Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('DecodeThread', () => {
  it('hands over the same samples as decoding on this thread, in chunks of the asked size', async () => {
    const stats: Partial<DecodeStreamStats> = {};
    const progress: number[] = [];
    const chunks = await collect(thread.stream(wav, { targetSampleRate: 16000, chunkSamples: 16000, window: 2, onProgress: (f) => progress.push(f) }, stats));
    // The thread resamples through onnxruntime (fastResampler): the same code path here.
    const expected = (await decodeAudioFile(wav, { targetSampleRate: 16000, fastResampler: true })).samples;
    expect(chunks.slice(0, -1).every((c) => c.length === 16000)).toBe(true);
    expect(chunks.at(-1)?.length).toBe(expected.length - 16000 * (chunks.length - 1));
    const joined = new Float32Array(expected.length);
    chunks.reduce((offset, c) => (joined.set(c, offset), offset + c.length), 0);
    expect(joined.every((x, i) => x === expected[i])).toBe(true);
    expect(stats).toMatchObject({ container: 'wav', sourceSampleRate: 44100 });
    expect(stats.busyMs).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
  });

  it('stops on cancellation and reports a missing file as NOT_FOUND, then serves the next file', async () => {
    const controller = new AbortController();
    const cancelled = collect(thread.stream(wav, { targetSampleRate: 16000, chunkSamples: 1600, window: 1, signal: controller.signal, onProgress: () => controller.abort() }));
    await expect(cancelled).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(collect(thread.stream(join(dir, 'missing.wav'), { targetSampleRate: 16000, chunkSamples: 1600 }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const again = await collect(thread.stream(wav, { targetSampleRate: 16000, chunkSamples: 48000 }));
    expect(again.reduce((n, c) => n + c.length, 0)).toBe(Math.ceil(3.3 * 16000));
  });

  it('refuses work once disposed', async () => {
    const own = DecodeThread.start();
    expect(own.usable).toBe(true);
    await own.dispose();
    expect(own.usable).toBe(false);
    await expect(collect(own.stream(wav, { targetSampleRate: 16000, chunkSamples: 1600 }))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
