import { describe, expect, it } from 'vitest';
import type { PerformedNote } from '../../shared/performance';
import type { EvaluationResult } from '../../shared/evaluation';
import type { Score } from '../../shared/score';
import type { NoteSelection } from '../follow/scoreSlots';
import { alignPerformance } from '../follow/align';
import { asPerformance, perfect, seededRandom, twoHandExercise } from '../follow/testScores';
import { gradePerformance } from './grade';

function evaluate(score: Score, notes: PerformedNote[], selection?: NoteSelection) {
  const performance = asPerformance(notes);
  const alignment = alignPerformance(score, performance, selection);
  return { performance, alignment, result: gradePerformance(score, performance, alignment, selection) };
}

function verdictOf(result: EvaluationResult, id: string) {
  return result.verdicts.find((v) => v.scoreNoteId === id)!;
}

function expectOneVerdictPerNote(result: EvaluationResult, ids: string[], performanceCount: number) {
  const noteIds = result.verdicts.flatMap((v) => (v.scoreNoteId === null ? [] : [v.scoreNoteId]));
  expect([...noteIds].sort()).toEqual([...ids].sort());
  const used = result.verdicts.flatMap((v) => (v.performanceIndex === null ? [] : [v.performanceIndex]));
  expect(new Set(used).size).toBe(used.length);
  expect(used.every((p) => p >= 0 && p < performanceCount)).toBe(true);
}

describe('alignPerformance + gradePerformance', () => {
  const score = twoHandExercise(8);
  const ids = score.notes.map((n) => n.id);

  it('grades a clean take: all correct, zero timing error, accuracy 1', () => {
    const { result, performance } = evaluate(score, perfect(score, 0.8));
    expect(result.summary).toMatchObject({ correct: score.notes.length, wrong: 0, missed: 0, extra: 0, accuracy: 1 });
    expect(result.summary.p90AbsTimingErrorMs!).toBeLessThan(1);
    expect(result.summary.bars).toHaveLength(8);
    expectOneVerdictPerNote(result, ids, performance.notes.length);
  });

  it('finds a wrong pitch, a missed note and an extra note', () => {
    const wrongTarget = score.notes.find((n) => n.hand === 'left' && n.onsetBeats === 10)!;
    const missedTarget = score.notes.find((n) => n.hand === 'right' && n.onsetBeats === 17)!;
    const notes = perfect(score)
      .map((n, i) => (score.notes[i] === wrongTarget ? { ...n, pitch: n.pitch - 2 } : n))
      .filter((_, i) => score.notes[i] !== missedTarget);
    notes.push({ pitch: 90, onsetSec: 0.5 + 22.5 * 0.5, offsetSec: 12, velocity: 60 });
    const { result, performance } = evaluate(score, notes);
    expect(verdictOf(result, wrongTarget.id)).toMatchObject({ verdict: 'wrong', playedPitch: wrongTarget.pitch - 2 });
    expect(verdictOf(result, missedTarget.id).verdict).toBe('missed');
    expect(result.summary).toMatchObject({ wrong: 1, missed: 1, extra: 1, correct: score.notes.length - 2 });
    const bar = result.summary.bars.find((b) => b.measureIndex === wrongTarget.measureIndex)!;
    expect(bar.wrong).toBe(1);
    expectOneVerdictPerNote(result, ids, performance.notes.length);
  });

  it('times a wrong note against its own chord when the chord is played late (not missed + extra)', () => {
    // Fast (a beat = 0.25 s, so the substitution window is 0.125 s) and the chord at beat 10
    // held back 140 ms: its wrong bass note sits with the chord but outside the window around
    // the neighbours' tempo fit, which graded it missed plus an extra press before.
    const wrongTarget = score.notes.find((n) => n.hand === 'left' && n.onsetBeats === 10 && n.pitch === 50)!;
    const notes = perfect(score, 2).map((n, i) => {
      const note = score.notes[i]!;
      const shifted = note.onsetBeats === 10 ? { ...n, onsetSec: n.onsetSec + 0.14, offsetSec: n.offsetSec + 0.14 } : n;
      return note === wrongTarget ? { ...shifted, pitch: 48 } : shifted;
    });
    const { result, performance } = evaluate(score, notes);
    expect(verdictOf(result, wrongTarget.id)).toMatchObject({ verdict: 'wrong', playedPitch: 48 });
    expect(result.summary).toMatchObject({ wrong: 1, missed: 0, extra: 0, correct: score.notes.length - 1 });
    expectOneVerdictPerNote(result, ids, performance.notes.length);
    // Settling (settle.ts) keeps the neighbours' tempo fit as the reference.
    const settling = gradePerformance(score, performance, alignPerformance(score, performance), undefined, { wrongAtChord: false });
    expect(settling.summary).toMatchObject({ wrong: 0, missed: 1, extra: 1 });
  });

  it('measures timing against the local tempo through a strong ritardando and rolled chords', () => {
    // Tempo halves over the piece; left-hand chords rolled over 90 ms; one note 80 ms late.
    const late = score.notes.find((n) => n.hand === 'right' && n.onsetBeats === 20)!;
    const notes = perfect(score).map((n, i) => {
      const w = n.onsetSec - 0.5;
      const note = score.notes[i]!;
      const roll = note.hand === 'left' && score.notes.some((m) => m.hand === 'left' && m.onsetBeats === note.onsetBeats && m.pitch < note.pitch) ? 0.09 : 0;
      const onset = 0.5 + w + (w * w) / 32 + roll + (note === late ? 0.08 : 0);
      return { ...n, onsetSec: onset, offsetSec: onset + 0.3 };
    });
    const { result } = evaluate(score, notes);
    expect(result.summary.correct).toBe(score.notes.length);
    // Rolled neighbouring chords shift the slot means by up to 45 ms, hence the loose bounds.
    expect(verdictOf(result, late.id).timingErrorMs!).toBeGreaterThan(45);
    expect(verdictOf(result, late.id).timingErrorMs!).toBeLessThan(100);
    const rightHand = result.verdicts.filter((v) => v.scoreNoteId !== null && v.scoreNoteId !== late.id && score.notes.find((n) => n.id === v.scoreNoteId)!.hand === 'right');
    const median = rightHand.map((v) => Math.abs(v.timingErrorMs!)).sort((a, b) => a - b)[rightHand.length >> 1]!;
    expect(median).toBeLessThan(30); // the roll offsets neighbouring slot means by up to ±30 ms
  });

  it('survives a restart from bar 2: the completed pass is graded, the fragment is extra', () => {
    const clean = perfect(score);
    const fragment = clean.filter((_, i) => score.notes[i]!.onsetBeats < 6);
    const shift = 0.5 * 6 + 1;
    const rest = clean.filter((_, i) => score.notes[i]!.onsetBeats >= 4).map((n) => ({ ...n, onsetSec: n.onsetSec + shift - 2, offsetSec: n.offsetSec + shift - 2 }));
    const { result, performance } = evaluate(score, [...fragment, ...rest]);
    const bar1 = score.notes.filter((n) => n.measureIndex === 0);
    expect(bar1.every((n) => verdictOf(result, n.id).verdict === 'correct')).toBe(true);
    const later = score.notes.filter((n) => n.onsetBeats >= 6);
    expect(later.every((n) => verdictOf(result, n.id).verdict === 'correct')).toBe(true);
    expect(result.summary.extra).toBeGreaterThan(0);
    expectOneVerdictPerNote(result, ids, performance.notes.length);
  });

  it('grades one hand only when the other hand is not selected', () => {
    const rightOnly = perfect(score).filter((_, i) => score.notes[i]!.hand === 'right');
    const selection: NoteSelection = { hands: 'right', loop: null };
    const { result } = evaluate(score, rightOnly, selection);
    const rightIds = score.notes.filter((n) => n.hand === 'right').map((n) => n.id);
    expect(result.summary).toMatchObject({ correct: rightIds.length, missed: 0, extra: 0 });
    expectOneVerdictPerNote(result, rightIds, rightOnly.length);
  });

  it('grades a loop range inside a longer take', () => {
    const selection: NoteSelection = { hands: 'both', loop: { fromMeasure: 2, toMeasure: 3 } };
    const { result } = evaluate(score, perfect(score), selection);
    const loopIds = score.notes.filter((n) => n.measureIndex >= 2 && n.measureIndex <= 3).map((n) => n.id);
    expect(result.summary.correct).toBe(loopIds.length);
    expect(result.summary.bars.map((b) => b.measureIndex)).toEqual([2, 3]);
  });

  it('keeps the bookkeeping invariants under random mistakes', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const notes = perfect(score)
        .filter(() => random() > 0.1)
        .map((n) => (random() < 0.05 ? { ...n, pitch: n.pitch + 1 } : { ...n, onsetSec: n.onsetSec + (random() - 0.5) * 0.06 }));
      for (let k = 0; k < 5; k++) notes.push({ pitch: 40 + Math.floor(random() * 50), onsetSec: random() * 16, offsetSec: 17, velocity: 40 });
      const { result, performance } = evaluate(score, notes);
      expectOneVerdictPerNote(result, ids, performance.notes.length);
      const s = result.summary;
      expect(s.correct + s.wrong + s.missed).toBe(ids.length);
      expect(s.correct + s.wrong + s.extra).toBeLessThanOrEqual(performance.notes.length);
      expect(s.accuracy).toBeGreaterThan(0.7);
    }
  });
});

describe('bad input', () => {
  const score = twoHandExercise(2);

  it('rejects an alignment that names notes that do not exist', () => {
    const performance = asPerformance(perfect(score));
    expect(() => gradePerformance(score, performance, [{ scoreNoteId: 'nope', performanceIndex: 0 }])).toThrow(/unknown score note/);
    expect(() => gradePerformance(score, performance, [{ scoreNoteId: score.notes[0]!.id, performanceIndex: 999 }])).toThrow(/does not exist/);
  });

  it('rejects a loop outside the score', () => {
    const performance = asPerformance(perfect(score));
    expect(() => alignPerformance(score, performance, { hands: 'both', loop: { fromMeasure: 1, toMeasure: 9 } })).toThrow(/outside the score/);
  });

  it('grades an empty take as all missed', () => {
    const performance = asPerformance([]);
    const result = gradePerformance(score, performance, alignPerformance(score, performance));
    expect(result.summary).toMatchObject({ correct: 0, missed: score.notes.length, extra: 0, accuracy: 0, meanAbsTimingErrorMs: null });
  });
});
