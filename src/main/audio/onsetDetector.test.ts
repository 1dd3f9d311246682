import { describe, expect, it } from 'vitest';
import { RiseOnsetDetector, ThresholdOnsetDetector } from './onsetDetector';

describe('ThresholdOnsetDetector', () => {
  it('finds each click after silence, at the exact frame, across block boundaries', () => {
    const rate = 48_000;
    const signal = new Float32Array(rate);
    const clicks = [1000, 9_999, 30_001];
    for (const at of clicks) for (let i = 0; i < 48; i++) signal[at + i] = 0.8 * Math.exp(-i / 10);
    const detector = new ThresholdOnsetDetector({ threshold: 0.3, quietMs: 20, sampleRate: rate });
    const found: number[] = [];
    for (let start = 0; start < signal.length; start += 256) {
      detector.push(signal.subarray(start, start + 256), start, (f) => found.push(f));
    }
    expect(found).toEqual(clicks);
  });

  it('does not re-trigger inside a ringing tone until it has been quiet long enough', () => {
    const rate = 8000;
    const tone = Float32Array.from({ length: 4000 }, (_, i) => (i < 2000 ? 0.5 * Math.sin(i / 3) : 0));
    tone[2100] = 0.9; // a second hit only 12.5 ms after the tone stopped: still inside quietMs
    tone[3900] = 0.9; // after 225 ms of quiet: a new onset
    const detector = new ThresholdOnsetDetector({ threshold: 0.3, quietMs: 50, sampleRate: rate });
    const found: number[] = [];
    detector.push(tone, 0, (f) => found.push(f));
    expect(found[0]).toBeLessThan(10);
    expect(found.slice(1)).toEqual([3900]);
  });

  it('rejects a zero threshold', () => {
    expect(() => new ThresholdOnsetDetector({ threshold: 0, quietMs: 10, sampleRate: 48_000 })).toThrow(RangeError);
  });
});

describe('RiseOnsetDetector', () => {
  it('counts overlapping decaying tones that never fall silent, each within one window of its start', () => {
    const rate = 16_000;
    const signal = new Float32Array(rate * 2);
    const starts = [1600, 6400, 11_200, 16_000, 20_800];
    // Each tone decays slowly (tau 0.2 s) and the next starts while it still rings.
    starts.forEach((at, n) => {
      for (let i = 0; at + i < signal.length; i++) signal[at + i] = (signal[at + i] as number) + 0.5 * Math.exp(-i / (0.2 * rate)) * Math.sin(i / (3 + n));
    });
    const detector = new RiseOnsetDetector({ sampleRate: rate, windowMs: 5 });
    const found: number[] = [];
    for (let s = 0; s < signal.length; s += 128) detector.push(signal.subarray(s, s + 128), s, (f) => found.push(f));
    expect(found.length).toBe(starts.length);
    found.forEach((f, i) => expect(Math.abs(f - (starts[i] as number))).toBeLessThanOrEqual(80));
  });

  it('ignores sound below minDbfs and a steady tone', () => {
    const rate = 16_000;
    const quiet = Float32Array.from({ length: rate }, (_, i) => (i > 4000 ? 0.001 * Math.sin(i / 4) : 0));
    const detector = new RiseOnsetDetector({ sampleRate: rate, minDbfs: -50 });
    const found: number[] = [];
    detector.push(quiet, 0, (f) => found.push(f));
    expect(found).toEqual([]);
  });
});
