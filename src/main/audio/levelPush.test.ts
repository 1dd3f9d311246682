import { describe, expect, it } from 'vitest';
import { LevelThrottle } from './levelPush';
import type { LevelReading } from './levelMeter';

const reading = (timeMs: number, rmsDbfs: number, extra: Partial<LevelReading> = {}): LevelReading => ({
  timeMs,
  rmsDbfs,
  peakDbfs: rmsDbfs + 3,
  clipped: false,
  noiseFloorDbfs: null,
  ...extra,
});

describe('LevelThrottle', () => {
  it('pushes at most once per interval whatever the reading rate', () => {
    const throttle = new LevelThrottle({ intervalMs: 50 });
    let pushes = 0;
    // 10 ms windows for 1 s: 100 readings.
    for (let t = 0; t < 1000; t += 10) if (throttle.push(reading(t, -30))) pushes++;
    expect(pushes).toBe(20);
  });

  it('keeps the loudest reading and any clip between two pushes', () => {
    const throttle = new LevelThrottle({ intervalMs: 50 });
    expect(throttle.push(reading(0, -40))).not.toBeNull();
    expect(throttle.push(reading(10, -12, { peakDbfs: -0.5 }))).toBeNull();
    expect(throttle.push(reading(20, -50, { clipped: true, peakDbfs: 0 }))).toBeNull();
    const out = throttle.push(reading(50, -45, { noiseFloorDbfs: -70 }));
    expect(out).toEqual({ rmsDbfs: -12, peakDbfs: 0, clipped: true, clipWarning: true, noiseFloorDbfs: -70 });
    // The next push starts afresh: the earlier loud reading does not leak into it.
    const next = throttle.push(reading(100, -44));
    expect(next?.rmsDbfs).toBe(-44);
    expect(next?.clipped).toBe(false);
  });

  it('holds the clip warning for clipHoldMs after the last clipped window, then drops it', () => {
    const throttle = new LevelThrottle({ intervalMs: 50, clipHoldMs: 1000 });
    throttle.push(reading(0, -3, { clipped: true }));
    expect(throttle.push(reading(900, -40))?.clipWarning).toBe(true);
    expect(throttle.push(reading(1050, -40))?.clipWarning).toBe(false);
  });

  it('rejects a non-positive interval', () => {
    expect(() => new LevelThrottle({ intervalMs: 0 })).toThrow(RangeError);
  });
});
