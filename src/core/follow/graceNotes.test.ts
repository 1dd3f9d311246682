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
import { asPerformance, toLiveEvents } from './testScores';

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
