import { describe, expect, it } from 'vitest';
import { breakIntoSystems } from './systems';

describe('breakIntoSystems', () => {
  it('fills lines greedily and stretches each full line to the width', () => {
    const plans = breakIntoSystems([100, 100, 100, 100, 100], 380, 60);
    expect(plans.map((p) => p.measures)).toEqual([[0, 1, 2], [3, 4]]);
    const first = plans[0]!;
    expect(first.widths.reduce((a, b) => a + b, 0)).toBeCloseTo(380, 6);
    // The header width goes to the first measure of the line.
    expect(first.widths[0]! - first.widths[1]!).toBeCloseTo(60, 6);
  });

  it('gives an over-wide measure a line of its own and never loses a measure', () => {
    const widths = [50, 900, 50, 50];
    const plans = breakIntoSystems(widths, 400, 40);
    expect(plans.flatMap((p) => p.measures)).toEqual([0, 1, 2, 3]);
    const wide = plans.find((p) => p.measures.includes(1))!;
    expect(wide.measures).toEqual([1]);
    expect(wide.widths[0]!).toBeCloseTo(400, 6);
  });

  it('does not blow up a short last line', () => {
    const plans = breakIntoSystems([100, 100, 100, 60], 380, 60);
    const last = plans[plans.length - 1]!;
    expect(last.measures).toEqual([3]);
    expect(last.widths[0]!).toBeLessThanOrEqual(60 + 60 * 1.6 + 1e-9);
  });

  it('lets a one-line piece stretch further than a last line', () => {
    const [only] = breakIntoSystems([100, 100], 1000, 50);
    expect(only!.widths.reduce((a, b) => a + b, 0)).toBeCloseTo(50 + 200 * 2.5, 6);
  });

  it('returns no lines for no measures', () => {
    expect(breakIntoSystems([], 500, 50)).toEqual([]);
  });
});
