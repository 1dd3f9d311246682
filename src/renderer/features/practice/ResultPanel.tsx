import type { AttemptRecord } from '../../../shared/practice';

function ms(value: number | null): string {
  return value === null ? '–' : `${Math.round(value)} ms`;
}
function pct(value: number): string {
  return `${Math.round(value * 1000) / 10} %`;
}
/** Colour band for a bar's accuracy: the same thresholds as the legend. */
export function accuracyBand(accuracy: number): 'good' | 'fair' | 'poor' {
  if (accuracy >= 0.9) return 'good';
  if (accuracy >= 0.6) return 'fair';
  return 'poor';
}

export function ResultPanel({ attempt }: { attempt: AttemptRecord }) {
  const s = attempt.summary;
  return (
    <section className="result" aria-label="Result" data-testid="result">
      <div className="result-headline">
        <div className={`accuracy-badge ${accuracyBand(s.accuracy)}`}>
          <span className="big" data-testid="result-accuracy">
            {pct(s.accuracy)}
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
            <dd>{ms(s.meanAbsTimingErrorMs)}</dd>
          </div>
          <div>
            <dt>Timing (p90)</dt>
            <dd>{ms(s.p90AbsTimingErrorMs)}</dd>
          </div>
        </dl>
      </div>
      <p className="muted">
        {new Date(attempt.finishedAt).toLocaleString()} · {attempt.mode === 'wait' ? 'wait mode' : 'play-through'} · {attempt.hands === 'both' ? 'both hands' : `${attempt.hands} hand`} · tempo{' '}
        {Math.round(attempt.tempoFactor * 100)} % · {Math.round(s.durationSec)} s
      </p>
      {s.bars.length > 0 && (
        <table className="bars-table">
          <caption>Bar by bar</caption>
          <thead>
            <tr>
              <th scope="col">Bar</th>
              <th scope="col">Accuracy</th>
              <th scope="col">Correct</th>
              <th scope="col">Wrong</th>
              <th scope="col">Missed</th>
              <th scope="col">Extra</th>
              <th scope="col">Timing</th>
            </tr>
          </thead>
          <tbody>
            {s.bars.map((b) => (
              <tr key={b.measureIndex} className={`band-${accuracyBand(b.accuracy)}`}>
                <th scope="row">{b.measureNumber}</th>
                <td>{pct(b.accuracy)}</td>
                <td className="correct">{b.correct}</td>
                <td className={b.wrong ? 'wrong' : ''}>{b.wrong}</td>
                <td className={b.missed ? 'missed' : ''}>{b.missed}</td>
                <td className={b.extra ? 'extra' : ''}>{b.extra}</td>
                <td>{ms(b.meanAbsTimingErrorMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
