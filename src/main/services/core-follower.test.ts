/**
 * The session's follower port settles verdicts: after a skipped bar in Schubert D783 no. 15 the
 * instant verdicts go wrong and settle() returns typed corrections, which the session sends as
 * practice.feedback with correction: true; the attempt is graded with the settled verdicts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importScore } from '../../core/music';
import { createCoreFollower } from './core-follower';
import type { FollowDecision } from './follower';

const file = resolve(process.cwd(), '../shared/data/vienna4x22/musicxml/Schubert_D783_no15.musicxml');
const score = importScore('Schubert_D783_no15.musicxml', new Uint8Array(readFileSync(file)));

describe('createCoreFollower', () => {
  it('returns settled corrections after the instant decisions and grades the attempt with them', () => {
    const skip = 4;
    const gap = score.measures[skip + 1]!.startSec - score.measures[skip]!.startSec;
    const presses = score.notes
      .filter((n) => n.measureIndex !== skip)
      .map((n) => ({ pitch: n.pitch, t: 0.5 + n.onsetSec - (n.grace ? 0.06 : 0) - (n.measureIndex > skip ? gap : 0) }))
      .sort((a, b) => a.t - b.t || a.pitch - b.pitch);
    const follower = createCoreFollower(score, { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: false });
    const instant: FollowDecision[] = [];
    const corrections: FollowDecision[] = [];
    for (const p of presses) {
      instant.push(...follower.push({ kind: 'on', pitch: p.pitch, velocity: 64, timeSec: p.t }));
      corrections.push(...(follower.settle?.() ?? []));
    }
    expect(instant.some((d) => d.correction)).toBe(false);
    expect(corrections.length).toBeGreaterThan(0);
    expect(corrections.every((d) => d.correction === true)).toBe(true);
    const result = follower.finish();
    const skipped = score.notes.filter((n) => n.measureIndex === skip).length;
    expect(result.summary).toMatchObject({ missed: skipped, wrong: 0, extra: 0, correct: score.notes.length - skipped });
  });
});
