import type { AttemptRecord } from '../../../shared/practice';
import { accuracyBand, formatMs, formatPct, SummaryHeadline } from '../results/SummaryHeadline';

export function ResultPanel({ attempt }: { attempt: AttemptRecord }) {
  const s = attempt.summary;
  return (
    <section className="result" aria-label="Result" data-testid="result">
      <SummaryHeadline summary={s} />
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
                <td>{formatPct(b.accuracy)}</td>
                <td className="correct">{b.correct}</td>
                <td className={b.wrong ? 'wrong' : ''}>{b.wrong}</td>
                <td className={b.missed ? 'missed' : ''}>{b.missed}</td>
                <td className={b.extra ? 'extra' : ''}>{b.extra}</td>
                <td>{formatMs(b.meanAbsTimingErrorMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
