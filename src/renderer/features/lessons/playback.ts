/**
 * Pure logic of review playback: where in the score a moment of the recording is (time → written
 * beats, from the alignment's matched notes), what a click on a note plays, which notes the
 * simple synth starts in a window, and the clock text.
 */
import type { NoteVerdict } from '../../../shared/evaluation';
import type { PerformedNote } from '../../../shared/performance';
import type { ScoreNote } from '../../../shared/score';

/** A matched pair: this moment of the recording played this written position. */
export interface TimeAnchor {
  sec: number;
  beats: number;
}

/**
 * Anchors from every score note the alignment matched (correct or wrong pitch), sorted by time.
 * Notes struck together (a chord) collapse to one anchor at their mean time and earliest beat;
 * grace notes are left out (they are written at their main note's beat but played before it).
 */
export function timeAnchors(scoreNotes: readonly ScoreNote[], played: readonly PerformedNote[], verdicts: readonly NoteVerdict[]): TimeAnchor[] {
  const notesById = new Map(scoreNotes.map((n) => [n.id, n]));
  const byBeat = new Map<number, { sum: number; count: number }>();
  for (const v of verdicts) {
    if (v.scoreNoteId === null || v.performanceIndex === null) continue;
    const note = notesById.get(v.scoreNoteId);
    const p = played[v.performanceIndex];
    if (!note || !p || note.grace) continue;
    const entry = byBeat.get(note.onsetBeats) ?? { sum: 0, count: 0 };
    entry.sum += p.onsetSec;
    entry.count += 1;
    byBeat.set(note.onsetBeats, entry);
  }
  return [...byBeat.entries()].map(([beats, e]) => ({ sec: e.sum / e.count, beats })).sort((a, b) => a.sec - b.sec || a.beats - b.beats);
}

/**
 * The written position (beats) being played at `sec`: linear between the anchors around it, held
 * at the ends. Null without anchors. A restart makes the beats go back, as the student did.
 */
export function beatsAtTime(anchors: readonly TimeAnchor[], sec: number): number | null {
  const first = anchors[0];
  const last = anchors[anchors.length - 1];
  if (!first || !last) return null;
  if (sec <= first.sec) return first.beats;
  if (sec >= last.sec) return last.beats;
  // Binary search for the last anchor at or before `sec`.
  let lo = 0;
  let hi = anchors.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((anchors[mid]?.sec ?? 0) <= sec) lo = mid;
    else hi = mid;
  }
  const a = anchors[lo] ?? first;
  const b = anchors[hi] ?? last;
  const span = b.sec - a.sec;
  return span <= 0 ? b.beats : a.beats + ((sec - a.sec) / span) * (b.beats - a.beats);
}

/** What clicking a note plays: from its onset to its end, at least long enough to be heard. */
export const MIN_CLIP_SEC = 0.6;
export function clipFor(startSec: number, endSec: number, durationSec: number | null): { startSec: number; stopSec: number } {
  const start = Math.max(0, startSec);
  let stop = Math.max(endSec, start + MIN_CLIP_SEC);
  if (durationSec !== null && Number.isFinite(durationSec)) stop = Math.min(stop, durationSec);
  return { startSec: start, stopSec: stop };
}

/** Indices of the notes whose onset lies in [fromSec, toSec): what the synth schedules next. */
export function notesStartingIn(notes: readonly PerformedNote[], fromSec: number, toSec: number): number[] {
  const out: number[] = [];
  notes.forEach((n, i) => {
    if (n.onsetSec >= fromSec && n.onsetSec < toSec) out.push(i);
  });
  return out;
}

/** m:ss.t, e.g. 1:05.3 (tenths: a note is a fraction of a second). */
export function formatClock(sec: number): string {
  const safe = Number.isFinite(sec) && sec > 0 ? sec : 0;
  const tenths = Math.floor(safe * 10);
  const minutes = Math.floor(tenths / 600);
  const rest = (tenths % 600) / 10;
  return `${minutes}:${rest.toFixed(1).padStart(4, '0')}`;
}

/** Equal-tempered frequency of a MIDI pitch (A4 = 69 = 440 Hz). */
export const pitchHz = (pitch: number): number => 440 * 2 ** ((pitch - 69) / 12);
