import { useEffect, useState } from 'react';
import type { PieceRecord } from '../../../shared/api';
import type { AttemptDetail, AttemptRecord } from '../../../shared/practice';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useRoute } from '../../app/routeStore';
import { ResultPanel } from '../practice/ResultPanel';
import { accuracyBand } from '../results/SummaryHeadline';
import { AttemptScore } from './AttemptScore';

interface Props {
  profileId: number;
  pieceId: number | null;
  attemptId: number | null;
}

/** Progress: the profile's attempts (optionally for one piece), newest first; one opens in detail. */
export function HistoryView({ profileId, pieceId, attemptId }: Props) {
  const navigate = useRoute((s) => s.navigate);
  const [attempts, setAttempts] = useState<AttemptRecord[] | null>(null);
  const [pieces, setPieces] = useState<PieceRecord[]>([]);
  const [detail, setDetail] = useState<AttemptDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setAttempts(null);
    Promise.all([api.invoke('attempts.list', pieceId ? { profileId, pieceId } : { profileId }), api.invoke('library.list', {})])
      .then(([list, lib]) => {
        if (!live) return;
        setAttempts([...list].sort((a, b) => b.startedAt - a.startedAt));
        setPieces(lib);
      })
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [profileId, pieceId]);

  useEffect(() => {
    let live = true;
    setDetail(null);
    if (attemptId)
      api
        .invoke('attempts.get', { attemptId })
        .then((d) => live && setDetail(d))
        .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [attemptId]);

  const titleOf = (id: number): string => pieces.find((p) => p.id === id)?.title ?? `Piece ${id}`;

  if (attemptId) {
    return (
      <section className="page" aria-labelledby="attempt-title">
        <header className="page-header">
          <h1 id="attempt-title">{detail ? titleOf(detail.pieceId) : 'Attempt'}</h1>
          <div className="actions">
            <button type="button" className="link-button" onClick={() => navigate({ name: 'progress', pieceId: detail?.pieceId ?? null, attemptId: null })}>
              ← All attempts
            </button>
            {detail && (
              <button type="button" className="primary" onClick={() => navigate({ name: 'practice', pieceId: detail.pieceId })}>
                Practise again
              </button>
            )}
          </div>
        </header>
        <ErrorBanner message={error} />
        {detail ? (
          <>
            <ResultPanel attempt={detail} />
            <AttemptScore pieceId={detail.pieceId} verdicts={detail.verdicts} />
          </>
        ) : (
          !error && <p className="muted">Loading…</p>
        )}
      </section>
    );
  }

  return (
    <section className="page" aria-labelledby="history-title">
      <header className="page-header">
        <h1 id="history-title">Progress</h1>
        <label className="actions">
          Piece
          <select
            value={pieceId ?? ''}
            onChange={(e) => navigate({ name: 'progress', pieceId: e.target.value ? Number(e.target.value) : null, attemptId: null })}
            data-testid="history-piece"
          >
            <option value="">All pieces</option>
            {pieces.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
      </header>
      <ErrorBanner message={error} />
      {attempts === null && !error && <p className="muted">Loading…</p>}
      {attempts?.length === 0 && <p className="muted">No attempts yet{pieceId ? ' for this piece' : ''}. Practise a piece to see it here.</p>}
      {attempts && attempts.length > 0 && (
        <table className="history-table" data-testid="history">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Piece</th>
              <th scope="col">Mode</th>
              <th scope="col">Accuracy</th>
              <th scope="col">Correct / wrong / missed / extra</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr key={a.id} data-testid="history-row">
                <td>
                  <button type="button" className="link-button" onClick={() => navigate({ name: 'progress', pieceId, attemptId: a.id })}>
                    {new Date(a.startedAt).toLocaleString()}
                  </button>
                </td>
                <td>{titleOf(a.pieceId)}</td>
                <td>{a.mode === 'wait' ? 'Wait' : 'Play-through'}</td>
                <td className={`band-${accuracyBand(a.accuracy)}`}>{Math.round(a.accuracy * 1000) / 10} %</td>
                <td>
                  {a.summary.correct} / {a.summary.wrong} / {a.summary.missed} / {a.summary.extra}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
