import { describe, expect, it } from 'vitest';
import { RelocationTracker } from './relocation';
import { slotScore } from './scoreSlots';
import { buildScore, seededRandom, type NoteSpec } from './testScores';

/**
 * 40 bars of quarter notes (120 qpm, 0.5 s a beat): bars 0–3 are a theme that returns at bars
 * 30–33; everything else is through-composed so only the theme is ambiguous.
 */
function returningTheme() {
  const theme = [60, 64, 67, 72, 71, 67, 65, 62, 64, 60, 62, 59, 60, 67, 64, 60];
  const notes: NoteSpec[] = [];
  const random = seededRandom(7);
  for (let b = 0; b < 160; b++) {
    const bar = Math.floor(b / 4);
    const inTheme = bar < 4 ? b : bar >= 30 && bar < 34 ? b - 120 : -1;
    notes.push({ beat: b, pitch: inTheme >= 0 ? theme[inTheme]! : 30 + Math.floor(random() * 61) });
  }
  return slotScore(buildScore(notes), { hands: 'both', loop: null });
}

/** Feeds the notes of slots [from, from + count) in time at the written tempo; returns the first confirmed hypothesis and after how many notes. */
function feed(tracker: RelocationTracker, slotted: ReturnType<typeof returningTheme>, from: number, count: number, nearSlot: number) {
  for (let k = 0; k < count; k++) {
    const slot = slotted.slots[from + k]!;
    const pitch = slotted.score.notes[slot.noteIndices[0]!]!.pitch;
    const h = tracker.update(pitch, 10 + k * 0.5, k, nearSlot, 1);
    if (h) return { h, notes: k + 1 };
  }
  return null;
}

describe('RelocationTracker', () => {
  const slotted = returningTheme();

  it('the theme played while the player was near its first appearance: relocates there, not to its return 30 bars on', () => {
    const found = feed(new RelocationTracker(slotted, 1), slotted, 0, 16, 2);
    expect(found?.h.firstSlot).toBe(0);
  });

  it('a jump within two bars is confirmed by 4 notes', () => {
    const found = feed(new RelocationTracker(slotted, 1), slotted, 48, 16, 44); // bar 12 while at bar 11
    expect(found).toMatchObject({ notes: 4 });
    expect(found!.h.firstSlot).toBe(48);
  });

  it('a jump 27 bars away needs more than the 6 notes a nearby one needs', () => {
    // At bar 3; the player is really at bar 30 (the theme's return, unique from bar 34 on).
    const far = feed(new RelocationTracker(slotted, 1), slotted, 136, 16, 12);
    expect(far).not.toBeNull();
    expect(far!.h.firstSlot).toBe(136);
    expect(far!.notes).toBeGreaterThan(6);
    const near = feed(new RelocationTracker(slotted, 1), slotted, 24, 16, 12); // bar 6 while at bar 3
    expect(near!.notes).toBe(6);
  });
});
