import { describe, expect, it } from 'vitest';
import { normalizeAnchors, xForBeats } from './cursor';
import { pitchName, timingMark } from './marks';

describe('cursor anchors', () => {
  const anchors = normalizeAnchors([
    { beats: 1, x: 120 },
    { beats: 0, x: 40 },
    { beats: 1, x: 115 }, // same beat on the other staff: leftmost wins
    { beats: 2, x: 200 },
  ]);

  it('sorts and merges anchors per beat', () => {
    expect(anchors).toEqual([
      { beats: 0, x: 40 },
      { beats: 1, x: 115 },
      { beats: 2, x: 200 },
    ]);
  });

  it('interpolates between anchors and clamps at the ends', () => {
    expect(xForBeats(anchors, 0.5)).toBeCloseTo(77.5, 9);
    expect(xForBeats(anchors, 1.5)).toBeCloseTo(157.5, 9);
    expect(xForBeats(anchors, -1)).toBe(40);
    expect(xForBeats(anchors, 9)).toBe(200);
    expect(xForBeats([], 1)).toBeNull();
  });
});

describe('feedback marks', () => {
  it('names pitches', () => {
    expect(pitchName(60)).toBe('C4');
    expect(pitchName(70)).toBe('A#4');
    expect(pitchName(21)).toBe('A0');
  });

  it('marks early and late outside the on-time window, never for missed notes', () => {
    expect(timingMark('correct', -150)?.kind).toBe('early');
    expect(timingMark('wrong', 150)?.kind).toBe('late');
    expect(timingMark('correct', 40)).toBeNull();
    expect(timingMark('correct', -74)).toBeNull();
    expect(timingMark('missed', 500)).toBeNull();
    expect(timingMark('correct', null)).toBeNull();
  });
});
