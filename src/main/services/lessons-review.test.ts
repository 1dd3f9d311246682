import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importScore } from '../../core/music';
import type { Performance } from '../../shared/performance';
import { computeReview } from './lessons-review';

const XML = resolve(import.meta.dirname, '../../../../shared/data/vienna4x22/musicxml/Chopin_op10_no3.musicxml');

describe('lesson review tempo by bar', () => {
  it('recovers a take played at 90 qpm up to bar 10 and 60 qpm after', () => {
    const score = importScore('Chopin_op10_no3.musicxml', new Uint8Array(readFileSync(XML)));
    const switchBeats = score.measures[10]!.startBeats;
    const timeOf = (beats: number) => (beats <= switchBeats ? beats * (60 / 90) : switchBeats * (60 / 90) + (beats - switchBeats));
    // A unison written in two voices is one key press.
    const struck = [...new Map(score.notes.map((n) => [`${n.pitch}@${n.onsetBeats}`, n])).values()];
    const performance: Performance = {
      notes: struck.map((n) => ({
        pitch: n.pitch,
        onsetSec: 1 + timeOf(n.onsetBeats),
        offsetSec: 1 + timeOf(n.onsetBeats + Math.max(n.durationBeats, 0.1)),
        velocity: 64,
      })),
      pedal: [],
      durationSec: 1 + timeOf(score.notes.at(-1)!.onsetBeats + 1),
    };
    const review = computeReview(score, performance);
    expect(review.evaluation.summary.accuracy).toBeGreaterThan(0.98);
    const fast = review.tempoByBar.filter((t) => t.measureIndex < 10);
    const slow = review.tempoByBar.filter((t) => t.measureIndex >= 10);
    expect(fast.length).toBeGreaterThan(5);
    expect(slow.length).toBeGreaterThan(5);
    for (const t of fast) expect(t.qpm).toBeCloseTo(90, 0);
    for (const t of slow) expect(t.qpm).toBeCloseTo(60, 0);
    expect(review.writtenQpm).toBe(score.tempos[0]?.qpm ?? null);
  });
});
