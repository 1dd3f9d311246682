/**
 * Same-key twins: two score notes of one pitch written at one beat (two voices sharing a key, or
 * a grace note on another voice's main note). One press plays both, so the take cannot say which
 * of the two it stands for, and the other cannot be "missed" on its own. The ground truth still
 * has to pick: nASAP pairs the press with either note (about half each way) and annotates the
 * other as a deletion. These helpers let the evaluation accept either choice (turned off with
 * EXACT_LABELS=1, which restores the strict labels).
 */
import type { Score } from '../src/shared/score';

export const exactLabels = (): boolean => Boolean(process.env.EXACT_LABELS);

/** pitch@beat of each score note: notes with the same key are twins of one another. */
export function twinKeys(score: Score): Map<string, string> {
  return new Map(score.notes.map((n) => [n.id, `${n.pitch}@${n.onsetBeats}`]));
}

/** True when a press given to `ours` instead of the ground truth's `truth` plays the same key at the same beat. */
export function sameKeyTwin(keys: Map<string, string>): (ours: string, truth: string) => boolean {
  return (ours, truth) => {
    const a = keys.get(ours);
    return a !== undefined && a === keys.get(truth);
  };
}

/**
 * The labelled-missed notes whose twin is still played in the take: the press that plays the twin
 * plays them too, so "missed" is not a mistake a student made (nor one a grader can report).
 * `played` = the score notes that keep their press in the final take.
 */
export function deletedTwinsOfPlayed(keys: Map<string, string>, missed: Iterable<string>, played: Iterable<string>): Set<string> {
  const playedKeys = new Set<string>();
  for (const id of played) {
    const key = keys.get(id);
    if (key !== undefined) playedKeys.add(key);
  }
  const out = new Set<string>();
  for (const id of missed) {
    const key = keys.get(id);
    if (key !== undefined && playedKeys.has(key)) out.add(id);
  }
  return out;
}
