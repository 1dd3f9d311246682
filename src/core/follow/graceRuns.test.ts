import { describe, expect, it } from 'vitest';
import type { PerformedNote } from '../../shared/performance';
import { alignPerformance } from './align';
import { asPerformance, buildScore, type NoteSpec } from './testScores';

/**
 * Batik K. 457/2 bar 51 (0-based measure index), real onsets of the take (match file): a
 * 34-note grace cadenza written on one beat and played over 8 s before the main note. The
 * per-pitch matching (±0.35 s around the slot, gap filling ±2 s) left 31 of them unmatched,
 * and a pitch the run plays twice was taken for a two-voice twin (one press for both).
 */
const BEFORE: [number, number, number][] = [
  // [beat, pitch, onset]
  [0, 34, 395.193], [0.25, 50, 395.558], [0.5, 39, 395.885], [0.75, 48, 396.231], [1, 38, 396.542],
  [1.25, 46, 396.947], [1.5, 36, 397.302], [1.75, 45, 397.726],
  [2, 34, 398.485], [2, 38, 398.478], [2, 41, 398.478], [2, 44, 398.474],
];
const CADENZA: [number, number][] = [
  [46, 401.251], [44, 401.628], [43, 401.824], [44, 401.945], [46, 402.068], [48, 402.174], [50, 402.272],
  [51, 402.349], [53, 402.441], [55, 402.521], [56, 402.597], [58, 402.68], [60, 402.762], [62, 402.854],
  [63, 402.928], [65, 403.024], [67, 403.102], [68, 403.184], [70, 403.268], [72, 403.349], [74, 403.459],
  [75, 403.533], [77, 403.646], [79, 403.731], [80, 403.823], [82, 403.898], [84, 404.001], [86, 404.106],
  [87, 404.216], [89, 404.532], [86, 405.095], [82, 405.739], [81, 406.754], [80, 409.288],
];
const AFTER: [number, number, number][] = [
  [4, 51, 411.611], [4.125, 79, 411.957], [4.25, 82, 412.227], [4.375, 79, 412.469], [4.5, 55, 412.685],
  [4.625, 75, 412.893], [4.75, 79, 413.188], [4.875, 75, 413.4], [5, 56, 413.586], [5.125, 72, 413.804],
];

describe('matchGraceRuns: a grace cadenza played spread out before its main note', () => {
  it('matches every grace note of the run to its press, in written order (Batik K. 457/2)', () => {
    const notes: NoteSpec[] = [];
    const played: PerformedNote[] = [];
    const play = (pitch: number, onsetSec: number) => played.push({ pitch, onsetSec: onsetSec - 390, offsetSec: onsetSec - 389.9, velocity: 64 });
    for (const [beat, pitch, onset] of [...BEFORE, ...AFTER]) {
      notes.push({ beat, pitch, dur: 0.125, hand: pitch < 60 ? 'left' : 'right' });
      play(pitch, onset);
    }
    for (const [pitch, onset] of CADENZA) {
      notes.push({ beat: 4, pitch, grace: true, hand: 'right' });
      play(pitch, onset);
    }
    // buildScore sorts a beat's notes by pitch; a score lists a grace run in written order.
    const built = buildScore(notes, 92);
    const graceOrder: typeof built.notes = [];
    for (const [pitch] of CADENZA) graceOrder.push(built.notes.find((n) => n.grace && n.pitch === pitch && !graceOrder.includes(n))!);
    const firstAtRun = built.notes.findIndex((n) => n.onsetBeats === 4);
    const rest = built.notes.filter((n) => !n.grace);
    const score = { ...built, notes: [...rest.slice(0, firstAtRun), ...graceOrder, ...rest.slice(firstAtRun)] };
    const performance = asPerformance(played);
    const byId = new Map(alignPerformance(score, performance).filter((p) => p.scoreNoteId !== null).map((p) => [p.scoreNoteId!, p.performanceIndex]));
    const graces = score.notes.filter((n) => n.grace);
    // 31 of 34 were unmatched before (and the five repeated pitches were merged as twins).
    const unmatched = graces.filter((n) => byId.get(n.id) === null || byId.get(n.id) === undefined);
    expect(unmatched.map((n) => n.pitch)).toEqual([]);
    // Each grace press is one of the cadenza's presses of its pitch, but one.
    const wrong = graces.filter((n) => {
      const p = performance.notes[byId.get(n.id)!]!;
      return p.pitch !== n.pitch || !CADENZA.some(([pitch, onset]) => pitch === n.pitch && Math.abs(onset - 390 - p.onsetSec) < 1e-6);
    });
    // The grace D#3 and the main note's D#3 share the written beat, so which of the two takes
    // the cadenza's D#3 press is a tie: the main note takes it and the grace the main note's.
    expect(wrong.map((n) => n.pitch)).toEqual([51]);
  });
});
