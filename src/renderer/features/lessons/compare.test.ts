import { describe, expect, it } from 'vitest';
import type { BarResult, NoteVerdict } from '../../../shared/evaluation';
import type { LessonReview } from '../../../shared/lessons';
import type { PerformedNote } from '../../../shared/performance';
import type { Score } from '../../../shared/score';
import { buildScore } from '../../../core/follow/testScores';
import { barAxis, compareBars, takeRoll } from './compare';

// Two 4/4 bars, a note every other beat (ids n0..n3), 120 qpm.
const score: Score = buildScore([0, 1, 2, 3].map((i) => ({ beat: i * 2, pitch: 60 + i })));

/** Every score note played, `secPerBeat` seconds per written beat, starting at `startSec`. */
function take(secPerBeat: number, startSec: number): { played: PerformedNote[]; verdicts: NoteVerdict[] } {
  const played = score.notes.map((n) => ({ pitch: n.pitch, onsetSec: startSec + n.onsetBeats * secPerBeat, offsetSec: startSec + (n.onsetBeats + 1) * secPerBeat, velocity: 64 }));
  return { played, verdicts: score.notes.map((n, i) => ({ verdict: 'correct', scoreNoteId: n.id, performanceIndex: i, timingErrorMs: 0 })) };
}

describe('bar-aligned rolls', () => {
  it('puts the same written note at the same x in a slow and a fast take', () => {
    const slow = take(0.8, 2);
    const fast = take(0.4, 0.3);
    const axis = barAxis(score, [slow.played, fast.played], { width: 400, pixelsPerBeat: 40, rowHeight: 5, left: 30 });
    expect(axis.bars.map((b) => b.x)).toEqual([30, 30 + 4 * ((400 - 30) / 8)]);
    const a = takeRoll(score, slow.played, slow.verdicts, axis);
    const b = takeRoll(score, fast.played, fast.verdicts, axis);
    for (let i = 0; i < 4; i++) {
      expect(a.playedRects[i]!.x).toBeCloseTo(b.playedRects[i]!.x, 6);
      expect(a.playedRects[i]!.x).toBeCloseTo(axis.beats(i * 2), 6);
      expect(a.scoreRects[i]!.x).toBe(b.scoreRects[i]!.x);
    }
    // The rects still know their own seconds (a click plays that take's note).
    expect(a.playedRects[1]!.startSec).toBeCloseTo(2 + 2 * 0.8, 9);
    expect(b.playedRects[1]!.startSec).toBeCloseTo(0.3 + 2 * 0.4, 9);
    expect(axis.lowPitch).toBe(59);
    expect(axis.highPitch).toBe(64);
  });
});

describe('compareBars', () => {
  const bar = (measureIndex: number, accuracy: number, wrong = 0): BarResult => ({ measureIndex, measureNumber: String(measureIndex + 1), correct: 2, wrong, missed: 0, extra: 0, accuracy, meanAbsTimingErrorMs: 20 });
  const review = (bars: BarResult[], tempo: { measureIndex: number; qpm: number }[]): LessonReview =>
    ({
      evaluation: { summary: { bars } as LessonReview['evaluation']['summary'], verdicts: [] },
      feedback: [],
      tempoByBar: tempo.map((t) => ({ ...t, measureNumber: String(t.measureIndex + 1) })),
      writtenQpm: 120,
    }) as LessonReview;

  it('lines both takes up by bar, with the change in accuracy', () => {
    const rows = compareBars(score, review([bar(0, 0.5, 1), bar(1, 1)], [{ measureIndex: 1, qpm: 110 }]), review([bar(0, 1)], [{ measureIndex: 0, qpm: 100 }]));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ number: '1', accuracyChange: 0.5, a: { accuracy: 0.5, mistakes: 1, qpm: null }, b: { accuracy: 1, qpm: 100 } });
    expect(rows[1]).toMatchObject({ number: '2', a: { qpm: 110 }, b: null, accuracyChange: null });
  });
});
