/**
 * The figures every graded take shows the same way (practice result, history, lesson review):
 * the accuracy badge, the verdict counts and the timing errors.
 */
import type { AttemptSummary } from '../../../shared/evaluation';

export function formatMs(value: number | null): string {
  return value === null ? '–' : `${Math.round(value)} ms`;
}

export function formatPct(value: number): string {
  return `${Math.round(value * 1000) / 10} %`;
}

/** Colour band for an accuracy: the same thresholds as the legend. */
export function accuracyBand(accuracy: number): 'good' | 'fair' | 'poor' {
  if (accuracy >= 0.9) return 'good';
  if (accuracy >= 0.6) return 'fair';
  return 'poor';
}

export function SummaryHeadline({ summary: s }: { summary: AttemptSummary }) {
  return (
    <div className="result-headline">
      <div className={`accuracy-badge ${accuracyBand(s.accuracy)}`}>
        <span className="big" data-testid="result-accuracy">
          {formatPct(s.accuracy)}
        </span>
        <span>accuracy</span>
      </div>
      <dl className="result-counts">
        <div className="correct">
          <dt>Correct</dt>
          <dd data-testid="result-correct">{s.correct}</dd>
        </div>
        <div className="wrong">
          <dt>Wrong</dt>
          <dd data-testid="result-wrong">{s.wrong}</dd>
        </div>
        <div className="missed">
          <dt>Missed</dt>
          <dd data-testid="result-missed">{s.missed}</dd>
        </div>
        <div className="extra">
          <dt>Extra</dt>
          <dd data-testid="result-extra">{s.extra}</dd>
        </div>
        <div>
          <dt>Timing (mean)</dt>
          <dd>{formatMs(s.meanAbsTimingErrorMs)}</dd>
        </div>
        <div>
          <dt>Timing (p90)</dt>
          <dd>{formatMs(s.p90AbsTimingErrorMs)}</dd>
        </div>
      </dl>
    </div>
  );
}
