import { describe, expect, it } from 'vitest';
import type { BarResult, NoteVerdict } from '../../shared/evaluation';
import type { LessonReview } from '../../shared/lessons';
import type { Performance } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { buildScore } from '../../core/follow/testScores';
import { barExcerptSvg, excerptBars, excerptsSection } from './excerpts';

// Two 4/4 bars of quarter notes (ids n0..n7) at 120 qpm.
const score: Score = buildScore([60, 62, 64, 65, 67, 69, 71, 72].map((pitch, beat) => ({ beat, pitch })));
// Bar 2: note 5 played a semitone high, note 6 missed; everything else on time.
const performance: Performance = {
  notes: score.notes.filter((n) => n.id !== 'n6').map((n) => ({ pitch: n.id === 'n5' ? n.pitch + 1 : n.pitch, onsetSec: n.onsetSec, offsetSec: n.onsetSec + 0.4, velocity: 64 })),
  pedal: [],
  durationSec: 4,
} as unknown as Performance;
const verdicts: NoteVerdict[] = score.notes.map((n, i) => {
  if (n.id === 'n6') return { verdict: 'missed', scoreNoteId: n.id, performanceIndex: null, timingErrorMs: null };
  const index = i > 6 ? i - 1 : i;
  return { verdict: n.id === 'n5' ? 'wrong' : 'correct', scoreNoteId: n.id, performanceIndex: index, timingErrorMs: 0, ...(n.id === 'n5' ? { playedPitch: 70 } : {}) };
});
const bar = (measureIndex: number, accuracy: number): BarResult => ({ measureIndex, measureNumber: String(measureIndex + 1), correct: 2, wrong: 1, missed: 1, extra: 0, accuracy, meanAbsTimingErrorMs: 0 });
const review = { evaluation: { summary: { bars: [bar(0, 1), bar(1, 0.5)] }, verdicts }, feedback: [], tempoByBar: [], writtenQpm: 120 } as unknown as LessonReview;

describe('bar excerpts', () => {
  it('picks the commented bars first, then the weakest', () => {
    const annotation = { id: 1, lessonId: 1, measureIndex: 0, text: 'x', createdAt: 0 };
    expect(excerptBars(review, [annotation])).toEqual([0, 1]);
    expect(excerptBars(review, [])).toEqual([1]);
    expect(excerptBars(review, [], 0)).toEqual([]);
  });

  it('draws each written note as an outline and each played note filled at its played pitch', () => {
    const svg = barExcerptSvg(score, performance, review, 1)!;
    expect(svg.match(/fill="none" stroke=/g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray="3 2"/g)).toHaveLength(1);
    const filled = [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)" width="[\d.]+" height="5" fill="(#[0-9a-f]+)" opacity/g)];
    expect(filled).toHaveLength(3);
    // The wrong note is red, one row (semitone) above its outline.
    const wrong = filled.find((m) => m[3] === '#c0392b')!;
    const outline = /<rect x="[\d.]+" y="(\d+)" width="[\d.]+" height="5" fill="none" stroke="#c0392b"/.exec(svg)!;
    expect(Number(wrong[2])).toBe(Number(outline[1]) - 5);
    expect(barExcerptSvg(score, performance, review, 7)).toBeNull();
  });

  it('puts the comments under their bar and escapes them', () => {
    const html = excerptsSection(score, performance, review, [{ id: 1, lessonId: 1, measureIndex: 1, text: 'Lift <here>', createdAt: 0 }]);
    expect(html).toContain('<h3>Bar 2</h3>');
    expect(html).toContain('Lift &lt;here&gt;');
    expect(html).toContain('50 % · 1 wrong · 1 missed');
    expect(excerptsSection(null, performance, review, [])).toBe('');
  });
});
