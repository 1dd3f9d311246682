import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { resample, StreamingResampler } from './resampler';
import { measureSine, sine, TEST_RATE_PAIRS } from './signal-test-utils';

describe('StreamingResampler', () => {
  for (const [from, to] of TEST_RATE_PAIRS) {
    it(`keeps a 440 Hz sine's frequency and amplitude from ${from} to ${to} Hz`, () => {
      const out = resample(sine(440, from, 1, 0.5), from, to);
      expect(out.length).toBe(Math.ceil((from * to) / from));
      const { frequencyHz, amplitude } = measureSine(out, to, 0.1, 0.9);
      expect(frequencyHz).toBeCloseTo(440, 2);
      expect(amplitude).toBeCloseTo(0.5, 3);
    });
  }

  it('keeps a 3 kHz tone near the passband edge and removes a 10 kHz tone that would alias', () => {
    const pass = measureSine(resample(sine(3000, 44100, 0.5, 0.5), 44100, 16000), 16000, 0.1, 0.4);
    expect(pass.frequencyHz).toBeCloseTo(3000, 0);
    expect(pass.amplitude).toBeCloseTo(0.5, 2);
    const aliased = resample(sine(10000, 44100, 0.5, 0.5), 44100, 16000);
    const rms = Math.sqrt(aliased.subarray(800, 7200).reduce((s, x) => s + x * x, 0) / 6400);
    expect(20 * Math.log10(rms / (0.5 / Math.SQRT2))).toBeLessThan(-60);
  });

  it('gives the same output however the input is chunked', () => {
    const input = sine(523.25, 44100, 0.3, 0.7);
    const whole = resample(input, 44100, 16000);
    const streaming = new StreamingResampler(44100, 16000);
    const parts: Float32Array[] = [];
    let pos = 0;
    for (const size of [1, 7, 300, 4096, 2, 10000]) {
      parts.push(streaming.process(input.subarray(pos, pos + size)));
      pos += size;
    }
    parts.push(streaming.process(input.subarray(pos)), streaming.flush());
    const joined = Float32Array.from(parts.flatMap((p) => [...p]));
    expect(joined.length).toBe(whole.length);
    expect(joined).toEqual(whole);
  });

  it('rejects bad rates and use after flush', () => {
    expect(() => new StreamingResampler(0, 16000)).toThrow(AppError);
    expect(() => new StreamingResampler(44100.5, 16000)).toThrow(/integers/);
    const r = new StreamingResampler(8000, 16000);
    r.flush();
    expect(() => r.process(new Float32Array(4))).toThrow(AppError);
  });
});
