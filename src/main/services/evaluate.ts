/** Offline grading of a whole performance against a score: core/follow alignment, then core/evaluate grading. */
import type { EvaluationResult } from '../../shared/evaluation';
import type { Performance } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { alignPerformance } from '../../core/follow/align';
import { gradePerformance } from '../../core/evaluate/grade';

export function evaluatePerformance(score: Score, performance: Performance): EvaluationResult {
  return gradePerformance(score, performance, alignPerformance(score, performance));
}
