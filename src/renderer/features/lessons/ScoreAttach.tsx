import { useEffect, useState } from 'react';
import type { PieceRecord } from '../../../shared/api';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';

/** Picks the library piece a lesson is graded against; attaching re-reviews the lesson on the server. */
export function ScoreAttach({ pieceId, onAttach }: { pieceId: number | null; onAttach(pieceId: number | null): Promise<void> }) {
  const [pieces, setPieces] = useState<PieceRecord[]>([]);
  const [choice, setChoice] = useState(pieceId === null ? '' : String(pieceId));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .invoke('library.list', {})
      .then((list) => live && setPieces(list))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => setChoice(pieceId === null ? '' : String(pieceId)), [pieceId]);

  const changed = choice !== (pieceId === null ? '' : String(pieceId));
  return (
    <form
      className="actions score-attach"
      onSubmit={(e) => {
        e.preventDefault();
        void onAttach(choice ? Number(choice) : null);
      }}
    >
      <label>
        Graded against
        <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="attach-score">
          <option value="">No score</option>
          {pieces.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!changed}>
        {choice ? 'Attach' : 'Detach'}
      </button>
      {error && <span className="wrong">{error}</span>}
    </form>
  );
}
