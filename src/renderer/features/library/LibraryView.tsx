import { useEffect, useRef } from 'react';
import type { ChangeEvent } from 'react';
import type { PieceRecord } from '../../../shared/api';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useRoute } from '../../app/routeStore';
import { SCORE_FILE_ACCEPT } from './fileData';
import { useLibrary } from './libraryStore';
import { groupPieces } from './pieceGroups';

export function LibraryView() {
  const { pieces, loaded, busy, error, lastImported, load, importFile, remove, dismissError } = useLibrary();
  const navigate = useRoute((s) => s.navigate);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const onFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    e.target.value = ''; // picking the same file again must fire change again
    if (file) void importFile(file);
  };

  const confirmDelete = (piece: PieceRecord): void => {
    if (window.confirm(`Delete "${piece.title}" and its practice history?`)) void remove(piece.id);
  };

  return (
    <section className="page" aria-labelledby="library-title">
      <header className="page-header">
        <h1 id="library-title">Library</h1>
        <div className="actions">
          <input ref={fileInput} id="import-file" type="file" accept={SCORE_FILE_ACCEPT} className="visually-hidden" onChange={onFile} />
          <button type="button" className="primary" disabled={busy} onClick={() => fileInput.current?.click()}>
            {busy ? 'Importing…' : 'Import MusicXML or MIDI…'}
          </button>
        </div>
      </header>
      <ErrorBanner message={error} onDismiss={dismissError} />
      {lastImported && (
        <div className="banner banner-ok" role="status">
          Imported “{lastImported}”.
        </div>
      )}
      {!loaded && <p className="muted">Loading…</p>}
      {loaded && pieces.length === 0 && <p className="muted">The library is empty. Import a MusicXML (.musicxml, .xml, .mxl) or MIDI file.</p>}
      {groupPieces(pieces).map((group) => (
        <section key={group.category} className="piece-group" aria-label={group.category}>
          <h2>{group.category}</h2>
          <ul className="piece-list">
            {group.pieces.map((p) => (
              <li key={p.id} className="piece-row" data-testid="piece-row">
                <button type="button" className="piece-open" onClick={() => navigate({ name: 'practice', pieceId: p.id })}>
                  <span className="piece-title">{p.title}</span>
                  <span className="muted">
                    {p.origin === 'import' ? `${p.composer || 'Unknown composer'} · ` : ''}
                    {p.measureCount} bars · {p.noteCount} notes
                  </span>
                </button>
                <Difficulty level={p.difficulty} />
                <button type="button" className="link-button" onClick={() => navigate({ name: 'progress', pieceId: p.id, attemptId: null })}>
                  History
                </button>
                <button type="button" className="link-button danger" onClick={() => confirmDelete(p)} aria-label={`Delete ${p.title}`}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function Difficulty({ level }: { level: number | null }) {
  if (level === null) return <span className="difficulty unknown" title="Difficulty not rated yet">Level ?</span>;
  return (
    <span className={`difficulty level-${Math.min(3, Math.ceil(level / 3))}`} title={`Difficulty ${level} of 9`}>
      Level {level}
    </span>
  );
}
