import { describe, expect, it } from 'vitest';
import type { NoteVerdict } from '../../../shared/evaluation';
import type { PerformedNote } from '../../../shared/performance';
import type { ScoreNote } from '../../../shared/score';
import { beatsAtTime, clipFor, formatClock, notesStartingIn, pitchHz, timeAnchors } from './playback';

const note = (id: string, onsetBeats: number, pitch = 60, grace = false): ScoreNote => ({
  id,
  sourceId: id,
  pitch,
  onsetBeats,
  durationBeats: 1,
  onsetSec: onsetBeats / 2,
  durationSec: 0.5,
  measureIndex: Math.floor(onsetBeats / 4),
  staff: 1,
  voice: 1,
  hand: 'right',
  partId: 'P1',
  grace,
  articulations: [],
});
const played = (onsetSec: number, pitch = 60): PerformedNote => ({ pitch, onsetSec, offsetSec: onsetSec + 0.4, velocity: 64 });
const match = (scoreNoteId: string, performanceIndex: number, verdict: NoteVerdict['verdict'] = 'correct'): NoteVerdict => ({ verdict, scoreNoteId, performanceIndex, timingErrorMs: 0 });

describe('timeAnchors', () => {
  it('pairs matched notes, merges chords, skips missed, extra and grace notes', () => {
    const score = [note('a', 0), note('b', 0, 64), note('g', 1, 62, true), note('c', 1), note('d', 2)];
    const perf = [played(1.0), played(1.02, 64), played(1.4, 62), played(1.5), played(2.2, 90)];
    const verdicts: NoteVerdict[] = [
      match('a', 0),
      match('b', 1),
      match('g', 2),
      match('c', 3, 'wrong'),
      { verdict: 'missed', scoreNoteId: 'd', performanceIndex: null, timingErrorMs: null },
      { verdict: 'extra', scoreNoteId: null, performanceIndex: 4, timingErrorMs: null },
    ];
    const anchors = timeAnchors(score, perf, verdicts);
    expect(anchors).toHaveLength(2);
    expect(anchors[0]!.beats).toBe(0);
    expect(anchors[0]!.sec).toBeCloseTo(1.01, 9);
    expect(anchors[1]).toEqual({ sec: 1.5, beats: 1 });
  });
});

describe('beatsAtTime', () => {
  const anchors = [
    { sec: 1, beats: 0 },
    { sec: 2, beats: 2 },
    { sec: 4, beats: 3 },
  ];
  it('interpolates between anchors and holds at the ends', () => {
    expect(beatsAtTime(anchors, 0)).toBe(0);
    expect(beatsAtTime(anchors, 1.5)).toBeCloseTo(1, 9);
    expect(beatsAtTime(anchors, 3)).toBeCloseTo(2.5, 9);
    expect(beatsAtTime(anchors, 10)).toBe(3);
    expect(beatsAtTime([], 1)).toBeNull();
  });
  it('follows a restart back to earlier beats', () => {
    const restart = [
      { sec: 0, beats: 0 },
      { sec: 2, beats: 4 },
      { sec: 2.5, beats: 0 },
      { sec: 4.5, beats: 4 },
    ];
    expect(beatsAtTime(restart, 1)).toBeCloseTo(2, 9);
    expect(beatsAtTime(restart, 3.5)).toBeCloseTo(2, 9);
  });
});

describe('clips, scheduling and clock', () => {
  it('plays a clicked note from its onset for at least MIN_CLIP_SEC, never past the end', () => {
    expect(clipFor(2, 2.1, 10)).toEqual({ startSec: 2, stopSec: 2.6 });
    expect(clipFor(2, 3.5, 10)).toEqual({ startSec: 2, stopSec: 3.5 });
    expect(clipFor(9.8, 10.5, 10)).toEqual({ startSec: 9.8, stopSec: 10 });
    expect(clipFor(-0.2, 0.1, null)).toEqual({ startSec: 0, stopSec: 0.6 });
  });
  it('finds the notes starting in a window', () => {
    const notes = [played(0.5), played(1), played(1.99), played(2)];
    expect(notesStartingIn(notes, 1, 2)).toEqual([1, 2]);
    expect(notesStartingIn(notes, 3, 4)).toEqual([]);
  });
  it('formats the clock and pitches', () => {
    expect(formatClock(0)).toBe('0:00.0');
    expect(formatClock(65.34)).toBe('1:05.3');
    expect(formatClock(Number.NaN)).toBe('0:00.0');
    expect(pitchHz(69)).toBe(440);
    expect(pitchHz(81)).toBeCloseTo(880, 9);
  });
});
