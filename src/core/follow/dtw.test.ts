import { describe, expect, it } from 'vitest';
import { alignPerformance } from './align';
import { asPerformance, buildScore, perfect, type NoteSpec } from './testScores';
import type { PerformedNote } from '../../shared/performance';

/**
 * A piece written |: A :| B, unfolded A A B, played A B (the repeat left out mid-piece, as in
 * Batik K. 457/1; copies of 160 notes, a 64-note coda). Skipping copy 2 slot by slot costs
 * more than leaving B unexplained, so the path used to stop at the end of copy 1 and B's notes
 * came out as extras.
 */
function repeatThenCoda() {
  const a = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62];
  const b = [40, 43, 47, 45, 41, 38, 36, 43, 48, 46, 44, 42, 39, 37, 35, 33, 36, 40, 43, 48, 45, 41, 38, 36];
  const notes: NoteSpec[] = [];
  let beat = 0;
  for (let copy = 0; copy < 2; copy++) for (let k = 0; k < 160; k++) notes.push({ beat: beat++, pitch: a[k % a.length]! });
  for (let k = 0; k < 64; k++) notes.push({ beat: beat++, pitch: b[k % b.length]!, hand: 'left' });
  return buildScore(notes);
}

describe('dtwPath: a repeat left out in the middle of the take', () => {
  it('aligns the coda after the left-out copy, and the first copy (not the second) with the played one', () => {
    const score = repeatThenCoda();
    const secondCopy = new Set(score.notes.slice(160, 320).map((n) => n.id));
    // The second copy left out and the gap closed: the coda follows the first copy at once.
    const gap = (score.notes[160]!.onsetSec - score.notes[0]!.onsetSec) / 1.1;
    const played = perfect(score, 1.1)
      .map((n, i) => (i >= 320 ? { ...n, onsetSec: n.onsetSec - gap, offsetSec: n.offsetSec - gap } : n))
      .filter((_, i) => !secondCopy.has(score.notes[i]!.id));
    const performance = asPerformance(played);
    const pairs = alignPerformance(score, performance);
    const byId = new Map(pairs.filter((p) => p.scoreNoteId !== null).map((p) => [p.scoreNoteId!, p.performanceIndex]));
    // Every played note is matched; the first copy and the coda carry them, the second copy is unplayed.
    expect(pairs.filter((p) => p.scoreNoteId === null)).toEqual([]);
    const wrong = score.notes.filter((n) => (byId.get(n.id) === null) !== secondCopy.has(n.id)).map((n) => n.id);
    expect(wrong).toEqual([]);
    // And each played note goes to the score note it plays (same order in time).
    const matched = score.notes.filter((n) => !secondCopy.has(n.id)).map((n) => byId.get(n.id));
    expect(matched).toEqual(played.map((_, k) => k));
  });
});

/**
 * Mozart K. 310/1 bar 49 (nASAP, Rozanski): repeated C-E-G eighths under a G5 melody; the G5 on
 * beat 197.75 is played 90 ms after the chord on 197.5, so one onset cluster holds both slots.
 * The coarse path priced the G5's slot by the chord pitches it lacks, preferred to shift the
 * chords by one eighth (a missed chord at the start, an extra one at the end), and the note
 * matching followed: 15 notes on the wrong chord. Real onsets of the take.
 */
const FRAGMENT: [number, number[], number[]][] = [
  // [beat, pitches, played onsets (s)]
  [196, [79, 60, 64, 67], [95.911, 95.947, 95.94, 95.943]],
  [196.5, [60, 64, 67], [96.322, 96.322, 96.309]],
  [197, [79, 60, 64, 67], [96.566, 96.596, 96.6, 96.597]],
  [197.5, [60, 64, 67], [96.827, 96.834, 96.831]],
  [197.75, [79], [96.916]],
  [198, [79, 60, 64, 67], [97.038, 97.074, 97.063, 97.057]],
  [198.5, [60, 64, 67], [97.326, 97.316, 97.309]],
];

function take() {
  const notes: NoteSpec[] = [];
  const played: PerformedNote[] = [];
  const play = (pitch: number, onsetSec: number) => played.push({ pitch, onsetSec, offsetSec: onsetSec + 0.2, velocity: 64 });
  const shift = 5.3 - 95.94; // the fragment's first chord at 5.3 s, after 16 eighths at 0.3 s
  const melody = [72, 74, 76, 77, 81, 83, 84, 86];
  for (let k = 0; k < 16; k++) {
    notes.push({ beat: k / 2, pitch: melody[k % 8]!, dur: 0.5 });
    play(melody[k % 8]!, 0.5 + k * 0.3);
  }
  notes.push({ beat: 8, pitch: 78, grace: true });
  play(78, 95.833 + shift);
  for (const [beat, pitches, onsets] of FRAGMENT) {
    pitches.forEach((pitch, k) => {
      notes.push({ beat: beat - 188, pitch, dur: 0.25, hand: pitch < 70 ? 'left' : 'right' });
      play(pitch, onsets[k]! + shift);
    });
  }
  for (let k = 0; k < 16; k++) {
    notes.push({ beat: 11 + k / 2, pitch: melody[7 - (k % 8)]!, dur: 0.5 });
    play(melody[7 - (k % 8)]!, 97.309 + shift + 0.3 * (k + 1));
  }
  return { score: buildScore(notes, 110), played };
}

describe('alignPerformance: a chord and the next 16th heard in one onset cluster', () => {
  it('keeps the repeated chords on their own beats (Mozart K. 310/1, bar 49)', () => {
    const { score, played } = take();
    const performance = asPerformance(played);
    const pairs = alignPerformance(score, performance);
    const wrong: string[] = [];
    for (const pair of pairs) {
      const note = score.notes.find((n) => n.id === pair.scoreNoteId);
      const p = pair.performanceIndex === null ? undefined : performance.notes[pair.performanceIndex];
      // Each note is played within 0.12 s of its slot's other notes in this take, so a right
      // match lies within 0.15 s of where the take plays that beat.
      if (!note || !p) {
        wrong.push(`${note ? `b${note.onsetBeats + 188} ${note.pitch}` : 'extra'} ${p ? p.pitch + '@' + p.onsetSec.toFixed(2) : 'unplayed'}`);
        continue;
      }
      const row = FRAGMENT.find(([beat]) => beat === note.onsetBeats + 188);
      if (row && !note.grace && !row[2].some((t, k) => row[1][k] === note.pitch && Math.abs(t + 5.3 - 95.94 - p.onsetSec) < 1e-6)) wrong.push(`b${row[0]} ${note.pitch} got ${p.onsetSec.toFixed(3)}`);
    }
    expect(wrong).toEqual([]);
  });
});
