import { describe, expect, it } from 'vitest';
import type { PerformedNote } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { alignPerformance } from '../follow/align';
import { asPerformance, perfect, twoHandExercise } from '../follow/testScores';
import { gradePerformance } from './grade';
import { feedbackFor, noteName } from './feedback';

function feedback(score: Score, notes: PerformedNote[]) {
  const performance = asPerformance(notes);
  const result = gradePerformance(score, performance, alignPerformance(score, performance));
  return feedbackFor(score, performance, result);
}

describe('feedbackFor', () => {
  const score = twoHandExercise(8);

  it('names nothing for a clean take', () => {
    expect(feedback(score, perfect(score))).toEqual([]);
  });

  it('anchors a missed left-hand note and a wrong right-hand note to their bars', () => {
    const missed = score.notes.find((n) => n.hand === 'left' && n.measureIndex === 2)!;
    const wrong = score.notes.find((n) => n.hand === 'right' && n.onsetBeats === 21)!;
    const notes = perfect(score)
      .map((n, i) => (score.notes[i] === wrong ? { ...n, pitch: n.pitch + 1 } : n))
      .filter((_, i) => score.notes[i] !== missed);
    const items = feedback(score, notes);
    expect(items.map((i) => i.text)).toEqual(
      expect.arrayContaining([`bar 3, left hand: ${noteName(missed.pitch)} missed`, `bar 6, right hand: played ${noteName(wrong.pitch + 1)} instead of ${noteName(wrong.pitch)}`]),
    );
  });

  it('reports a stretch of bars played faster than the rest', () => {
    // Bars 5-7 (indices 4-6) at 1.15x the tempo of the others.
    const secPerBar = 2;
    const notes = perfect(score).map((n, i) => {
      const note = score.notes[i]!;
      const bar = note.measureIndex;
      const within = note.onsetSec - bar * secPerBar;
      const barStart = [...Array(bar).keys()].reduce((s, b) => s + (b >= 4 && b <= 6 ? secPerBar / 1.15 : secPerBar), 0);
      const onset = 0.5 + barStart + (bar >= 4 && bar <= 6 ? within / 1.15 : within);
      return { ...n, onsetSec: onset, offsetSec: onset + 0.2 };
    });
    const items = feedback(score, notes);
    const rushing = items.find((i) => i.kind === 'rushing');
    expect(rushing).toMatchObject({ fromMeasure: 4, toMeasure: 6 });
    expect(rushing!.text).toMatch(/^bars 5–7: rushing by about 1[45] %$/);
  });

  it('notices the left hand coming late', () => {
    const notes = perfect(score).map((n, i) => (score.notes[i]!.hand === 'left' && score.notes[i]!.measureIndex === 3 ? { ...n, onsetSec: n.onsetSec + 0.09 } : n));
    const items = feedback(score, notes);
    expect(items.find((i) => i.kind === 'hands-apart')).toMatchObject({ fromMeasure: 3, hand: 'left' });
  });

  it('spells notes from the score when it can', () => {
    expect(noteName(70, { step: 'B', alter: -1, octave: 4 })).toBe('B♭4');
    expect(noteName(70, undefined, -2)).toBe('B♭4');
    expect(noteName(61)).toBe('C♯4');
  });
});
