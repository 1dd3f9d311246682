import { describe, expect, it } from 'vitest';
import { gradePerformance } from '../evaluate/grade';
import { alignPerformance } from './align';
import { asPerformance, buildScore, perfect, type NoteSpec } from './testScores';

/** Right hand in repeated eighths (C C D D E E ...), optionally a left-hand half-note bass. */
function repeatedEighths(withBass: boolean) {
  const pattern = [60, 60, 62, 62, 64, 64, 65, 65, 67, 67, 65, 65, 64, 64, 62, 62];
  const notes: NoteSpec[] = [];
  for (let k = 0; k < 48; k++) notes.push({ beat: k / 2, pitch: pattern[k % 16]! + (Math.floor(k / 16) % 2) * 12, dur: 0.5 });
  if (withBass) for (let b = 0; b < 24; b += 2) notes.push({ beat: b, pitch: 48 - (b % 8), dur: 2, hand: 'left' });
  return buildScore(notes);
}

describe('alignPerformance + gradePerformance: a repeated note left out of an exact take', () => {
  for (const withBass of [false, true]) {
    for (const tempoFactor of [1, 0.8]) {
      it(`${withBass ? 'two hands' : 'one hand'}, tempo ×${tempoFactor}: the omitted copy is missed, every other note correct at ~0 ms`, () => {
        const score = repeatedEighths(withBass);
        const rightHand = score.notes.filter((n) => n.hand === 'right');
        const failures: string[] = [];
        // Every position: the first and the second copy of each repeated pair.
        for (const omitted of rightHand.slice(1, -1)) {
          const played = perfect(score, tempoFactor).filter((_, i) => score.notes[i] !== omitted);
          const performance = asPerformance(played);
          const result = gradePerformance(score, performance, alignPerformance(score, performance));
          for (const v of result.verdicts) {
            const ok =
              v.scoreNoteId === omitted.id
                ? v.verdict === 'missed'
                : v.scoreNoteId === null
                  ? false
                  : v.verdict === 'correct' && Math.abs(v.timingErrorMs!) < 5;
            if (!ok) failures.push(`omit ${omitted.id}: ${v.scoreNoteId ?? 'extra'} ${v.verdict} ${v.timingErrorMs?.toFixed(0) ?? ''}`);
          }
        }
        expect(failures.slice(0, 5)).toEqual([]);
      });
    }
  }
});
