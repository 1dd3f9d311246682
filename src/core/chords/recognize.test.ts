import { describe, expect, it } from 'vitest';
import type { PerformedNote } from '../../shared/performance';
import { recognizeChords } from './recognize';
import { matchChordTemplate } from './templates';

function block(pitches: number[], onsetSec: number, durationSec = 1, roll = 0): PerformedNote[] {
  return pitches.map((pitch, i) => ({ pitch, onsetSec: onsetSec + i * roll, offsetSec: onsetSec + durationSec, velocity: 70 }));
}

describe('recognizeChords', () => {
  it('names a progression of block chords with qualities and inversions', () => {
    const notes = [
      ...block([48, 52, 55, 60], 0), // C
      ...block([45, 55, 60, 64], 1), // Am7
      ...block([45, 53, 60, 65], 2), // F/A (first inversion)
      ...block([43, 53, 59, 62], 3), // G7
      ...block([48, 53, 55, 60], 4), // Csus4
      ...block([47, 50, 53, 59], 5), // Bdim
      ...block([48, 52, 56, 60], 6), // Caug
      ...block([50, 53, 57, 62], 7), // Dm
      ...block([53, 57, 60, 64], 8), // Fmaj7
    ];
    const labels = recognizeChords(notes);
    expect(labels.map((l) => l.symbol)).toEqual(['C', 'Am7', 'F/A', 'G7', 'Csus4', 'Bdim', 'Caug', 'Dm', 'Fmaj7']);
    expect(labels[2]).toMatchObject({ root: 5, quality: 'maj', bass: 9, inversion: 1 });
    expect(labels[3]).toMatchObject({ root: 7, quality: '7', inversion: 0 });
    expect(labels[0]).toMatchObject({ startSec: 0, endSec: 1 });
  });

  it('groups a rolled chord into one segment and merges repeated labels', () => {
    const notes = [...block([43, 47, 50, 55], 0, 1, 0.02), ...block([43, 47, 50, 55], 1, 1)];
    const labels = recognizeChords(notes);
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ symbol: 'G', startSec: 0, endSec: 2 });
  });

  it('hears a chord under a melody weighted by duration', () => {
    const notes = [
      ...block([41, 45, 48], 0, 2), // F major held for 2 s
      { pitch: 69, onsetSec: 0, offsetSec: 0.85, velocity: 80 },
      { pitch: 70, onsetSec: 0.85, offsetSec: 1, velocity: 80 }, // short passing B flat
      { pitch: 72, onsetSec: 1, offsetSec: 2, velocity: 80 },
    ];
    const labels = recognizeChords(notes, { minSegmentSec: 1 });
    expect(labels.map((l) => l.symbol)).toEqual(['F']);
  });

  it('segments at given beats', () => {
    const notes = [...block([48, 52, 55], 0, 1), ...block([50, 53, 57], 1, 1)];
    const labels = recognizeChords(notes, { beatTimes: [0, 0.5, 1, 1.5] });
    expect(labels.map((l) => [l.symbol, l.startSec, l.endSec])).toEqual([
      ['C', 0, 1],
      ['Dm', 1, 2],
    ]);
  });

  it('labels nothing for no notes, single notes or bare intervals', () => {
    expect(recognizeChords([])).toEqual([]);
    expect(recognizeChords(block([60], 0))).toEqual([]);
    expect(recognizeChords(block([60, 67], 0))).toEqual([]);
  });
});

describe('matchChordTemplate', () => {
  it('prefers the triad when the seventh is absent and the root-in-bass reading of equal sets', () => {
    const cMajor = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(matchChordTemplate(cMajor, 0)?.quality).toBe('maj');
    // C E G A: C6 spells Am7; the bass decides.
    const c6 = [1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0];
    expect(matchChordTemplate(c6, 9)).toMatchObject({ root: 9, quality: 'm7' });
    expect(matchChordTemplate(new Array(12).fill(0), null)).toBeNull();
  });
});
