import type { Score } from '../../shared/score';
import type { Hypothesis } from './relocation';
import type { SlottedScore } from './scoreSlots';
import type { Settler } from './settle';
import type { TakeEvent } from './takeRecord';
import { CORRECT } from './noteStates';

/** How a settled press counts: abandoned = an attempt replayed at once; superseded = its note went to a later pass. */
export type SettledPressVerdict = 'correct' | 'wrong' | 'extra' | 'abandoned' | 'superseded';

const SETTLED_KIND_NAMES: SettledPressVerdict[] = ['extra', 'correct', 'wrong', 'abandoned', 'superseded'];

/**
 * The settled verdict of each press settled so far, in press order. A settled verdict does not
 * change, except that a press whose note a later pass through the bar plays again (a restart)
 * becomes 'superseded', as the last pass is the one graded.
 */
export function settledPresses(settler: Settler, score: Score): { verdict: SettledPressVerdict; scoreNoteId: string | null }[] {
  return Array.from({ length: settler.frontier }, (_, e) => {
    const note = settler.eventNote[e]!;
    const verdict = SETTLED_KIND_NAMES[settler.eventKind[e]!]!;
    return { verdict, scoreNoteId: note >= 0 && (verdict === 'correct' || verdict === 'wrong') ? score.notes[note]!.id : null };
  });
}

/**
 * The window's reading of the last `count` presses as a relocation hypothesis, when it says the
 * follower is lost there: the window matches them in order (each within 3 slots of the one
 * before), the follower explained none of them (extra or wrong) and their notes are still open.
 * Null otherwise. Whether the place is far enough to be a jump is the follower's call.
 */
export function lostFollowerHypothesis(
  newest: [number, number][],
  count: number,
  events: readonly TakeEvent[],
  noteState: Int8Array,
  slotted: SlottedScore,
): Hypothesis | null {
  const last = newest.slice(-count);
  if (last.length < count) return null;
  for (let k = 0; k < last.length; k++) {
    const [e, note] = last[k]!;
    const verdict = events[e]!.verdict;
    if ((verdict !== 'extra' && verdict !== 'wrong') || noteState[note] === CORRECT) return null;
    const slot = slotted.slotOfNote[note]!;
    if (k > 0 && (slot < slotted.slotOfNote[last[k - 1]![1]]! || slot > slotted.slotOfNote[last[k - 1]![1]]! + 3)) return null;
  }
  return {
    firstSlot: slotted.slotOfNote[last[0]![1]]!,
    lastSlot: slotted.slotOfNote[last[last.length - 1]![1]]!,
    lastTime: events[last[last.length - 1]![0]]!.onsetSec,
    count: last.length,
    distinctSlots: new Set(last.map(([, note]) => slotted.slotOfNote[note])).size,
    misses: 0,
    notes: last.map(([, note]) => note),
    events: last.map(([e]) => e),
  };
}
