import type { LessonAnnotation, LessonReview } from '../../../shared/lessons';
import { BarsTable } from '../results/BarsTable';
import { SummaryHeadline } from '../results/SummaryHeadline';

/** Summary figures, the ranked feedback and the bar-by-bar table (tempo and comment marks included). */
export function LessonSummary({ review, annotations }: { review: LessonReview; annotations: LessonAnnotation[] }) {
  const s = review.evaluation.summary;
  const tempo = new Map(review.tempoByBar.map((t) => [t.measureIndex, t.qpm]));
  const annotated = new Set(annotations.map((a) => a.measureIndex));
  return (
    <>
      <section className="result" aria-label="Result" data-testid="lesson-summary">
        <SummaryHeadline summary={s} />
        <p className="muted">
          {Math.round(s.durationSec)} s recorded{review.writtenQpm !== null ? ` · written tempo ${Math.round(review.writtenQpm)} qpm` : ''}
        </p>
      </section>
      <section className="lesson-panel" aria-labelledby="feedback-title">
        <h2 id="feedback-title">Feedback</h2>
        {review.feedback.length === 0 ? (
          <p className="muted">Nothing to point out: a clean take.</p>
        ) : (
          <ol className="feedback-list" data-testid="feedback">
            {review.feedback.map((f, i) => (
              <li key={i} className={`feedback-${f.kind}`}>
                {f.text}
              </li>
            ))}
          </ol>
        )}
      </section>
      {s.bars.length > 0 && (
        <details className="lesson-panel bars-details">
          <summary>Bar by bar ({s.bars.length} bars)</summary>
          <BarsTable
            bars={s.bars}
            testId="lesson-bars"
            barMark={(b) => annotated.has(b.measureIndex) && <span title="has a comment"> ✎</span>}
            extraColumn={{ header: 'Tempo', cell: (b) => (tempo.has(b.measureIndex) ? `${Math.round(tempo.get(b.measureIndex) ?? 0)} qpm` : '–') }}
          />
        </details>
      )}
    </>
  );
}
