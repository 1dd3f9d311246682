import { describe, expect, it } from 'vitest';
import type { RollNote } from './rollWindow';
import { noteBox, pitchRange, visibleNotes } from './rollWindow';

const note = (pitch: number, timeMs: number): RollNote => ({ pitch, timeMs, verdict: 'correct' });

describe('live piano roll geometry', () => {
  it('keeps only the notes of the last window', () => {
    const notes = [note(60, 1000), note(62, 5000), note(64, 9500), note(65, 12_000)];
    expect(visibleNotes(notes, 10_000, 8000).map((n) => n.pitch)).toEqual([62, 64]);
  });

  it('widens a narrow pitch spread to the minimum span around its middle', () => {
    const range = pitchRange([note(60, 0), note(64, 0)], 24);
    expect(range.high - range.low).toBe(24);
    expect(range.low).toBeLessThanOrEqual(58);
    expect(range.high).toBeGreaterThanOrEqual(66);
  });

  it('keeps a wide spread with a margin and stays inside MIDI pitches', () => {
    expect(pitchRange([note(21, 0), note(108, 0)])).toEqual({ low: 19, high: 110 });
    expect(pitchRange([note(1, 0), note(126, 0)])).toEqual({ low: 0, high: 127 });
  });

  it('places the newest note at the right edge and higher pitches higher', () => {
    const range = { low: 48, high: 72 };
    const now = 20_000;
    const newest = noteBox(note(72, now), now, 8000, range, 800, 250);
    const oldest = noteBox(note(48, now - 8000), now, 8000, range, 800, 250);
    expect(newest.x).toBeCloseTo(800);
    expect(oldest.x).toBeCloseTo(0);
    expect(newest.y).toBeLessThan(oldest.y);
    expect(newest.width).toBeGreaterThanOrEqual(0);
    expect(oldest.y + oldest.height).toBeLessThanOrEqual(250);
  });
});
