import { describe, expect, it } from 'vitest';
import type { DisplayMeasure } from './measureLayout';
import { MIN_STAFF_GAP, systemSpacing } from './spacing';
import { spellPitch } from './spelling';

function bar(treblePitches: number[], bassPitches: number[]): DisplayMeasure {
  const voice = (staff: 1 | 2, pitches: number[]) => ({
    staff,
    voice: 1,
    events: pitches.map((p, i) => ({
      kind: 'note' as const,
      onset: i,
      value: { code: 'q', dots: 0, beats: 1 },
      tuplet: null,
      fullBar: false,
      keys: [{ noteId: `n${staff}-${i}`, hand: staff === 1 ? ('right' as const) : ('left' as const), spelled: spellPitch(p, 0), accidental: null, tiesToNext: false, struck: true }],
    })),
  });
  return {
    index: 0,
    number: '1',
    startBeats: 0,
    durationBeats: 4,
    timeSignature: { numerator: 4, denominator: 4 },
    keyFifths: 0,
    timeChanged: true,
    keyChanged: true,
    clefs: { 1: 'treble', 2: 'bass' },
    voices: [voice(1, treblePitches), voice(2, bassPitches)],
  };
}

describe('systemSpacing', () => {
  it('keeps notes inside the staves compact', () => {
    const sp = systemSpacing([bar([67, 71, 72, 74], [48, 50, 52, 53])]);
    expect(sp.gap).toBe(Math.max(MIN_STAFF_GAP, 60));
    expect(sp.aboveTreble).toBe(35);
  });

  it('makes room for ledger lines above, between and below', () => {
    const plain = systemSpacing([bar([67], [48])]);
    // C7 far above the treble staff, C4 between the staves (from both sides), C1 far below the bass.
    const wide = systemSpacing([bar([96, 60], [60, 24])]);
    expect(wide.aboveTreble).toBeGreaterThan(plain.aboveTreble + 40);
    expect(wide.gap).toBeGreaterThan(plain.gap);
    expect(wide.belowBass).toBeGreaterThan(plain.belowBass + 40);
  });
});
