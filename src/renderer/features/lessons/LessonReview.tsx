import { useEffect, useMemo, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import type { MethodName } from '../../../shared/api';
import type { LessonDetail } from '../../../shared/lessons';
import type { Score } from '../../../shared/score';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useRoute } from '../../app/routeStore';
import type { LiveScore } from '../../score/liveScore';
import { AttemptScore } from '../history/AttemptScore';
import { Annotations } from './Annotations';
import { CompareTakes } from './CompareTakes';
import { saveExportedFile } from './download';
import { ScoreAttach } from './ScoreAttach';
import { timingPoints } from './geometry';
import { LessonSummary } from './LessonSummary';
import { PianoRoll } from './PianoRoll';
import { timeAnchors } from './playback';
import { PlaybackBar } from './PlaybackBar';
import { ScoreFollower, scoreNoteAt } from './ScoreFollower';
import { usePlayback } from './usePlayback';
import { TempoPlot, TimingPlot } from './Plots';

type ExportMethod = Extract<MethodName, 'lessons.exportMidi' | 'lessons.exportReport' | 'lessons.exportReportPdf' | 'lessons.exportBundle'>;
const EXPORTS: { method: ExportMethod; label: string }[] = [
  { method: 'lessons.exportReport', label: 'Report (HTML)' },
  { method: 'lessons.exportReportPdf', label: 'Report (PDF)' },
  { method: 'lessons.exportMidi', label: 'Performance (MIDI)' },
  { method: 'lessons.exportBundle', label: 'Lesson bundle' },
];

/** One lesson: the graded score, figures, feedback, piano roll, plots, comments and exports. */
export function LessonReview({ lessonId }: { lessonId: number }) {
  const navigate = useRoute((s) => s.navigate);
  const [detail, setDetail] = useState<LessonDetail | null>(null);
  const [score, setScore] = useState<Score | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<ExportMethod | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setDetail(null);
    setScore(null);
    api
      .invoke('lessons.get', { lessonId })
      .then(async (d) => {
        if (!live) return;
        setDetail(d);
        if (d.lesson.pieceId !== null) {
          const r = await api.invoke('library.getScore', { pieceId: d.lesson.pieceId });
          if (live) setScore(r.score);
        }
      })
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [lessonId]);

  const playback = usePlayback(detail);
  const liveRef = useRef<LiveScore | null>(null);
  const scoreBox = useRef<HTMLElement | null>(null);
  const anchors = useMemo(() => (detail?.performance && detail.review && score ? timeAnchors(score.notes, detail.performance.notes, detail.review.evaluation.verdicts) : []), [detail, score]);
  /** A click on a notehead plays the note that was played for it. */
  const playScoreNote = (e: MouseEvent): void => {
    const noteId = scoreNoteAt(e.target, e.clientY);
    const verdict = noteId ? detail?.review?.evaluation.verdicts.find((v) => v.scoreNoteId === noteId) : undefined;
    const played = verdict?.performanceIndex != null ? detail?.performance?.notes[verdict.performanceIndex] : undefined;
    if (played) playback.playClip(played.onsetSec, played.offsetSec);
  };

  const points = useMemo(() => (detail?.performance && detail.review ? timingPoints(detail.performance.notes, detail.review.evaluation.verdicts) : []), [detail]);

  const exportFile = async (method: ExportMethod): Promise<void> => {
    setExporting(method);
    setError(null);
    setSaved(null);
    try {
      const file = await api.invoke(method, { lessonId });
      saveExportedFile(file);
      setSaved(file.fileName);
    } catch (e) {
      setError(`Export failed: ${describeError(e)}`);
    } finally {
      setExporting(null);
    }
  };

  const attach = async (pieceId: number | null): Promise<void> => {
    setError(null);
    try {
      const d = await api.invoke('lessons.attachScore', { lessonId, pieceId });
      setScore(pieceId === null ? null : (await api.invoke('library.getScore', { pieceId })).score);
      setDetail(d);
    } catch (e) {
      setError(`Could not attach the score: ${describeError(e)}`);
    }
  };

  const addAnnotation = async (measureIndex: number, text: string): Promise<boolean> => {
    try {
      const a = await api.invoke('lessons.annotate', { lessonId, measureIndex, text });
      setDetail((d) => (d ? { ...d, annotations: [...d.annotations, a] } : d));
      return true;
    } catch (e) {
      setError(`Could not add the comment: ${describeError(e)}`);
      return false;
    }
  };
  const deleteAnnotation = (annotationId: number): void => {
    api
      .invoke('lessons.deleteAnnotation', { annotationId })
      .then(() => setDetail((d) => (d ? { ...d, annotations: d.annotations.filter((a) => a.id !== annotationId) } : d)))
      .catch((e: unknown) => setError(`Could not delete the comment: ${describeError(e)}`));
  };

  const review = detail?.review ?? null;
  return (
    <section className="page lesson-review" aria-labelledby="lesson-title">
      <header className="page-header">
        <div>
          <h1 id="lesson-title">{detail?.lesson.title ?? 'Lesson'}</h1>
          {detail && (
            <p className="muted">
              {new Date(detail.lesson.createdAt).toLocaleString()} · {detail.lesson.sourceKind === 'midi' ? 'MIDI' : 'audio'} · {detail.lesson.sourceFileName}
              {score ? ` · ${score.title}` : ''}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="button" className="link-button" onClick={() => navigate({ name: 'lessons', lessonId: null })}>
            ← All lessons
          </button>
        </div>
      </header>
      <div className="actions export-bar" role="group" aria-label="Export">
        <span className="muted">Export</span>
        {EXPORTS.map((x) => (
          <button key={x.method} type="button" disabled={!detail || exporting !== null} onClick={() => void exportFile(x.method)}>
            {exporting === x.method ? 'Exporting…' : x.label}
          </button>
        ))}
        {detail?.performance && <ScoreAttach pieceId={detail.lesson.pieceId} onAttach={attach} />}
        {saved && (
          <span role="status" className="muted">
            Saved {saved}
          </span>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {!detail && !error && <p className="muted">Loading…</p>}
      {detail && !review && (
        <p className="muted">{detail.performance ? 'No score is attached to this lesson, so there is nothing to grade against yet.' : 'This lesson has no notes yet (its transcription has not finished).'}</p>
      )}
      {detail && (detail.performance || detail.lesson.sourceKind === 'audio') && <PlaybackBar playback={playback} />}
      {detail && review && (
        <>
          <LessonSummary review={review} annotations={detail.annotations} />
          {detail.lesson.pieceId !== null && (
            <section className="lesson-panel score-panel" aria-label="Score with verdicts" ref={scoreBox} onClick={playScoreNote}>
              <h2>Score</h2>
              <AttemptScore pieceId={detail.lesson.pieceId} verdicts={review.evaluation.verdicts} liveRef={liveRef} />
              <ScoreFollower clock={playback.clock} anchors={anchors} liveRef={liveRef} viewport={scoreBox} />
            </section>
          )}
          {detail.performance && score && (
            <section className="lesson-panel" aria-labelledby="roll-title">
              <h2 id="roll-title">Piano roll</h2>
              <p className="muted small">
                Outlines: the score; filled: what was played. <span className="correct">correct</span> · <span className="wrong">wrong</span> · <span className="missed">missed</span> ·{' '}
                <span className="extra">extra</span>
              </p>
              <PianoRoll scoreNotes={score.notes} played={detail.performance.notes} verdicts={review.evaluation.verdicts} clock={playback.clock} onNoteClick={playback.playClip} />
            </section>
          )}
          <div className="plots">
            <section className="lesson-panel" aria-labelledby="tempo-title">
              <h2 id="tempo-title">Tempo per bar</h2>
              <TempoPlot tempo={review.tempoByBar} writtenQpm={review.writtenQpm} />
            </section>
            <section className="lesson-panel" aria-labelledby="timing-title">
              <h2 id="timing-title">Timing deviation</h2>
              <TimingPlot points={points} />
            </section>
          </div>
          {score && <CompareTakes detail={detail} score={score} />}
        </>
      )}
      {detail && <Annotations annotations={detail.annotations} measures={score?.measures ?? []} onAdd={addAnnotation} onDelete={deleteAnnotation} />}
    </section>
  );
}
