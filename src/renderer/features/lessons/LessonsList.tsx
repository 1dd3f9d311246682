import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import type { PieceRecord } from '../../../shared/api';
import type { LessonRecord, LessonStatus } from '../../../shared/lessons';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useRoute } from '../../app/routeStore';
import { fileToBase64 } from '../library/fileData';
import { BUNDLE_FILE_ACCEPT, LESSON_FILE_ACCEPT } from './download';

const STATUS_LABEL: Record<LessonStatus, string> = {
  pending: 'Queued',
  transcribing: 'Transcribing',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The current profile's lessons, newest first, with import and the background-job controls. */
export function LessonsList({ profileId }: { profileId: number }) {
  const navigate = useRoute((s) => s.navigate);
  const [lessons, setLessons] = useState<LessonRecord[] | null>(null);
  const [pieces, setPieces] = useState<PieceRecord[]>([]);
  const [pieceId, setPieceId] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lessonInput = useRef<HTMLInputElement>(null);
  const bundleInput = useRef<HTMLInputElement>(null);

  const reload = async (): Promise<void> => {
    try {
      const [list, lib] = await Promise.all([api.invoke('lessons.list', { profileId }), api.invoke('library.list', {})]);
      setLessons(list);
      setPieces(lib);
    } catch (e) {
      setError(describeError(e));
    }
  };

  useEffect(() => {
    setLessons(null);
    void reload();
    // Job progress arrives pushed; a finished job also brings a new accuracy, so reload then.
    return api.on('lessons.progress', (p) => {
      setLessons((list) => list?.map((l) => (l.id === p.lessonId ? { ...l, progress: p.progress, status: p.status, error: p.error ?? l.error } : l)) ?? null);
      if (p.stage === 'done' || p.stage === 'failed' || p.stage === 'cancelled') void reload();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload reads only profileId
  }, [profileId]);

  const run = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
      await reload();
    } catch (e) {
      setError(`${what}: ${describeError(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const onLessonFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    void run(`Could not import ${file.name}`, async () => {
      const lesson = await api.invoke('lessons.import', {
        profileId,
        ...(pieceId ? { pieceId: Number(pieceId) } : {}),
        fileName: file.name,
        dataBase64: await fileToBase64(file),
      });
      setNotice(`Imported “${lesson.title}”.`);
    });
  };

  const onBundleFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    void run(`Could not import the bundle ${file.name}`, async () => {
      const lesson = await api.invoke('lessons.importBundle', { dataBase64: await fileToBase64(file) });
      setNotice(lesson.profileId === profileId ? `Imported “${lesson.title}”.` : `Imported “${lesson.title}” for its own student (switch profile to see it).`);
    });
  };

  const titleOf = (id: number | null): string => (id === null ? 'No score' : (pieces.find((p) => p.id === id)?.title ?? `Piece ${id}`));

  return (
    <section className="page" aria-labelledby="lessons-title">
      <header className="page-header">
        <h1 id="lessons-title">Lessons</h1>
        <div className="actions lesson-import">
          <label>
            Score
            <select value={pieceId} onChange={(e) => setPieceId(e.target.value)} data-testid="lesson-score">
              <option value="">None (attach later)</option>
              {pieces.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </label>
          <input ref={lessonInput} id="lesson-file" type="file" accept={LESSON_FILE_ACCEPT} className="visually-hidden" onChange={onLessonFile} />
          <button type="button" className="primary" disabled={busy} onClick={() => lessonInput.current?.click()}>
            {busy ? 'Importing…' : 'Import recording (MIDI or audio)…'}
          </button>
          <input ref={bundleInput} id="lesson-bundle-file" type="file" accept={BUNDLE_FILE_ACCEPT} className="visually-hidden" onChange={onBundleFile} />
          <button type="button" disabled={busy} onClick={() => bundleInput.current?.click()}>
            Import bundle…
          </button>
        </div>
      </header>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      {lessons === null && !error && <p className="muted">Loading…</p>}
      {lessons?.length === 0 && <p className="muted">No lessons yet. Import a MIDI file (.mid) or a recording (.wav, .flac, .mp3, .ogg), with the score it was played from.</p>}
      {lessons && lessons.length > 0 && (
        <table className="history-table lessons-table" data-testid="lessons">
          <thead>
            <tr>
              <th scope="col">Lesson</th>
              <th scope="col">Date</th>
              <th scope="col">Source</th>
              <th scope="col">Score</th>
              <th scope="col">Status</th>
              <th scope="col">Accuracy</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lessons.map((l) => (
              <tr key={l.id} data-testid="lesson-row">
                <td>
                  <button type="button" className="link-button nowrap" disabled={l.status !== 'ready'} onClick={() => navigate({ name: 'lessons', lessonId: l.id })}>
                    {l.title}
                  </button>
                </td>
                <td className="nowrap">{new Date(l.createdAt).toLocaleString()}</td>
                <td>{l.sourceKind === 'midi' ? 'MIDI' : 'Audio'}</td>
                <td>{titleOf(l.pieceId)}</td>
                <td data-testid="lesson-status" className="nowrap">
                  {STATUS_LABEL[l.status]}
                  {(l.status === 'pending' || l.status === 'transcribing') && ` · ${Math.round(l.progress * 100)} %`}
                  {(l.status === 'pending' || l.status === 'transcribing') && (
                    <progress className="lesson-progress" max={1} value={l.progress} aria-label={`${l.title} transcription progress`}>
                      {Math.round(l.progress * 100)} %
                    </progress>
                  )}
                  {l.error && <div className="muted small">{l.error}</div>}
                </td>
                <td>{l.accuracy === null ? '–' : `${Math.round(l.accuracy * 1000) / 10} %`}</td>
                <td className="row-actions">
                  {(l.status === 'pending' || l.status === 'transcribing') && (
                    <button type="button" className="link-button" onClick={() => void run('Could not cancel', () => api.invoke('lessons.cancel', { lessonId: l.id }))}>
                      Cancel
                    </button>
                  )}
                  {(l.status === 'failed' || l.status === 'cancelled') && l.sourceKind === 'audio' && (
                    <button type="button" className="link-button" onClick={() => void run('Could not retry', () => api.invoke('lessons.retry', { lessonId: l.id }))}>
                      Retry
                    </button>
                  )}
                  <button
                    type="button"
                    className="link-button danger"
                    aria-label={`Delete ${l.title}`}
                    onClick={() => {
                      if (window.confirm(`Delete the lesson "${l.title}", its recording and comments?`)) void run('Could not delete', () => api.invoke('lessons.delete', { lessonId: l.id }));
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
