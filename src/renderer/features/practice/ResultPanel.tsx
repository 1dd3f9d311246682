import type { AttemptRecord } from '../../../shared/practice';
import { BarsTable } from '../results/BarsTable';
import { SummaryHeadline } from '../results/SummaryHeadline';
import { AttemptRecordingPlayer } from '../live/AttemptRecordingPlayer';
import { SendToLessons } from './SendToLessons';

export function ResultPanel({ attempt }: { attempt: AttemptRecord }) {
  const s = attempt.summary;
  return (
    <section className="result" aria-label="Result" data-testid="result">
      <SummaryHeadline summary={s} />
      <p className="muted">
        {new Date(attempt.finishedAt).toLocaleString()} · {attempt.mode === 'wait' ? 'wait mode' : 'play-through'} · {attempt.hands === 'both' ? 'both hands' : `${attempt.hands} hand`} · tempo{' '}
        {Math.round(attempt.tempoFactor * 100)} % · {Math.round(s.durationSec)} s
      </p>
      <AttemptRecordingPlayer attemptId={attempt.id} />
      <SendToLessons attemptId={attempt.id} />
      {s.bars.length > 0 && (
        <BarsTable bars={s.bars} caption="Bar by bar" />
      )}
    </section>
  );
}
