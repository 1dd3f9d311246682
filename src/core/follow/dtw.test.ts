import { describe, expect, it } from 'vitest';
import { alignPerformance } from './align';
import { asPerformance, buildScore, perfect, type NoteSpec } from './testScores';

/**
 * A piece written |: A :| B, unfolded A A B, played A B (the repeat left out mid-piece, as in
 * Batik K. 457/1). Skipping copy 2 slot by slot costs more than leaving B unexplained, so the
 * path used to stop at the end of copy 1 and B's notes came out as extras.
 */
function repeatThenCoda() {
  const a = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62];
  const b = [40, 43, 47, 45, 41, 38, 36, 43, 48, 46, 44, 42, 39, 37, 35, 33, 36, 40, 43, 48, 45, 41, 38, 36];
  const notes: NoteSpec[] = [];
  let beat = 0;
  for (let copy = 0; copy < 2; copy++) for (let k = 0; k < 64; k++) notes.push({ beat: beat++, pitch: a[k % a.length]! });
  for (const pitch of b) notes.push({ beat: beat++, pitch, hand: 'left' });
  return buildScore(notes);
}

describe('dtwPath: a repeat left out in the middle of the take', () => {
  it('aligns the coda after the left-out copy, and the first copy (not the second) with the played one', () => {
    const score = repeatThenCoda();
    const secondCopy = new Set(score.notes.slice(64, 128).map((n) => n.id));
    // The second copy left out and the gap closed: the coda follows the first copy at once.
    const gap = (score.notes[64]!.onsetSec - score.notes[0]!.onsetSec) / 1.1;
    const played = perfect(score, 1.1)
      .map((n, i) => (i >= 128 ? { ...n, onsetSec: n.onsetSec - gap, offsetSec: n.offsetSec - gap } : n))
      .filter((_, i) => !secondCopy.has(score.notes[i]!.id));
    const performance = asPerformance(played);
    const pairs = alignPerformance(score, performance);
    const byId = new Map(pairs.filter((p) => p.scoreNoteId !== null).map((p) => [p.scoreNoteId!, p.performanceIndex]));
    // Every played note is matched; the first copy and the coda carry them, the second copy is unplayed.
    expect(pairs.filter((p) => p.scoreNoteId === null)).toEqual([]);
    const wrong = score.notes.filter((n) => (byId.get(n.id) === null) !== secondCopy.has(n.id)).map((n) => n.id);
    expect(wrong).toEqual([]);
    // And each played note goes to the score note it plays (same order in time).
    const matched = score.notes.filter((n) => !secondCopy.has(n.id)).map((n) => byId.get(n.id));
    expect(matched).toEqual(played.map((_, k) => k));
  });
});
