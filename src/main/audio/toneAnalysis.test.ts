import { describe, expect, it } from 'vitest';
import { dominantFrequency } from './toneAnalysis';

describe('dominantFrequency', () => {
  it('finds a tone between FFT bins to well under 1 Hz', () => {
    for (const hz of [27.5, 440, 443.7, 1234.5, 4186]) {
      const rate = 48_000;
      const samples = Float32Array.from({ length: rate }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / rate));
      expect(Math.abs((dominantFrequency(samples, rate) as number) - hz)).toBeLessThan(0.5);
    }
  });

  it('picks the strongest of several partials', () => {
    const rate = 44_100;
    const samples = Float32Array.from(
      { length: 20_000 },
      (_, i) => 0.2 * Math.sin((2 * Math.PI * 220 * i) / rate) + 0.5 * Math.sin((2 * Math.PI * 660 * i) / rate),
    );
    expect(dominantFrequency(samples, rate)).toBeCloseTo(660, 0);
  });

  it('returns null for silence or too little audio', () => {
    expect(dominantFrequency(new Float32Array(4096), 48_000)).toBeNull();
    expect(dominantFrequency(new Float32Array(100).fill(0.5), 48_000)).toBeNull();
  });
});
