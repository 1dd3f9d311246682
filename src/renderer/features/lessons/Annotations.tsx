import { useState } from 'react';
import type { FormEvent } from 'react';
import type { LessonAnnotation } from '../../../shared/lessons';
import type { Measure } from '../../../shared/score';

interface Props {
  annotations: LessonAnnotation[];
  measures: readonly Measure[];
  onAdd(measureIndex: number, text: string): Promise<boolean>;
  onDelete(annotationId: number): void;
}

/** Teacher comments anchored to bars: add (bar + text), listed in bar order, delete. */
export function Annotations({ annotations, measures, onAdd, onDelete }: Props) {
  const [measureIndex, setMeasureIndex] = useState(0);
  const [text, setText] = useState('');
  const numberOf = (i: number): string => measures[i]?.number ?? String(i + 1);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!text.trim()) return;
    void onAdd(measureIndex, text.trim()).then((ok) => ok && setText(''));
  };

  const sorted = [...annotations].sort((a, b) => a.measureIndex - b.measureIndex || a.createdAt - b.createdAt);
  return (
    <section className="lesson-panel" aria-labelledby="annotations-title">
      <h2 id="annotations-title">Comments</h2>
      {measures.length > 0 ? (
        <form className="inline-form annotation-form" onSubmit={submit}>
          <label>
            Bar
            <select value={measureIndex} onChange={(e) => setMeasureIndex(Number(e.target.value))} data-testid="annotation-bar">
              {measures.map((m, i) => (
                <option key={i} value={i}>
                  {m.number}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            Comment
            <input value={text} onChange={(e) => setText(e.target.value)} maxLength={5000} placeholder="e.g. keep the left hand lighter here" data-testid="annotation-text" />
          </label>
          <button type="submit" className="primary" disabled={!text.trim()}>
            Add comment
          </button>
        </form>
      ) : (
        <p className="muted">Attach a score to comment on its bars.</p>
      )}
      {sorted.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ul className="annotation-list" data-testid="annotations">
          {sorted.map((a) => (
            <li key={a.id} data-testid="annotation">
              <strong>Bar {numberOf(a.measureIndex)}</strong> <span>{a.text}</span>
              <button type="button" className="link-button danger" aria-label={`Delete comment on bar ${numberOf(a.measureIndex)}`} onClick={() => onDelete(a.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
