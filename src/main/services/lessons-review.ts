/** A lesson's review: alignment + grading (core), ranked feedback, and each bar's played tempo. */
import { feedbackFor } from '../../core/evaluate/feedback';
import type { EvaluationResult } from '../../shared/evaluation';
import type { BarTempo, LessonReview } from '../../shared/lessons';
import type { Performance } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { evaluatePerformance } from './evaluate';

/**
 * Played tempo per bar: least-squares slope of performed onset (s) against written onset (beats)
 * over the bar's correctly played notes. Bars with fewer than two distinct written onsets have
 * no slope and are left out (the plot shows a gap there).
 */
export function tempoByBar(score: Score, performance: Performance, evaluation: EvaluationResult): BarTempo[] {
  const notesById = new Map(score.notes.map((n) => [n.id, n]));
  const points = new Map<number, { beats: number; sec: number }[]>();
  for (const verdict of evaluation.verdicts) {
    if (verdict.verdict !== 'correct' || verdict.scoreNoteId === null || verdict.performanceIndex === null) continue;
    const note = notesById.get(verdict.scoreNoteId);
    const played = performance.notes[verdict.performanceIndex];
    if (!note || !played || note.grace) continue;
    const list = points.get(note.measureIndex) ?? [];
    list.push({ beats: note.onsetBeats, sec: played.onsetSec });
    points.set(note.measureIndex, list);
  }
  const out: BarTempo[] = [];
  for (const measure of score.measures) {
    const list = points.get(measure.index);
    if (!list || new Set(list.map((p) => p.beats)).size < 2) continue;
    const meanBeats = list.reduce((s, p) => s + p.beats, 0) / list.length;
    const meanSec = list.reduce((s, p) => s + p.sec, 0) / list.length;
    let covariance = 0;
    let variance = 0;
    for (const p of list) {
      covariance += (p.beats - meanBeats) * (p.sec - meanSec);
      variance += (p.beats - meanBeats) ** 2;
    }
    const secPerBeat = covariance / variance;
    // A non-positive slope means the notes were played out of order (a restart): no tempo.
    if (!(secPerBeat > 0)) continue;
    out.push({ measureIndex: measure.index, measureNumber: measure.number, qpm: 60 / secPerBeat });
  }
  return out;
}

export function computeReview(score: Score, performance: Performance): LessonReview {
  const evaluation = evaluatePerformance(score, performance);
  return {
    evaluation,
    feedback: feedbackFor(score, performance, evaluation),
    tempoByBar: tempoByBar(score, performance, evaluation),
    writtenQpm: score.tempos[0]?.qpm ?? null,
  };
}
