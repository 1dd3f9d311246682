import { describe, expect, it } from 'vitest';
import { describeNoiseFloor, gainAdvice, measureLatencyOffset, percentile, registerChecks } from './calibration';

describe('gainAdvice', () => {
  const fine = { peakDbfs: -8, loudRmsDbfs: -22, noiseFloorDbfs: -70, clippedWindows: 0, onsetsHeard: 8 };
  it('says fine for strong, unclipped playing well above the noise', () => {
    expect(gainAdvice(fine).advice).toBe('fine');
  });
  it('says clipping when any window clipped or the peak reaches full scale', () => {
    expect(gainAdvice({ ...fine, clippedWindows: 2 }).advice).toBe('clipping');
    expect(gainAdvice({ ...fine, peakDbfs: 0 }).advice).toBe('clipping');
  });
  it('says too quiet for weak peaks, noisy for a low SNR, no sound for nothing above the floor', () => {
    expect(gainAdvice({ ...fine, peakDbfs: -40, loudRmsDbfs: -50 }).advice).toBe('too-quiet');
    expect(gainAdvice({ ...fine, noiseFloorDbfs: -35 }).advice).toBe('noisy');
    expect(gainAdvice({ ...fine, onsetsHeard: 0, peakDbfs: -66, loudRmsDbfs: -68 }).advice).toBe('no-sound');
  });
});

describe('registerChecks', () => {
  it('groups distinct detected pitches per register', () => {
    const checks = registerChecks([36, 36, 60, 64, 84]);
    expect(checks.map((c) => [c.name, c.detectedPitches, c.detected])).toEqual([
      ['low', [36], true],
      ['middle', [60, 64], true],
      ['high', [84], true],
    ]);
    expect(registerChecks([60]).filter((c) => c.detected).map((c) => c.name)).toEqual(['middle']);
  });
});

describe('measureLatencyOffset', () => {
  it('takes the median of click -> heard note, ignoring a missed click and a stray note', () => {
    const clicks = [1000, 1600, 2200, 2800, 3400];
    // 80 ms late each, one click unanswered, one stray note between clicks, one 95 ms outlier.
    const onsets = [1080, 1680, 1900, 2895, 3480];
    const m = measureLatencyOffset(clicks, onsets);
    expect(m.differencesMs).toEqual([80, 80, null, 95, 80]);
    expect(m.matched).toBe(4);
    expect(m.offsetMs).toBe(80);
  });
  it('returns null figures when nothing answered', () => {
    expect(measureLatencyOffset([1000, 2000], [5000]).offsetMs).toBeNull();
  });
  it('handles notes played early (negative offset)', () => {
    expect(measureLatencyOffset([1000, 2000, 3000], [970, 1960, 2975]).offsetMs).toBe(-30);
  });
});

describe('helpers', () => {
  it('percentile is nearest-rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
  it('describes noise floors in three bands', () => {
    expect(describeNoiseFloor(-75)).toMatch(/Quiet/);
    expect(describeNoiseFloor(-50)).toMatch(/Some background/);
    expect(describeNoiseFloor(-30)).toMatch(/Noisy/);
  });
});
