import { describe, expect, it } from 'vitest';
import type { LevelReading } from './levelMeter';
import { LevelMeter, SILENCE_DBFS, toDbfs } from './levelMeter';

const RATE = 48_000;

function sine(amplitude: number, frames: number, hz = 440): Float32Array {
  return Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));
}

function feed(meter: LevelMeter, samples: Float32Array, blockFrames = 256): LevelReading[] {
  const readings: LevelReading[] = [];
  for (let start = 0; start < samples.length; start += blockFrames) {
    meter.push(samples.subarray(start, start + blockFrames), (start * 1000) / RATE, 1000 / RATE, (r) => readings.push(r));
  }
  return readings;
}

describe('LevelMeter', () => {
  it('reads RMS and peak of a sine in dBFS once per 50 ms window', () => {
    const meter = new LevelMeter({ sampleRate: RATE });
    expect(meter.windowFrames).toBe(2400);
    const readings = feed(meter, sine(0.5, RATE));
    expect(readings).toHaveLength(20);
    for (const r of readings) {
      // 0.5 amplitude: peak -6.02 dBFS, RMS 0.5/sqrt(2) = -9.03 dBFS.
      expect(r.peakDbfs).toBeCloseTo(-6.02, 1);
      expect(r.rmsDbfs).toBeCloseTo(-9.03, 1);
      expect(r.clipped).toBe(false);
    }
    // Window end times follow the sample clock, not block boundaries.
    expect(readings[0]?.timeMs).toBeCloseTo((2399 * 1000) / RATE, 6);
    expect(readings[1]?.timeMs).toBeCloseTo((4799 * 1000) / RATE, 6);
  });

  it('flags clipping only in the windows that reach full scale', () => {
    const meter = new LevelMeter({ sampleRate: RATE });
    const signal = sine(0.3, 4800);
    signal[3000] = 1.0;
    const readings = feed(meter, signal);
    expect(readings.map((r) => r.clipped)).toEqual([false, true]);
    expect(readings[1]?.peakDbfs).toBeCloseTo(0, 6);
  });

  it('estimates the noise floor from quiet stretches between loud notes', () => {
    const meter = new LevelMeter({ sampleRate: RATE, noiseFloorSeconds: 4 });
    // 4 s: alternating 200 ms of noise at ~-60 dBFS RMS and 200 ms of a loud tone.
    let seed = 1;
    const noise = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647) * 2 - 1; // uniform in [-1, 1): RMS 1/sqrt(3)
    };
    const noiseAmplitude = 0.001 * Math.sqrt(3);
    const signal = new Float32Array(4 * RATE);
    for (let i = 0; i < signal.length; i++) {
      const loud = Math.floor(i / (0.2 * RATE)) % 2 === 1;
      signal[i] = loud ? 0.5 * Math.sin((2 * Math.PI * 440 * i) / RATE) : noiseAmplitude * noise();
    }
    const readings = feed(meter, signal);
    expect(readings[5]?.noiseFloorDbfs).toBeNull();
    const floor = readings.at(-1)?.noiseFloorDbfs;
    expect(floor).not.toBeNull();
    expect(floor as number).toBeGreaterThan(-62);
    expect(floor as number).toBeLessThan(-58);
  });

  it('reports silence as the floor value, not -Infinity', () => {
    expect(toDbfs(0)).toBe(SILENCE_DBFS);
    const readings = feed(new LevelMeter({ sampleRate: RATE }), new Float32Array(2400));
    expect(readings[0]?.rmsDbfs).toBe(SILENCE_DBFS);
  });

  it('rejects a zero sample rate', () => {
    expect(() => new LevelMeter({ sampleRate: 0 })).toThrow(RangeError);
  });
});
