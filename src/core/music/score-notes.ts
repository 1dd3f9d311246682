/** Helpers shared by the importers: note ordering and tie-chain merging. */
import type { ScoreNote } from '../../shared/score';

const TIE_TOLERANCE_BEATS = 1e-4;

/** A note on its way into a Score, with the tie flags and written order the importer needs. */
export interface PendingNote {
  note: ScoreNote;
  tieStart: boolean;
  tieStop: boolean;
  /** Written order; breaks ties between grace notes that share an onset. */
  order: number;
}

/**
 * Playing order: onset, then grace notes before the note they ornament (they share its onset
 * and have zero duration) in written order, then pitch, then id for a deterministic result.
 */
export function comparePending(a: PendingNote, b: PendingNote): number {
  return (
    a.note.onsetBeats - b.note.onsetBeats ||
    Number(b.note.grace) - Number(a.note.grace) ||
    (a.note.grace ? a.order - b.order : 0) ||
    a.note.pitch - b.note.pitch ||
    (a.note.id < b.note.id ? -1 : a.note.id > b.note.id ? 1 : 0)
  );
}

/** Same order for finished notes (no written order: graces fall back to pitch). */
export function compareScoreNotes(a: ScoreNote, b: ScoreNote): number {
  return comparePending({ note: a, tieStart: false, tieStop: false, order: 0 }, { note: b, tieStart: false, tieStop: false, order: 0 });
}

/**
 * Merges tie chains (in playing order) into their first, struck note: its duration grows to
 * cover the chain and tiedDisplayBeats lists the written pieces. A tie-stop note whose
 * predecessor was not played on this pass (e.g. across a volta) stays a struck note.
 */
export function mergeTies(pending: PendingNote[]): PendingNote[] {
  const sorted = [...pending].sort((a, b) => a.note.onsetBeats - b.note.onsetBeats || a.order - b.order);
  const open = new Map<string, { note: ScoreNote; pieces: number[] }>();
  const kept: PendingNote[] = [];
  for (const item of sorted) {
    const { note } = item;
    const key = `${note.partId}:${note.pitch}`;
    const chain = item.tieStop ? open.get(key) : undefined;
    if (chain && Math.abs(chain.note.onsetBeats + chain.note.durationBeats - note.onsetBeats) < TIE_TOLERANCE_BEATS) {
      chain.note.durationBeats = Math.round((chain.note.durationBeats + note.durationBeats) * 1e6) / 1e6;
      chain.pieces.push(note.durationBeats);
      chain.note.tiedDisplayBeats = [...chain.pieces];
      if (!item.tieStart) open.delete(key);
      continue;
    }
    kept.push(item);
    if (item.tieStart) open.set(key, { note, pieces: [note.durationBeats] });
    else open.delete(key);
  }
  return kept;
}
