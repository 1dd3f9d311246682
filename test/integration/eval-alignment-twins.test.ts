import { describe, expect, it } from 'vitest';
import { buildScore } from '../../src/core/follow/testScores';
import { deletedTwinsOfPlayed, sameKeyTwin, twinKeys } from '../../scripts/eval-alignment-twins';
import { matchAccuracy } from '../../scripts/eval-alignment-data';

// Two voices share C4 on beat 0 (n0 half note, n1 quarter), E4 follows on beat 1.
const score = buildScore([
  { beat: 0, pitch: 60, dur: 2 },
  { beat: 0, pitch: 60, dur: 1, hand: 'left' },
  { beat: 1, pitch: 64 },
  { beat: 2, pitch: 60 },
]);

describe('same-key twins in the alignment evaluation', () => {
  it('knows which score notes share a key and a beat', () => {
    const twin = sameKeyTwin(twinKeys(score));
    const [c0a, c0b, e4, c2] = score.notes.map((n) => n.id) as [string, string, string, string];
    expect(twin(c0a, c0b)).toBe(true);
    expect(twin(c0a, c2)).toBe(false); // same key, later beat
    expect(twin(c0a, e4)).toBe(false);
    expect(twin('no-such-note', c0a)).toBe(false);
  });

  it('accepts the press given to the twin only when asked to', () => {
    const [c0a, c0b, e4] = score.notes.map((n) => n.id) as [string, string, string];
    const truth = new Map<number, string | null>([[0, c0a], [1, e4], [2, null]]);
    const ours = new Map<number, string | null>([[0, c0b], [1, e4], [2, null]]);
    expect(matchAccuracy(ours, truth)).toEqual({ matched: 2, matchedRight: 1, all: 3, allRight: 2 });
    expect(matchAccuracy(ours, truth, sameKeyTwin(twinKeys(score)))).toEqual({ matched: 2, matchedRight: 2, all: 3, allRight: 3 });
    // A press given to an unrelated note stays wrong under the equivalence.
    const off = new Map<number, string | null>([[0, e4], [1, e4], [2, null]]);
    expect(matchAccuracy(off, truth, sameKeyTwin(twinKeys(score))).matchedRight).toBe(1);
  });

  it('drops the missed label of a twin only while the other twin keeps its press', () => {
    const [c0a, c0b, e4, c2] = score.notes.map((n) => n.id) as [string, string, string, string];
    const keys = twinKeys(score);
    expect([...deletedTwinsOfPlayed(keys, [c0b, c2], [c0a, e4])]).toEqual([c0b]);
    // Both copies unplayed (the press itself was dropped): the label stands.
    expect([...deletedTwinsOfPlayed(keys, [c0a, c0b], [e4, c2])]).toEqual([]);
  });
});
