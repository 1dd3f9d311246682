import { describe, expect, it } from 'vitest';
import type { PracticeOptions } from '../../shared/practice';
import type { PerformedNote } from '../../shared/performance';
import type { EvaluationResult } from '../../shared/evaluation';
import type { Score } from '../../shared/score';
import { LiveFollower, type FollowerDecision } from './liveFollower';
import { buildScore, perfect, toLiveEvents, twoHandExercise } from './testScores';

const playThrough: PracticeOptions = { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: false };
const waitMode: PracticeOptions = { ...playThrough, mode: 'wait' };

function run(score: Score, options: PracticeOptions, notes: PerformedNote[]) {
  const follower = new LiveFollower(score, options);
  const decisions: FollowerDecision[] = [];
  for (const e of toLiveEvents(notes)) decisions.push(...follower.push(e));
  return { follower, decisions, result: follower.finish() };
}

function verdictOf(result: EvaluationResult, id: string) {
  return result.verdicts.find((v) => v.scoreNoteId === id);
}

/** Every selected score note has exactly one verdict; every take event is used at most once. */
function expectConsistent(result: EvaluationResult, expectedNoteIds: string[]) {
  const ids = result.verdicts.filter((v) => v.scoreNoteId !== null).map((v) => v.scoreNoteId);
  expect([...ids].sort()).toEqual([...expectedNoteIds].sort());
  const used = result.verdicts.filter((v) => v.performanceIndex !== null).map((v) => v.performanceIndex);
  expect(new Set(used).size).toBe(used.length);
}

describe('LiveFollower, play-through', () => {
  const score = twoHandExercise(4);
  const allIds = score.notes.map((n) => n.id);

  it('grades a clean take as all correct with near-zero timing error', () => {
    const { result, decisions } = run(score, playThrough, perfect(score));
    expect(result.summary.correct).toBe(score.notes.length);
    expect(result.summary.extra + result.summary.missed + result.summary.wrong).toBe(0);
    expect(result.summary.meanAbsTimingErrorMs).toBeLessThan(1);
    expect(decisions.at(-1)!.measureIndex).toBe(3);
    expectConsistent(result, allIds);
  });

  it('follows at half speed when tempoFactor is 0.5', () => {
    const { result } = run(score, { ...playThrough, tempoFactor: 0.5 }, perfect(score, 0.5));
    expect(result.summary.correct).toBe(score.notes.length);
  });

  it('reports a wrong pitch, a missed note and an extra note in their places', () => {
    const notes = perfect(score);
    const wrongTarget = score.notes.find((n) => n.hand === 'right' && n.onsetBeats === 5)!;
    const missedTarget = score.notes.find((n) => n.hand === 'right' && n.onsetBeats === 9)!;
    const played = notes
      .map((n, i) => (score.notes[i] === wrongTarget ? { ...n, pitch: n.pitch + 1 } : n))
      .filter((_, i) => score.notes[i] !== missedTarget);
    played.push({ pitch: 95, onsetSec: 0.5 + 6.25 * 0.5, offsetSec: 0.5 + 6.4 * 0.5, velocity: 50 });
    const { result, decisions } = run(score, playThrough, played);
    expect(verdictOf(result, wrongTarget.id)).toMatchObject({ verdict: 'wrong', playedPitch: wrongTarget.pitch + 1 });
    expect(verdictOf(result, missedTarget.id)!.verdict).toBe('missed');
    expect(result.summary.extra).toBe(1);
    expect(result.summary.correct).toBe(score.notes.length - 2);
    expect(decisions.some((d) => d.verdict === 'missed' && d.scoreNoteId === missedTarget.id)).toBe(true);
    expectConsistent(result, allIds);
  });

  it('accepts chords rolled over 100 ms', () => {
    const rolled = perfect(score).map((n, i) => {
      const note = score.notes[i]!;
      const chordRank = score.notes.filter((m) => m.onsetBeats === note.onsetBeats && m.pitch < note.pitch).length;
      return { ...n, onsetSec: n.onsetSec + chordRank * 0.05 };
    });
    const { result } = run(score, playThrough, rolled);
    expect(result.summary.correct).toBe(score.notes.length);
    expect(result.summary.extra).toBe(0);
  });

  it('follows a gradual 25 % slow-down and measures timing against the local tempo', () => {
    // Instantaneous tempo falls linearly to 0.8x: written time w maps to w + 0.25 w^2 / (2 * 8).
    const warped = perfect(score).map((n) => {
      const w = n.onsetSec - 0.5;
      return { ...n, onsetSec: 0.5 + w + (0.25 * w * w) / 16 };
    });
    const { result } = run(score, playThrough, warped);
    expect(result.summary.correct).toBe(score.notes.length);
    expect(result.summary.meanAbsTimingErrorMs!).toBeLessThan(40);
  });

  it('relocates after a restart from bar 2 and grades the replayed bars once', () => {
    const notes = perfect(score);
    const firstTry = notes.filter((_, i) => score.notes[i]!.onsetBeats < 10);
    const restartAt = 0.5 + 10 * 0.5 + 0.6;
    const secondTry = notes
      .filter((_, i) => score.notes[i]!.onsetBeats >= 4)
      .map((n) => ({ ...n, onsetSec: n.onsetSec - 2 + restartAt - 0.5, offsetSec: n.offsetSec - 2 + restartAt - 0.5 }));
    const { result, decisions } = run(score, playThrough, [...firstTry, ...secondTry]);
    expect(decisions.some((d) => d.revised)).toBe(true);
    expect(result.summary.correct).toBe(score.notes.length);
    expect(result.summary.missed).toBe(0);
    expect(result.summary.extra).toBe(0);
    expectConsistent(result, allIds);
  });

  it('reports a skipped bar as missed and keeps following after it', () => {
    const notes = perfect(score).filter((_, i) => score.notes[i]!.measureIndex !== 1);
    const shifted = notes.map((n) => (n.onsetSec > 2.4 ? { ...n, onsetSec: n.onsetSec - 2 } : n));
    const { follower, result } = run(score, playThrough, shifted);
    const instant = follower.instantResult();
    const bar2 = score.notes.filter((n) => n.measureIndex === 1).map((n) => n.id);
    for (const id of bar2) expect(verdictOf(instant, id)!.verdict).toBe('missed');
    const rest = score.notes.filter((n) => n.measureIndex >= 2);
    expect(rest.every((n) => verdictOf(instant, n.id)!.verdict === 'correct')).toBe(true);
    // Settled, like the offline aligner: bar 1 ends and bar 2 continues on F4, so the F4 played
    // before the jump may stand for either; the counts are the same either way.
    expect(result.summary).toMatchObject({ missed: bar2.length, correct: score.notes.length - bar2.length, extra: 0, wrong: 0 });
    expectConsistent(result, allIds);
  });

  it('ignores the other hand when practising one hand', () => {
    const rightOnly = perfect(score).filter((_, i) => score.notes[i]!.hand === 'right');
    const { result } = run(score, { ...playThrough, hands: 'right' }, rightOnly);
    const rightIds = score.notes.filter((n) => n.hand === 'right').map((n) => n.id);
    expect(result.summary.correct).toBe(rightIds.length);
    expect(result.summary.missed + result.summary.extra).toBe(0);
    expectConsistent(result, rightIds);
  });

  it('loops a range: a second pass starts after the last note of the range', () => {
    const options: PracticeOptions = { ...playThrough, loop: { fromMeasure: 1, toMeasure: 2 } };
    const loopNotes = perfect(score).filter((_, i) => [1, 2].includes(score.notes[i]!.measureIndex));
    const secondPass = loopNotes.map((n) => ({ ...n, onsetSec: n.onsetSec + 4, offsetSec: n.offsetSec + 4 }));
    const missing = secondPass.slice(0, -1).filter((_, i) => i !== 3);
    const { result, decisions, follower } = run(score, options, [...loopNotes, ...missing]);
    expect(follower.progress().pass).toBe(1);
    expect(decisions.filter((d) => d.pass === 1 && d.verdict === 'correct').length).toBe(loopNotes.length - 2);
    const loopIds = score.notes.filter((n) => [1, 2].includes(n.measureIndex)).map((n) => n.id);
    expectConsistent(result, loopIds);
    // The unreached last note keeps its verdict from the finished first pass.
    expect(result.summary.missed).toBe(1);
  });
});

describe('LiveFollower, wait mode', () => {
  const score = buildScore([
    { beat: 0, pitch: 60 },
    { beat: 0, pitch: 48, hand: 'left' },
    { beat: 1, pitch: 62 },
    { beat: 2, pitch: 64 },
    { beat: 2, pitch: 52, hand: 'left' },
    { beat: 3, pitch: 65 },
  ]);

  it('advances only when the whole chord is played and reports wrong keys without moving', () => {
    const follower = new LiveFollower(score, waitMode);
    expect(follower.progress().waitingFor.sort()).toEqual(['n0', 'n1']);
    const d1 = follower.push({ kind: 'on', pitch: 60, velocity: 70, timeSec: 1 });
    expect(d1[0]).toMatchObject({ verdict: 'correct', scoreNoteId: 'n1', timingErrorMs: null });
    expect(follower.progress().waitingFor).toEqual(['n0']);
    const d2 = follower.push({ kind: 'on', pitch: 47, velocity: 70, timeSec: 1.5 });
    expect(d2[0]).toMatchObject({ verdict: 'wrong', scoreNoteId: 'n0', pitch: 47 });
    expect(follower.progress().positionBeats).toBe(0);
    follower.push({ kind: 'on', pitch: 48, velocity: 70, timeSec: 9 });
    expect(follower.progress()).toMatchObject({ positionBeats: 1, waitingFor: ['n2'] });
    for (const [pitch, t] of [
      [62, 10],
      [64, 11],
      [52, 11.05],
      [65, 12],
    ] as const) {
      follower.push({ kind: 'on', pitch, velocity: 70, timeSec: t });
    }
    const result = follower.finish();
    expect(result.summary.correct).toBe(6);
    expect(result.summary.extra).toBe(1);
    expectConsistent(result, score.notes.map((n) => n.id));
  });

  /** The last live decision about each key press must be what the final result says of it. */
  function expectFinalMatchesLive(decisions: FollowerDecision[], result: EvaluationResult) {
    const live = new Map<number, { verdict: string; scoreNoteId: string | null }>();
    for (const d of decisions) if (d.eventIndex !== null) live.set(d.eventIndex, { verdict: d.verdict, scoreNoteId: d.scoreNoteId });
    const final = new Map<number, { verdict: string; scoreNoteId: string | null }>();
    for (const v of result.verdicts) if (v.performanceIndex !== null) final.set(v.performanceIndex, { verdict: v.verdict, scoreNoteId: v.scoreNoteId });
    expect(final).toEqual(live);
  }

  it('a wrong key for an awaited note that is never played stays wrong in the final result', () => {
    const follower = new LiveFollower(score, waitMode);
    const decisions = [...follower.push({ kind: 'on', pitch: 60, velocity: 70, timeSec: 1 }), ...follower.push({ kind: 'on', pitch: 47, velocity: 70, timeSec: 1.5 })];
    expect(decisions[1]).toMatchObject({ verdict: 'wrong', scoreNoteId: 'n0', pitch: 47 });
    expect(follower.progress().waitingFor).toEqual(['n0']); // still awaited: wait mode does not move on
    const result = follower.finish();
    expect(verdictOf(result, 'n0')).toMatchObject({ verdict: 'wrong', performanceIndex: 1, playedPitch: 47 });
    expect(result.summary).toMatchObject({ correct: 1, wrong: 1, extra: 0 });
    expectFinalMatchesLive(decisions, result);
  });

  it('a wrong key later corrected: the note is correct and the wrong key is revised live to extra', () => {
    const follower = new LiveFollower(score, waitMode);
    const decisions: FollowerDecision[] = [];
    for (const [pitch, t] of [[60, 1], [47, 1.5], [46, 1.7], [48, 2]] as const) decisions.push(...follower.push({ kind: 'on', pitch, velocity: 70, timeSec: t }));
    // The second wrong key takes the first's place; the right key then revises it to extra.
    expect(decisions.filter((d) => d.revised).map((d) => [d.verdict, d.eventIndex])).toEqual([['extra', 1], ['extra', 2]]);
    const result = follower.finish();
    expect(verdictOf(result, 'n0')).toMatchObject({ verdict: 'correct', performanceIndex: 3 });
    expect(result.summary).toMatchObject({ correct: 2, wrong: 0, extra: 2 });
    expectFinalMatchesLive(decisions, result);
  });

  it('relocates when the player goes back to an earlier bar', () => {
    const exercise = twoHandExercise(3);
    const follower = new LiveFollower(exercise, { ...waitMode, hands: 'right' });
    const right = exercise.notes.filter((n) => n.hand === 'right');
    let t = 0;
    for (const n of right.slice(0, 10)) follower.push({ kind: 'on', pitch: n.pitch, velocity: 60, timeSec: (t += 0.5) });
    expect(follower.progress().positionBeats).toBe(10);
    // Back to beat 2: six notes in score order confirm the jump (timing is free in wait mode).
    for (const n of right.slice(2, 8)) follower.push({ kind: 'on', pitch: n.pitch, velocity: 60, timeSec: (t += 2.3) });
    expect(follower.progress().positionBeats).toBe(8);
  });
});

describe('LiveFollower, bad input', () => {
  it('refuses options it cannot follow', () => {
    const score = twoHandExercise(2);
    expect(() => new LiveFollower(score, { ...playThrough, tempoFactor: 0 })).toThrow(/tempoFactor/);
    expect(() => new LiveFollower(score, { ...playThrough, loop: { fromMeasure: 0, toMeasure: 5 } })).toThrow(/outside the score/);
    const rightOnly = buildScore([{ beat: 0, pitch: 60 }]);
    expect(() => new LiveFollower(rightOnly, { ...playThrough, hands: 'left' })).toThrow(/no score notes/);
  });

  it('ignores note-offs without a note-on and finishes an empty take', () => {
    const follower = new LiveFollower(twoHandExercise(1), playThrough);
    expect(follower.push({ kind: 'off', pitch: 60, velocity: 0, timeSec: 1 })).toEqual([]);
    const result = follower.finish();
    expect(result.summary.missed).toBe(result.verdicts.length);
    expect(result.summary.durationSec).toBe(0);
  });
});

describe('LiveFollower: back a tempo after a ritardando and a pause', () => {
  // 16 bars of eighth notes on pitches that do not repeat within a bar (120 qpm, 0.25 s each).
  const specs = Array.from({ length: 128 }, (_, k) => ({ beat: k / 2, pitch: 48 + ((k * 7) % 29), dur: 0.5 }));
  const score = buildScore(specs);
  const options: PracticeOptions = { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: false };

  it('follows the faster music again within a bar, not a minute later', () => {
    // Bars 0-3 in time, bars 4-5 slowing to 3.5x slower, a 4 s fermata, then bars 6-15 in a
    // faster section (1.5x the practice tempo): 5x the slowed pace.
    const notes: PerformedNote[] = [];
    let t = 0.5;
    score.notes.forEach((n, k) => {
      const bar = Math.floor(n.onsetBeats / 4);
      if (k > 0) {
        const slow = bar < 4 ? 1 : bar < 6 ? 1 + 2.5 * ((n.onsetBeats - 16) / 8) : 1 / 1.5;
        t += 0.25 * slow + (n.onsetBeats === 24 ? 4 : 0);
      }
      notes.push({ pitch: n.pitch, onsetSec: t, offsetSec: t + 0.2, velocity: 64 });
    });
    const follower = new LiveFollower(score, options);
    const decided = new Map<string, string>();
    for (const e of toLiveEvents(notes)) for (const d of follower.push(e)) if (d.scoreNoteId) decided.set(d.scoreNoteId, d.verdict);
    // From bar 7 on every note was judged correct as it was played.
    const aTempo = score.notes.filter((n) => n.onsetBeats >= 28);
    const correct = aTempo.filter((n) => decided.get(n.id) === 'correct').length;
    expect(correct).toBe(aTempo.length);
  });
});
