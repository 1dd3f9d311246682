import type { Hand, Score } from '../../shared/score';
import type { HandsSelection } from '../../shared/practice';
import { AppError } from '../../shared/errors';

/**
 * An onset slot: the score notes (of the selected hands and loop range) that start together.
 * Followers and graders reason in slots because a chord is one musical event even when it is
 * played slightly arpeggiated.
 */
export interface OnsetSlot {
  index: number;
  beats: number;
  /** Written-tempo seconds of the slot (earliest note). */
  sec: number;
  measureIndex: number;
  /** Indices into `score.notes`. */
  noteIndices: number[];
  /** Notes the player must press (grace notes are optional). */
  requiredCount: number;
  /**
   * Same-pitch duplicates written in another voice ([twin, primary] score note indices): one key
   * press plays both, so they are left out of noteIndices and share their primary's verdict.
   */
  twins: [number, number][];
}

export interface NoteSelection {
  hands: HandsSelection;
  loop: { fromMeasure: number; toMeasure: number } | null;
}

export interface SlottedScore {
  score: Score;
  slots: OnsetSlot[];
  /** Slot index per score note, -1 for notes outside the selection. */
  slotOfNote: Int32Array;
  /** For each MIDI pitch 0..127, the slots containing it, ascending (for relocation search). */
  slotsByPitch: number[][];
  /** Written seconds from the first selected measure start to the last selected measure end. */
  spanStartSec: number;
  spanEndSec: number;
}

const SAME_ONSET_BEATS = 1e-6;

export function handMatches(hands: HandsSelection, hand: Hand): boolean {
  return hands === 'both' || hands === hand;
}

/** Builds the slot model of the selected notes. Throws AppError on an invalid loop range. */
export function slotScore(score: Score, selection: NoteSelection): SlottedScore {
  const { loop, hands } = selection;
  if (loop) {
    const last = score.measures.length - 1;
    if (loop.fromMeasure < 0 || loop.toMeasure > last || loop.fromMeasure > loop.toMeasure) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `loop ${loop.fromMeasure}..${loop.toMeasure} is outside the score's measures 0..${last}`,
      );
    }
  }
  const slotOfNote = new Int32Array(score.notes.length).fill(-1);
  const order: number[] = [];
  score.notes.forEach((note, i) => {
    if (!handMatches(hands, note.hand)) return;
    if (loop && (note.measureIndex < loop.fromMeasure || note.measureIndex > loop.toMeasure)) return;
    order.push(i);
  });
  // score.notes is documented sorted by onset, but a stable sort here keeps us safe for free.
  order.sort((a, b) => score.notes[a]!.onsetBeats - score.notes[b]!.onsetBeats || a - b);

  const slots: OnsetSlot[] = [];
  for (const i of order) {
    const note = score.notes[i]!;
    const current = slots[slots.length - 1];
    if (current && Math.abs(note.onsetBeats - current.beats) < SAME_ONSET_BEATS) {
      // A grace note on the pitch of its main note is a second key press, not a twin; so is a
      // grace note repeating a pitch of its own voice's grace run (a cadenza written on one
      // beat: Batik K. 457/2 bar 51 plays 44, 46, 86, 82 and 80 twice each).
      const primary = current.noteIndices.find((k) => {
        const other = score.notes[k]!;
        return other.pitch === note.pitch && other.grace === note.grace && !(note.grace && other.voice === note.voice);
      });
      if (primary !== undefined) {
        current.twins.push([i, primary]);
        slotOfNote[i] = slots.length - 1;
        continue;
      }
      current.noteIndices.push(i);
      current.sec = Math.min(current.sec, note.onsetSec);
      if (!note.grace) current.requiredCount++;
    } else {
      slots.push({
        index: slots.length,
        beats: note.onsetBeats,
        sec: note.onsetSec,
        measureIndex: note.measureIndex,
        noteIndices: [i],
        requiredCount: note.grace ? 0 : 1,
        twins: [],
      });
    }
    slotOfNote[i] = slots.length - 1;
  }

  const slotsByPitch: number[][] = Array.from({ length: 128 }, () => []);
  for (const slot of slots) {
    for (const i of slot.noteIndices) {
      const list = slotsByPitch[score.notes[i]!.pitch & 127]!;
      if (list[list.length - 1] !== slot.index) list.push(slot.index);
    }
  }

  const fromMeasure = loop ? loop.fromMeasure : 0;
  const toMeasure = loop ? loop.toMeasure : score.measures.length - 1;
  const first = score.measures[fromMeasure];
  const lastMeasure = score.measures[toMeasure];
  const lastSlot = slots[slots.length - 1];
  const spanStartSec = first ? first.startSec : (slots[0]?.sec ?? 0);
  let spanEndSec = lastSlot ? lastSlot.sec : spanStartSec;
  if (lastMeasure) {
    const next = score.measures[toMeasure + 1];
    const end = next ? next.startSec : measureEndSec(score, toMeasure);
    spanEndSec = Math.max(spanEndSec, end);
  }
  return { score, slots, slotOfNote, slotsByPitch, spanStartSec, spanEndSec };
}

/** The last slot starting at or before `writtenSec` (the first slot before the start); binary search. */
export function slotAtWrittenSec(slotted: SlottedScore, writtenSec: number): OnsetSlot {
  const { slots } = slotted;
  let lo = 0;
  let hi = slots.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (slots[mid]!.sec <= writtenSec) lo = mid;
    else hi = mid - 1;
  }
  return slots[lo]!;
}

/** End of the last measure in seconds, from its beats and the last tempo before it. */
function measureEndSec(score: Score, measureIndex: number): number {
  const m = score.measures[measureIndex]!;
  let qpm = 120;
  for (const t of score.tempos) if (t.beats <= m.startBeats) qpm = t.qpm;
  return m.startSec + (m.durationBeats * 60) / qpm;
}
