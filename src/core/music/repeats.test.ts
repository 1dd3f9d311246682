import { describe, expect, it } from 'vitest';
import { emptyNavigation, type MeasureNavigation } from './musicxml-types';
import { playingOrder } from './repeats';

/** Builds navigation for `count` bars; `marks` sets fields per 1-based bar number. */
function bars(count: number, marks: Record<number, Partial<MeasureNavigation>>): MeasureNavigation[] {
  return Array.from({ length: count }, (_, i) => ({ ...emptyNavigation(), ...marks[i + 1] }));
}
/** Playing order as 1-based bar numbers, easier to read against a score. */
const order = (nav: MeasureNavigation[]): number[] => playingOrder(nav).map((i) => i + 1);

describe('playingOrder', () => {
  it('plays straight through without marks', () => {
    expect(order(bars(3, {}))).toEqual([1, 2, 3]);
  });

  it('repeats from the start when there is no forward repeat', () => {
    expect(order(bars(3, { 2: { backwardRepeatTimes: 2 } }))).toEqual([1, 2, 1, 2, 3]);
  });

  it('honours times="3" and successive repeated sections', () => {
    const nav = bars(5, {
      1: { forwardRepeat: true },
      2: { backwardRepeatTimes: 3 },
      3: { forwardRepeat: true },
      4: { backwardRepeatTimes: 2 },
    });
    expect(order(nav)).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 5]);
  });

  it('takes a shared first ending twice before the third ending', () => {
    const nav = bars(4, {
      1: { forwardRepeat: true },
      2: { endingStartNumbers: [1, 2], endingStops: true, backwardRepeatTimes: 2 },
      3: { endingStartNumbers: [3], endingStops: true },
    });
    expect(order(nav)).toEqual([1, 2, 1, 2, 1, 3, 4]);
  });

  it('handles multi-bar endings', () => {
    const nav = bars(6, {
      2: { forwardRepeat: true },
      3: { endingStartNumbers: [1] },
      4: { endingStops: true, backwardRepeatTimes: 2 },
      5: { endingStartNumbers: [2], endingStops: true },
    });
    expect(order(nav)).toEqual([1, 2, 3, 4, 2, 5, 6]);
  });

  it('follows D.S. al Coda, skipping repeats after the jump', () => {
    const nav = bars(6, {
      2: { segno: true, forwardRepeat: true },
      3: { toCoda: true, backwardRepeatTimes: 2 },
      4: { dalSegno: true },
      6: { coda: true },
    });
    expect(order(nav)).toEqual([1, 2, 3, 2, 3, 4, 2, 3, 6]);
  });

  it('reads two coda signs as To Coda and Coda', () => {
    const nav = bars(5, { 2: { codaSigns: 1 }, 3: { daCapo: true }, 5: { codaSigns: 1 } });
    expect(order(nav)).toEqual([1, 2, 3, 1, 2, 5]);
  });

  it('stops at Fine after D.C., with the last ending taken on the way', () => {
    const nav = bars(5, {
      1: { forwardRepeat: true },
      2: { endingStartNumbers: [1], endingStops: true, backwardRepeatTimes: 2 },
      3: { endingStartNumbers: [2], endingStops: true, fine: true },
      5: { daCapo: true },
    });
    expect(order(nav)).toEqual([1, 2, 1, 3, 4, 5, 1, 3]);
  });

  it('terminates on contradictory marks', () => {
    const nav = bars(2, { 1: { backwardRepeatTimes: 16, dalSegno: true, segno: true }, 2: { daCapo: true } });
    const played = order(nav);
    expect(played.length).toBeGreaterThan(0);
    expect(played.length).toBeLessThan(200);
  });
});

describe('playingOrder in files holding several movements', () => {
  it('returns D.C. to the start of the movement and goes on to the next one after Fine', () => {
    // Movement 1: bars 1-2. Movement 2 (numbering restarts): bars 3-5 with Fine at 3, D.C. at 5.
    // Movement 3: bars 6-7 with its own repeat.
    const nav = bars(7, {
      3: { sectionStart: true, fine: true },
      5: { daCapo: true },
      6: { sectionStart: true, forwardRepeat: true },
      7: { backwardRepeatTimes: 2 },
    });
    expect(order(nav)).toEqual([1, 2, 3, 4, 5, 3, 6, 7, 6, 7]);
  });

  it('returns D.S. to the latest segno before it', () => {
    const nav = bars(6, { 1: { segno: true }, 3: { segno: true }, 4: { dalSegno: true }, 5: { fine: true } });
    expect(order(nav)).toEqual([1, 2, 3, 4, 3, 4, 5, 6]);
  });
});
