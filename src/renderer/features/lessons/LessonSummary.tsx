import type { LessonAnnotation, LessonReview } from '../../../shared/lessons';
import { accuracyBand, formatMs, formatPct, SummaryHeadline } from '../results/SummaryHeadline';

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
          <table className="bars-table" data-testid="lesson-bars">
            <thead>
              <tr>
                <th scope="col">Bar</th>
                <th scope="col">Accuracy</th>
                <th scope="col">Correct</th>
                <th scope="col">Wrong</th>
                <th scope="col">Missed</th>
                <th scope="col">Extra</th>
                <th scope="col">Timing</th>
                <th scope="col">Tempo</th>
              </tr>
            </thead>
            <tbody>
              {s.bars.map((b) => (
                <tr key={b.measureIndex} className={`band-${accuracyBand(b.accuracy)}`}>
                  <th scope="row">
                    {b.measureNumber}
                    {annotated.has(b.measureIndex) && <span title="has a comment"> ✎</span>}
                  </th>
                  <td>{formatPct(b.accuracy)}</td>
                  <td className="correct">{b.correct}</td>
                  <td className={b.wrong ? 'wrong' : ''}>{b.wrong}</td>
                  <td className={b.missed ? 'missed' : ''}>{b.missed}</td>
                  <td className={b.extra ? 'extra' : ''}>{b.extra}</td>
                  <td>{formatMs(b.meanAbsTimingErrorMs)}</td>
                  <td>{tempo.has(b.measureIndex) ? `${Math.round(tempo.get(b.measureIndex) ?? 0)} qpm` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}
