import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importScore, performanceFromMidi } from '../music';
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

/**
 * Scriabin, sonata no. 5, bar 438 (nASAP, take FaB05M, note_alignments ground truth): a
 * two-hand tremolo of repeated chords. With symmetric time costs the map ran ahead here and
 * every chord was matched one repetition early; these are the ground truth's pairs.
 */
describe('alignPerformance on a real take: repeated-chord tremolo (Scriabin sonata 5, bar 438)', () => {
  const dir = resolve(process.cwd(), '../shared/data/nasap/Scriabin/Sonatas/5');
  const truth: [string, number, number][] = [
    ['n8746', 60, 683.24], ['n8747', 64, 683.242], ['n8748', 66, 683.243], ['n8749', 70, 683.247],
    ['n8750', 60, 683.535], ['n8751', 64, 683.599], ['n8752', 66, 683.591], ['n8753', 70, 683.595],
    ['n8723', 80, 683.647], ['n8724', 84, 683.646],
    ['n8754', 60, 683.81], ['n8755', 64, 683.777], ['n8756', 66, 683.766], ['n8757', 70, 683.762],
    ['n8725', 80, 683.862], ['n8726', 84, 683.868],
    ['n8758', 60, 683.934], ['n8759', 64, 683.905], ['n8760', 66, 683.909], ['n8761', 70, 683.905],
  ];
  it.skipIf(!existsSync(join(dir, 'FaB05M.mid')))('matches each chord of the bar to the repetition the player played for it', () => {
    const score = importScore('xml_score.musicxml', new Uint8Array(readFileSync(join(dir, 'xml_score.musicxml'))));
    const performance = performanceFromMidi(new Uint8Array(readFileSync(join(dir, 'FaB05M.mid'))));
    const played = new Map(alignPerformance(score, performance).filter((p) => p.scoreNoteId !== null).map((p) => [p.scoreNoteId!, p.performanceIndex]));
    const wrong = truth.filter(([id, pitch, onset]) => {
      const p = played.get(id);
      const note = p === null || p === undefined ? undefined : performance.notes[p];
      return !note || note.pitch !== pitch || Math.abs(note.onsetSec - onset) > 0.002;
    });
    expect(wrong.map(([id]) => id)).toEqual([]);
  });
});
