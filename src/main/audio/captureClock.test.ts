import { describe, expect, it } from 'vitest';
import { CaptureClock } from './captureClock';

describe('CaptureClock', () => {
  it('recovers the true capture time from jittered, late arrivals', () => {
    const rate = 48_000;
    const block = 256;
    const trueStartMs = 1000;
    const clock = new CaptureClock(rate);
    let seed = 7;
    const jitter = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647) * 8; // 0..8 ms of delivery delay
    };
    let worst = 0;
    for (let k = 0; k < 2000; k++) {
      const frameEnd = (k + 1) * block;
      const lastSampleMs = trueStartMs + (frameEnd * 1000) / rate;
      // Every 50th block arrives exactly on time, the rest late by a random amount.
      const arrival = lastSampleMs + (k % 50 === 0 ? 0 : jitter());
      const t = clock.observe(frameEnd, block, arrival);
      if (k >= 50) worst = Math.max(worst, Math.abs(t - (trueStartMs + (k * block * 1000) / rate)));
    }
    // After one on-time block the estimate is exact up to the allowed drift creep (200 ppm).
    expect(worst).toBeLessThan(0.3);
    expect(clock.frameTimeMs(0)).toBeCloseTo(trueStartMs, 0);
  });

  it('follows an audio clock that runs slow against the system clock', () => {
    const rate = 48_000;
    const clock = new CaptureClock(rate, 200);
    // Device clock 100 ppm slow: each block's frames take 1.0001x longer in system time.
    for (let k = 0; k < 20_000; k++) {
      const frameEnd = (k + 1) * 256;
      const arrival = ((frameEnd * 1000) / rate) * 1.0001;
      clock.observe(frameEnd, 256, arrival + 2);
    }
    const expected = ((20_000 * 256 * 1000) / rate) * 1.0001 + 2;
    // About 107 s of audio: an estimate stuck at the first minimum would be ~10.7 ms early.
    expect(Math.abs(clock.frameTimeMs(20_000 * 256) - expected)).toBeLessThan(3);
  });

  it('is NaN before the first block and after reset', () => {
    const clock = new CaptureClock(44_100);
    expect(clock.frameTimeMs(0)).toBeNaN();
    clock.observe(441, 441, 50);
    expect(clock.frameTimeMs(0)).toBeCloseTo(40, 6);
    clock.reset();
    expect(clock.frameTimeMs(0)).toBeNaN();
  });
});
