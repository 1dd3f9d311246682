import { describe, expect, it } from 'vitest';
import type { Score } from '../../shared/score';
import type { PerformedNote } from '../../shared/performance';
import { gradePerformance } from '../evaluate/grade';
import { alignPerformance } from './align';
import { asPerformance, buildScore, type NoteSpec } from './testScores';

/** 16 bars, quarter-note melody without repeated patterns plus a half-note bass (120 qpm). */
function throughComposed(): Score {
  const notes: NoteSpec[] = [];
  for (let b = 0; b < 64; b++) notes.push({ beat: b, pitch: 60 + ((b * 7) % 19) });
  for (let b = 0; b < 64; b += 2) notes.push({ beat: b, pitch: 36 + ((b * 5) % 13), dur: 2, hand: 'left' });
  return buildScore(notes);
}

interface Segment {
  fromBeat: number;
  toBeat: number; // exclusive
}

/**
 * Plays the segments one after another (0.6 s pause between them), each note exactly in time,
 * and records which score note each performed note plays and in which segment.
 */
function playSegments(score: Score, segments: Segment[]) {
  const played: { note: PerformedNote; id: string; segment: number }[] = [];
  let clock = 0.5;
  segments.forEach((segment, k) => {
    const inSegment = score.notes.filter((n) => n.onsetBeats >= segment.fromBeat && n.onsetBeats < segment.toBeat);
    const start = inSegment[0]!.onsetSec;
    for (const n of inSegment) {
      const onsetSec = clock + n.onsetSec - start;
      played.push({ note: { pitch: n.pitch, onsetSec, offsetSec: onsetSec + 0.4, velocity: 64 }, id: n.id, segment: k });
    }
    clock += (segment.toBeat - segment.fromBeat) * 0.5 + 0.6;
  });
  const performance = asPerformance(played.map((p) => p.note));
  const index = new Map(played.map((p) => [p.note, p]));
  return { performance, played: performance.notes.map((n) => index.get(n)!) };
}

function grade(score: Score, segments: Segment[]) {
  const { performance, played } = playSegments(score, segments);
  const pairs = alignPerformance(score, performance);
  const result = gradePerformance(score, performance, pairs);
  return { performance, played, pairs, result };
}

describe('alignPerformance: restarts and practice fragments', () => {
  const score = throughComposed();

  it('a restart from bar 5 after bar 8: the last pass is graded, the abandoned bars are neither extra nor missed', () => {
    const { played, pairs, result } = grade(score, [
      { fromBeat: 0, toBeat: 32 },
      { fromBeat: 16, toBeat: 64 },
    ]);
    expect(result.summary).toMatchObject({ correct: score.notes.length, wrong: 0, missed: 0, extra: 0 });
    // Each correct note is the one from the last pass through its bar.
    for (const v of result.verdicts) expect(played[v.performanceIndex!]!.segment).toBe(score.notes.find((n) => n.id === v.scoreNoteId)!.onsetBeats >= 16 ? 1 : 0);
    const abandoned = pairs.filter((p) => p.abandoned).map((p) => played[p.performanceIndex!]!);
    expect(abandoned.length).toBe(played.filter((p) => p.segment === 0 && score.notes.find((n) => n.id === p.id)!.onsetBeats >= 16).length);
    expect(abandoned.every((p) => p.segment === 0)).toBe(true);
  });

  it('bars 5–8 played three times, stopping mid-bar once, then on to the end', () => {
    const { played, result } = grade(score, [
      { fromBeat: 0, toBeat: 32 },
      { fromBeat: 16, toBeat: 30 },
      { fromBeat: 16, toBeat: 32 },
      { fromBeat: 16, toBeat: 64 },
    ]);
    expect(result.summary).toMatchObject({ correct: score.notes.length, wrong: 0, missed: 0, extra: 0 });
    const graded = new Set(result.verdicts.map((v) => played[v.performanceIndex!]!.segment));
    expect([...graded].sort()).toEqual([0, 3]);
  });

  it('a mistake in the graded pass is still reported; one in an abandoned attempt is not', () => {
    const { performance, played } = playSegments(score, [
      { fromBeat: 0, toBeat: 32 },
      { fromBeat: 16, toBeat: 64 },
    ]);
    const target = score.notes.find((n) => n.onsetBeats === 24 && n.hand === 'right')!;
    // Wrong pitch for the same note in both passes.
    performance.notes.forEach((n, i) => {
      if (played[i]!.id === target.id) n.pitch = target.pitch + 1;
    });
    const result = gradePerformance(score, performance, alignPerformance(score, performance));
    expect(result.summary).toMatchObject({ correct: score.notes.length - 1, wrong: 1, missed: 0, extra: 0 });
    const wrong = result.verdicts.find((v) => v.verdict === 'wrong')!;
    expect(wrong.scoreNoteId).toBe(target.id);
    expect(played[wrong.performanceIndex!]!.segment).toBe(1);
  });

  it('timing next to a restart is measured as if the abandoned attempt had not happened', () => {
    // Every note exactly in time; between bar 4 (first pass) and bar 5 (last pass) lie the
    // abandoned bars 5-8 and a pause, 8.6 s that the local tempo fit must not see.
    for (const segments of [
      [{ fromBeat: 0, toBeat: 32 }, { fromBeat: 16, toBeat: 64 }],
      [{ fromBeat: 0, toBeat: 32 }, { fromBeat: 16, toBeat: 30 }, { fromBeat: 16, toBeat: 64 }],
    ]) {
      const { result } = grade(score, segments);
      expect(result.summary.correct).toBe(score.notes.length);
      const worst = Math.max(...result.verdicts.map((v) => Math.abs(v.timingErrorMs ?? 0)));
      expect(worst).toBeLessThan(5);
    }
  });

  it('without a restart nothing is set aside: a skipped bar is missed, an extra note is extra', () => {
    const { performance } = playSegments(score, [
      { fromBeat: 0, toBeat: 20 },
      { fromBeat: 24, toBeat: 64 },
    ]);
    performance.notes.push({ pitch: 90, onsetSec: 3.1, offsetSec: 3.2, velocity: 40 });
    const pairs = alignPerformance(score, performance);
    expect(pairs.some((p) => p.abandoned)).toBe(false);
    const result = gradePerformance(score, performance, pairs);
    const inSkippedBar = score.notes.filter((n) => n.onsetBeats >= 20 && n.onsetBeats < 24).length;
    expect(result.summary).toMatchObject({ correct: score.notes.length - inSkippedBar, missed: inSkippedBar, extra: 1 });
  });
});
