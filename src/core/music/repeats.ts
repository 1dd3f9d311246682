/**
 * Expands repeats, voltas, D.C./D.S. al fine/coda into playing order: the list of written
 * measure indices as they are played. After a D.C./D.S. jump repeats are not taken again and
 * the last volta of each group is played (the common convention). D.C. returns to the start of
 * the current movement and D.S. to the latest segno; at Fine (or on passing the jump's origin)
 * playing resumes after the jump's origin, which ends a single piece and lets a file holding
 * several movements go on to the next one.
 */
import type { MeasureNavigation } from './musicxml-types';

interface EndingRegion {
  start: number;
  end: number;
  numbers: number[];
  group: number;
}

/** Finds volta regions and groups adjacent ones (ending 1 directly followed by ending 2). */
function findEndingRegions(nav: MeasureNavigation[]): EndingRegion[] {
  const regions: EndingRegion[] = [];
  for (let i = 0; i < nav.length; i++) {
    const numbers = nav[i]?.endingStartNumbers;
    if (!numbers) continue;
    let end = i;
    let closed = false;
    for (let j = i; j < nav.length; j++) {
      const m = nav[j] as MeasureNavigation;
      end = j;
      if (m.endingStops || m.backwardRepeatTimes !== null) {
        closed = true;
        break;
      }
      const next = nav[j + 1];
      if (next && (next.endingStartNumbers || next.forwardRepeat)) {
        closed = true;
        break;
      }
    }
    // An unterminated bracket running to the end is taken as one measure long.
    if (!closed) end = i;
    const previous = regions[regions.length - 1];
    const group = previous && previous.end === i - 1 ? previous.group : (previous?.group ?? -1) + 1;
    regions.push({ start: i, end, numbers: numbers.length > 0 ? numbers : [regionIndexInGroup(regions, group) + 1], group });
    i = end;
  }
  return regions;
}

function regionIndexInGroup(regions: EndingRegion[], group: number): number {
  return regions.filter((r) => r.group === group).length;
}

export function playingOrder(nav: MeasureNavigation[]): number[] {
  const n = nav.length;
  const regions = findEndingRegions(nav);
  const regionAt = new Map<number, EndingRegion>();
  for (const r of regions) for (let i = r.start; i <= r.end; i++) regionAt.set(i, r);
  const groupRegions = (group: number): EndingRegion[] => regions.filter((r) => r.group === group);

  const latestAtOrBefore = (i: number, test: (m: MeasureNavigation) => boolean): number => {
    for (let j = i; j >= 0; j--) if (test(nav[j] as MeasureNavigation)) return j;
    return -1;
  };
  const codaSignMeasures = nav.map((m, i) => (m.codaSigns > 0 ? i : -1)).filter((i) => i >= 0);
  const explicitCoda = nav.findIndex((m) => m.coda);
  const codaIndex = explicitCoda >= 0 ? explicitCoda : codaSignMeasures.length >= 2 ? (codaSignMeasures.at(-1) as number) : -1;
  const toCodaIndex = nav.findIndex((m) => m.toCoda);
  const implicitToCoda = toCodaIndex < 0 && codaSignMeasures.length >= 2 ? (codaSignMeasures[0] as number) : -1;

  const order: number[] = [];
  const repeatCounts = new Map<number, number>();
  const limit = n * 20 + 100;
  let i = 0;
  let pass = 1;
  let repeatStart = 0;
  /** Measure index of the D.C./D.S. being followed, null when not inside a jump. */
  let jumpOrigin: number | null = null;
  let arrivedByRepeat = false;
  while (i < n && order.length < limit) {
    if (jumpOrigin !== null && i > jumpOrigin) {
      // Past the D.C./D.S. (or at the coda): repeats count again from here.
      jumpOrigin = null;
      pass = 1;
      repeatStart = i;
    }
    const jumped: boolean = jumpOrigin !== null;
    const m = nav[i] as MeasureNavigation;
    if (m.forwardRepeat && !arrivedByRepeat) {
      repeatStart = i;
      pass = 1;
    }
    arrivedByRepeat = false;
    const region = regionAt.get(i);
    if (region) {
      const group = groupRegions(region.group);
      const last = group[group.length - 1] as EndingRegion;
      const target: EndingRegion = jumped ? last : (group.find((r) => r.numbers.includes(pass)) ?? last);
      if (target !== region) {
        i = region.end + 1;
        continue;
      }
    }
    order.push(i);
    if (jumpOrigin !== null && m.fine) {
      i = jumpOrigin + 1;
      continue;
    }
    if (jumped && (m.toCoda || i === implicitToCoda) && codaIndex > i) {
      i = codaIndex;
      continue;
    }
    if (m.backwardRepeatTimes !== null && !jumped) {
      const count = repeatCounts.get(i) ?? 0;
      const laterVolta = region !== undefined && groupRegions(region.group).some((r) => r.numbers.includes(pass + 1));
      if ((count < m.backwardRepeatTimes - 1 || laterVolta) && count < 16) {
        repeatCounts.set(i, count + 1);
        pass++;
        i = repeatStart;
        arrivedByRepeat = true;
        continue;
      }
      repeatCounts.delete(i);
      pass = 1;
      repeatStart = i + 1;
    } else if (region && i === region.end && !jumped) {
      // Leaving a volta that does not repeat ends the repeated section.
      const group = groupRegions(region.group);
      if (region === group[group.length - 1]) {
        pass = 1;
        repeatStart = i + 1;
      }
    }
    if (!jumped && m.daCapo) {
      jumpOrigin = i;
      i = Math.max(0, latestAtOrBefore(i, (x) => x.sectionStart));
      continue;
    }
    const segnoIndex = m.dalSegno ? latestAtOrBefore(i, (x) => x.segno) : -1;
    if (!jumped && segnoIndex >= 0) {
      jumpOrigin = i;
      i = segnoIndex;
      continue;
    }
    i++;
  }
  return order;
}
