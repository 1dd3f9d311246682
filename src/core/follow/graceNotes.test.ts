/**
 * Grace notes on the pitch of their main note (Schubert D783 no. 15: a D♭5 grace before a D♭5
 * half note) are two key presses. They used to be merged as voice "twins", so the grace was
 * graded correct without a played note and its press counted extra (328 verdicts for 326 keys).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../shared/evaluation';
import type { PracticeOptions } from '../../shared/practice';
import type { PerformedNote } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { importScore } from '../music';
import { gradePerformance } from '../evaluate/grade';
import { alignPerformance } from './align';
import { LiveFollower } from './liveFollower';
import { slotScore } from './scoreSlots';
import { asPerformance, buildScore, toLiveEvents } from './testScores';

const file = resolve(process.cwd(), '../shared/data/vienna4x22/musicxml/Schubert_D783_no15.musicxml');
const score = importScore('Schubert_D783_no15.musicxml', new Uint8Array(readFileSync(file)));

/** Every score note played at its written time, grace notes 60 ms before the beat. */
function playedAsWritten(s: Score): PerformedNote[] {
  return s.notes.map((n) => {
    const onsetSec = 0.5 + n.onsetSec - (n.grace ? 0.06 : 0);
    return { pitch: n.pitch, onsetSec, offsetSec: onsetSec + Math.max(0.05, n.durationSec), velocity: 64 };
  });
}

/** One key, one verdict: correct/wrong name the key they used, each key is used exactly once. */
function expectOneVerdictPerKey(s: Score, result: EvaluationResult, keys: number) {
  const twins = new Set(slotScore(s, { hands: 'both', loop: null }).slots.flatMap((slot) => slot.twins.map(([t]) => s.notes[t]!.id)));
  const own = result.verdicts.filter((v) => v.scoreNoteId === null || !twins.has(v.scoreNoteId));
  for (const v of own) if (v.verdict === 'correct' || v.verdict === 'wrong') expect(v.performanceIndex, `${v.scoreNoteId}`).not.toBeNull();
  const used = own.flatMap((v) => (v.performanceIndex === null ? [] : [v.performanceIndex]));
  expect([...used].sort((a, b) => a - b)).toEqual(Array.from({ length: keys }, (_, i) => i));
  const { correct, wrong, extra } = result.summary;
  expect(correct + wrong + extra).toBe(keys);
}

describe('grace notes on the pitch of their main note (D783 no. 15)', () => {
  const graces = score.notes.filter((n) => n.grace);

  it('has graces that share their main note pitch and onset (the case under test)', () => {
    const clash = graces.filter((g) => score.notes.some((n) => !n.grace && n.pitch === g.pitch && n.onsetBeats === g.onsetBeats));
    expect(clash.length).toBeGreaterThan(0);
  });

  it('offline: every key press is graded once, no spurious extras', () => {
    const performance = asPerformance(playedAsWritten(score));
    const result = gradePerformance(score, performance, alignPerformance(score, performance));
    expectOneVerdictPerKey(score, result, performance.notes.length);
    expect(result.summary).toMatchObject({ correct: score.notes.length, wrong: 0, missed: 0, extra: 0 });
  });

  for (const mode of ['play-through', 'wait'] as const) {
    it(`live ${mode}: every key press is graded once, no spurious extras`, () => {
      const options: PracticeOptions = { mode, hands: 'both', loop: null, tempoFactor: 1, metronome: false };
      const follower = new LiveFollower(score, options);
      const notes = playedAsWritten(score);
      for (const e of toLiveEvents(notes)) follower.push(e);
      const result = follower.finish();
      expectOneVerdictPerKey(score, result, notes.length);
      expect(result.summary).toMatchObject({ correct: score.notes.length, wrong: 0, missed: 0, extra: 0 });
    });
  }
});

describe('live follower: a grace figure played on the beat', () => {
  // Quarter-note melody over four bars; bar 3 opens with three grace notes before a chord.
  const specs = [
    ...Array.from({ length: 16 }, (_, b) => ({ beat: b, pitch: 60 + ((b * 5) % 12) })),
    { beat: 8, pitch: 76, grace: true },
    { beat: 8, pitch: 77, grace: true },
    { beat: 8, pitch: 79, grace: true },
    { beat: 8, pitch: 53, dur: 2, hand: 'left' as const },
  ];
  const score = buildScore(specs);
  const options: PracticeOptions = { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: false };

  it('the main notes after a long grace figure are correct as they are played, not missed and wrong', () => {
    const delay = 0.42; // the graces take the beat; the chord comes 0.42 s late, the rest follows
    const notes: PerformedNote[] = [];
    for (const n of score.notes) {
      let onset = 0.5 + n.onsetSec;
      if (n.grace) onset += [76, 77, 79].indexOf(n.pitch) * 0.14;
      else if (n.onsetBeats >= 8) onset += delay;
      notes.push({ pitch: n.pitch, onsetSec: onset, offsetSec: onset + 0.3, velocity: 64 });
    }
    const follower = new LiveFollower(score, options);
    const live = toLiveEvents(notes.sort((a, b) => a.onsetSec - b.onsetSec)).flatMap((e) => follower.push(e));
    // What the student sees as they play, not only the final result.
    expect(live.filter((d) => d.verdict !== 'correct')).toEqual([]);
    expect(live.length).toBe(score.notes.length);
    expect(follower.finish().summary).toMatchObject({ correct: score.notes.length, missed: 0, wrong: 0, extra: 0 });
  });
});
