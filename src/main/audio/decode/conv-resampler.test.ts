import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConvResampler } from './conv-resampler';
import { decodeAudioFile } from './decode-audio';
import { resample } from './resampler';
import { sine, TEST_RATE_PAIRS } from './signal-test-utils';
import { encodeWav } from './wav';

/** A test signal with content across the band: a chord of sines plus deterministic noise. */
function busySignal(rate: number, seconds: number): Float32Array {
  let seed = 7;
  const out = new Float32Array(Math.round(rate * seconds));
  const tones = [220, 1234, 3000, 7000].map((f) => sine(f, rate, seconds, 0.15));
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out[i] = tones.reduce((sum, t) => sum + (t[i] ?? 0), 0) + (seed / 2147483648 - 0.5) * 0.1;
  }
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

async function convResample(input: Float32Array, from: number, to: number, pieces: number[]): Promise<Float32Array> {
  const conv = await ConvResampler.create(from, to);
  if (!conv) throw new Error('no conv resampler');
  const parts: Float32Array[] = [];
  let pos = 0;
  for (let i = 0; pos < input.length; i++) {
    const size = pieces[i % pieces.length] as number;
    parts.push((await conv.process(input.subarray(pos, pos + size))).slice());
    pos += size;
  }
  parts.push(await conv.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
  return out;
}

describe('ConvResampler (the polyphase filter as one onnxruntime convolution)', () => {
  for (const [from, to] of TEST_RATE_PAIRS) {
    it(`equals the JS polyphase resampler from ${from} to ${to} Hz, however the input is chunked`, async () => {
      const input = busySignal(from, 1.3);
      const expected = resample(input, from, to);
      const out = await convResample(input, from, to, [1, 700, 10000, 3, 65536]);
      expect(out.length).toBe(expected.length);
      expect(maxAbsDiff(out, expected)).toBeLessThan(2e-6);
    });
  }

  it('declines rate pairs whose filter bank would be huge (the JS loop handles them)', async () => {
    expect(await ConvResampler.create(44101, 16000)).toBeNull();
  });

  it('gives decodeAudioFile the same samples with fastResampler', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seminote-conv-'));
    const path = join(dir, 'busy.wav');
    try {
      writeFileSync(path, encodeWav([busySignal(44100, 2.5), busySignal(44100, 2.5).reverse()], 44100, 16));
      const js = await decodeAudioFile(path, { targetSampleRate: 16000, chunkBytes: 40000 });
      const fast = await decodeAudioFile(path, { targetSampleRate: 16000, chunkBytes: 40000, fastResampler: true });
      expect(fast.samples.length).toBe(js.samples.length);
      expect(maxAbsDiff(fast.samples, js.samples)).toBeLessThan(2e-6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
