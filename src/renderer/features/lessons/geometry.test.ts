import { describe, expect, it } from 'vitest';
import type { NoteVerdict } from '../../../shared/evaluation';
import type { PerformedNote } from '../../../shared/performance';
import type { ScoreNote } from '../../../shared/score';
import { layoutPianoRoll, linearScale, niceTicks, paddedExtent, timingPoints } from './geometry';

function scoreNote(id: string, pitch: number, onsetSec: number, durationSec = 0.5): ScoreNote {
  return { id, sourceId: id, pitch, onsetBeats: onsetSec * 2, durationBeats: durationSec * 2, onsetSec, durationSec, measureIndex: 0, staff: 1, voice: 1, hand: 'right', partId: 'P1', grace: false, articulations: [] };
}
const played = (pitch: number, onsetSec: number, offsetSec = onsetSec + 0.4): PerformedNote => ({ pitch, onsetSec, offsetSec, velocity: 64 });

describe('linearScale', () => {
  it('maps the domain ends onto the range ends and interpolates between', () => {
    const s = linearScale([0, 10], [100, 300]);
    expect(s(0)).toBe(100);
    expect(s(10)).toBe(300);
    expect(s(2.5)).toBe(150);
  });
  it('inverts for a flipped range (y axes grow downwards)', () => {
    const s = linearScale([-50, 50], [200, 0]);
    expect(s(-50)).toBe(200);
    expect(s(0)).toBe(100);
  });
  it('puts every value in the middle of a zero-width domain instead of dividing by zero', () => {
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten inside the extent', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-120, 80, 4)).toEqual([-100, -50, 0, 50]);
    expect(niceTicks(0.1, 0.9, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
  });
  it('returns one tick for a single value and none for a broken extent', () => {
    expect(niceTicks(4, 4)).toEqual([4]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });
});

describe('paddedExtent', () => {
  it('pads the data and keeps the reference line inside', () => {
    const [lo, hi] = paddedExtent([20, 40], [0]);
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(40);
  });
  it('gives a usable extent for one value or none', () => {
    expect(paddedExtent([])).toEqual([0, 1]);
    const [lo, hi] = paddedExtent([90]);
    expect(lo).toBeLessThan(90);
    expect(hi).toBeGreaterThan(90);
  });
});

describe('layoutPianoRoll', () => {
  const notes = [scoreNote('a', 60, 0), scoreNote('b', 62, 0.5), scoreNote('c', 64, 1)];
  // a correct (played 1 s late), b wrong (63 instead of 62), c missed; one extra note 72.
  const perf = [played(60, 1), played(63, 1.5), played(72, 1.7)];
  const verdicts: NoteVerdict[] = [
    { verdict: 'correct', scoreNoteId: 'a', performanceIndex: 0, timingErrorMs: 0 },
    { verdict: 'wrong', scoreNoteId: 'b', performanceIndex: 1, timingErrorMs: 0, playedPitch: 63 },
    { verdict: 'missed', scoreNoteId: 'c', performanceIndex: null, timingErrorMs: null },
    { verdict: 'extra', scoreNoteId: null, performanceIndex: 2, timingErrorMs: null },
  ];
  const layout = layoutPianoRoll(notes, perf, verdicts, { width: 400, pixelsPerSecond: 100, rowHeight: 5, left: 30 });

  it('colours played notes by their verdict and unmatched ones as extra', () => {
    expect(layout.playedRects.map((r) => r.kind)).toEqual(['correct', 'wrong', 'extra']);
    expect(layout.scoreRects.map((r) => r.kind)).toEqual(['correct', 'wrong', 'missed']);
  });
  it('places matched score notes at the played onset and missed ones at the median offset', () => {
    const [a, , c] = layout.scoreRects;
    expect(a?.x).toBeCloseTo(layout.time(1));
    // matched offsets are 1.0 and 1.0 s, so the missed note written at 1 s is expected at 2 s.
    expect(c?.x).toBeCloseTo(layout.time(2));
  });
  it('puts higher pitches higher, one row per semitone with a spare row at each end', () => {
    expect(layout.lowPitch).toBe(59);
    expect(layout.highPitch).toBe(73);
    expect(layout.height).toBe(15 * 5);
    const extra = layout.playedRects[2];
    const first = layout.playedRects[0];
    expect(extra && first && extra.y < first.y).toBe(true);
    expect(first?.y).toBe((73 - 60) * 5);
  });
  it('widens past the requested width for long takes and keeps a minimum note width', () => {
    expect(layout.width).toBeGreaterThanOrEqual(30 + 2.5 * 100);
    const tiny = layoutPianoRoll([], [played(60, 0, 0.001)], [], { width: 100, pixelsPerSecond: 10, rowHeight: 4, left: 0 });
    expect(tiny.playedRects[0]?.width).toBe(2);
  });
});

describe('timingPoints', () => {
  it('pairs each timed verdict with its played onset, in time order', () => {
    const perf = [played(60, 2), played(62, 1)];
    const verdicts: NoteVerdict[] = [
      { verdict: 'correct', scoreNoteId: 'a', performanceIndex: 0, timingErrorMs: 40 },
      { verdict: 'correct', scoreNoteId: 'b', performanceIndex: 1, timingErrorMs: -25 },
      { verdict: 'missed', scoreNoteId: 'c', performanceIndex: null, timingErrorMs: null },
    ];
    expect(timingPoints(perf, verdicts)).toEqual([
      { timeSec: 1, errorMs: -25, kind: 'correct' },
      { timeSec: 2, errorMs: 40, kind: 'correct' },
    ]);
  });
});
