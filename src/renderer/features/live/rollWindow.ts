/**
 * Geometry of the live piano roll: which detected notes fall in the last few seconds and where
 * they sit in the SVG. Pure functions so the layout is tested without a browser.
 */
import type { NoteVerdictKind } from '../../../shared/evaluation';

export interface RollNote {
  pitch: number;
  /** Renderer clock (performance.now() ms) of the key press. */
  timeMs: number;
  verdict: NoteVerdictKind;
}

export interface PitchRange {
  low: number;
  high: number;
}

export interface RollBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Notes played within the window ending at `nowMs`, oldest first. */
export function visibleNotes(notes: readonly RollNote[], nowMs: number, windowMs: number): RollNote[] {
  return notes.filter((n) => n.timeMs >= nowMs - windowMs && n.timeMs <= nowMs);
}

/**
 * Pitch rows to draw: the played notes plus a margin, widened around their middle to at least
 * `minSpan` semitones so a few notes do not fill the whole height. Middle C area when empty.
 */
export function pitchRange(notes: readonly RollNote[], minSpan = 24): PitchRange {
  if (notes.length === 0) return { low: 60 - minSpan / 2, high: 60 + minSpan / 2 };
  let low = Math.min(...notes.map((n) => n.pitch)) - 2;
  let high = Math.max(...notes.map((n) => n.pitch)) + 2;
  if (high - low < minSpan) {
    const middle = (low + high) / 2;
    low = Math.round(middle - minSpan / 2);
    high = low + minSpan;
  }
  return { low: Math.max(0, low), high: Math.min(127, high) };
}

/** Box of one note: time runs left (oldest) to right (now); high pitches at the top. */
export function noteBox(note: RollNote, nowMs: number, windowMs: number, range: PitchRange, width: number, height: number, noteMs = 150): RollBox {
  const rows = range.high - range.low + 1;
  const rowHeight = height / rows;
  const x = ((note.timeMs - (nowMs - windowMs)) / windowMs) * width;
  const noteWidth = Math.max(3, (noteMs / windowMs) * width);
  return { x, y: (range.high - note.pitch) * rowHeight, width: Math.min(noteWidth, Math.max(0, width - x)), height: Math.max(1, rowHeight - 1) };
}
