import { describe, expect, it } from 'vitest';
import { identicalRun, skippedBarReadings } from './identicalBars';
import { buildScore, perfect, asPerformance, type NoteSpec } from './testScores';
import { alignPerformance } from './align';
import { gradePerformance } from '../evaluate/grade';

// Bar 0 a scale, bars 1-3 the same broken chord, bar 4 a different one.
const figure = [60, 64, 67, 72];
const specs: NoteSpec[] = [
  ...[60, 62, 64, 65].map((pitch, k) => ({ beat: k, pitch })),
  ...[1, 2, 3].flatMap((bar) => figure.map((pitch, k) => ({ beat: bar * 4 + k, pitch }))),
  ...[62, 65, 69, 74].map((pitch, k) => ({ beat: 16 + k, pitch })),
];
const score = buildScore(specs);
const barOf = (id: string) => score.notes.find((n) => n.id === id)!.measureIndex;

describe('identical bars', () => {
  it('finds the run of consecutive identical bars and nothing else', () => {
    expect(identicalRun(score, 2)).toEqual({ first: 1, last: 3 });
    expect(identicalRun(score, 1)).toEqual({ first: 1, last: 3 });
    expect(identicalRun(score, 0)).toEqual({ first: 0, last: 0 });
    expect(identicalRun(score, 4)).toEqual({ first: 4, last: 4 });
  });

  it('reads a skipped bar as any bar-long stretch of its run, shifting the notes between', () => {
    expect(skippedBarReadings(score, 0)).toEqual([new Map()]);
    const readings = skippedBarReadings(score, 3);
    // The given reading + one stretch per other onset from beat 4 to beat 12 (it must end in the run).
    expect(readings.length).toBe(9);
    const beat = (id: string) => score.notes.find((n) => n.id === id)!.onsetBeats;
    const pitch = (id: string) => score.notes.find((n) => n.id === id)!.pitch;
    // Bar 1 left out instead of bar 3: bars 1, 2 move a bar later, bar 3 becomes bar 1.
    const whole = readings.find((r) => [...r].some(([from, to]) => beat(from) === 12 && beat(to) === 4))!;
    for (const [from, to] of whole) {
      expect(pitch(to)).toBe(pitch(from));
      expect(beat(to)).toBe(beat(from) >= 12 ? beat(from) - 8 : beat(from) + 4);
    }
    expect(whole.size).toBe(12);
    // Never a note outside the run.
    for (const r of readings) for (const [from, to] of r) expect([barOf(from), barOf(to)].every((b) => b >= 1 && b <= 3)).toBe(true);
  });

  it("the aligner's reading of a skipped identical bar is one of the equivalent readings", () => {
    const played = perfect(score);
    const secPerBar = 2;
    // Leave out bar 2 and close the gap.
    const take = played
      .filter((_, i) => barOf(score.notes[i]!.id) !== 2)
      .map((n) => (n.onsetSec >= 0.5 + 3 * secPerBar ? { ...n, onsetSec: n.onsetSec - secPerBar, offsetSec: n.offsetSec - secPerBar } : n));
    const result = gradePerformance(score, asPerformance(take), alignPerformance(score, asPerformance(take)));
    const reported = [...result.verdicts.filter((v) => v.verdict === 'missed').map((v) => v.scoreNoteId!)].sort();
    const labelled = score.notes.filter((n) => n.measureIndex === 2).map((n) => n.id);
    const readings = skippedBarReadings(score, 2).map((map) => labelled.map((id) => map.get(id) ?? id).sort());
    expect(reported.length).toBe(4);
    expect(readings.some((r) => r.join() === reported.join())).toBe(true);
    // Only bar-long stretches of the run: no reading leaves out two notes at the same place.
    for (const r of readings) expect(new Set(r.map((id) => score.notes.find((n) => n.id === id)!.onsetBeats % 4)).size).toBe(4);
  });
});
