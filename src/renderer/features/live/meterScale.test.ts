import { describe, expect, it } from 'vitest';
import { formatDbfs, meterBand, meterFraction } from './meterScale';

describe('meter scale', () => {
  it('maps -60..0 dBFS onto 0..1 and clamps outside', () => {
    expect(meterFraction(-60)).toBe(0);
    expect(meterFraction(-30)).toBeCloseTo(0.5);
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(3)).toBe(1);
    expect(meterFraction(-120)).toBe(0);
    expect(meterFraction(null)).toBe(0);
  });
  it('writes levels for people', () => {
    expect(formatDbfs(-23.4)).toBe('-23 dBFS');
    expect(formatDbfs(-120)).toBe('silence');
    expect(formatDbfs(null)).toBe('–');
  });
  it('bands: clip warning wins, then hot near full scale', () => {
    expect(meterBand(-20, false)).toBe('ok');
    expect(meterBand(-3, false)).toBe('hot');
    expect(meterBand(-20, true)).toBe('clip');
  });
});
