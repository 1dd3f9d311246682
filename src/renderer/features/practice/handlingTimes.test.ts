import { describe, expect, it } from 'vitest';
import { HandlingTimes } from './handlingTimes';

describe('HandlingTimes', () => {
  it('reports percentiles of what was added', () => {
    const t = new HandlingTimes(1000);
    for (let i = 1; i <= 100; i++) t.add(i);
    expect(t.summary()).toEqual({ count: 100, p50: 51, p95: 96, max: 100 });
  });

  it('keeps only the newest samples once full, and clears', () => {
    const t = new HandlingTimes(10);
    for (let i = 1; i <= 25; i++) t.add(i);
    expect(t.summary()).toMatchObject({ count: 10, max: 25, p50: 21 });
    t.clear();
    expect(t.summary()).toBeNull();
  });
});
