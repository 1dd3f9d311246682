import { describe, expect, it } from 'vitest';
import { LatencyLog, RecentRing, percentiles, stageDurations } from './latency-log';

describe('RecentRing', () => {
  it('keeps the last N items oldest first and counts everything pushed', () => {
    const ring = new RecentRing<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.total).toBe(5);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new RecentRing(0)).toThrow(RangeError);
  });
});

describe('percentiles', () => {
  it('uses nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentiles([]).p50).toBeNaN();
  });
});

describe('LatencyLog', () => {
  it('splits each batch into stages that add up to the pipeline time', () => {
    const log = new LatencyLog(8);
    const stamps = { capturedMs: 100, readMs: 104, resampledMs: 105, inferredMs: 111, decodedMs: 112, sentMs: 113 };
    log.batches.push(stamps);
    // A batch with no whole hop (no inference) is not a latency sample.
    log.batches.push({ ...stamps, inferredMs: stamps.resampledMs });
    log.notes.push({ ...stamps, kind: 'on', pitch: 60, timeSec: 0.5, onsetCapturedMs: 90 });
    log.notes.push({ ...stamps, kind: 'off', pitch: 60, timeSec: 0.9, onsetCapturedMs: 50 });
    const d = stageDurations(stamps);
    expect(d.wait + d.resample + d.infer + d.decode + d.deliver).toBe(13);
    const summary = log.summary();
    expect(summary.pipeline).toMatchObject({ count: 1, p50: 13 });
    expect(summary.byStage.infer.p50).toBe(6);
    expect(summary.onsetToSent).toMatchObject({ count: 1, p50: 23 });
  });
});
