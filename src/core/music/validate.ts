/** Invariants every imported Score must satisfy; used by tests and the import report. */
import type { Score } from '../../shared/score';

/** Returns the first broken invariant, or null when the score is well formed. */
export function findScoreProblem(score: Score): string | null {
  if (score.notes.length === 0) return 'no notes';
  if (score.measures.length === 0) return 'no measures';
  const ids = new Set<string>();
  let previous = -Infinity;
  for (const note of score.notes) {
    const values = [note.onsetBeats, note.durationBeats, note.onsetSec, note.durationSec];
    if (values.some((v) => !Number.isFinite(v))) return `note ${note.id}: non-finite time`;
    if (note.onsetBeats < previous) return `note ${note.id}: onsets not sorted`;
    previous = note.onsetBeats;
    if (note.durationBeats < 0 || note.durationSec < 0) return `note ${note.id}: negative duration`;
    if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch > 127) return `note ${note.id}: pitch ${note.pitch}`;
    const measure = score.measures[note.measureIndex];
    if (measure === undefined) return `note ${note.id}: measure index ${note.measureIndex} out of range`;
    const tolerance = 1e-4;
    if (note.onsetBeats < measure.startBeats - tolerance || note.onsetBeats > measure.startBeats + measure.durationBeats + tolerance) {
      return `note ${note.id}: onset ${note.onsetBeats} outside measure ${measure.number}`;
    }
    if (ids.has(note.id)) return `duplicate note id ${note.id}`;
    ids.add(note.id);
  }
  let end = 0;
  for (const [index, measure] of score.measures.entries()) {
    if (measure.index !== index) return `measure ${index}: wrong index`;
    if (Math.abs(measure.startBeats - end) > 1e-4) return `measure ${measure.number}: gap before it`;
    if (!(measure.durationBeats > 0)) return `measure ${measure.number}: empty duration`;
    end = measure.startBeats + measure.durationBeats;
  }
  if (score.tempos.length === 0 || score.tempos.some((t) => !(t.qpm > 0))) return 'invalid tempo map';
  return null;
}
