/**
 * Offline grading of a whole performance against a score: the performance's note events are
 * streamed through core/follow's LiveFollower in play-through mode, then finish() grades.
 * (Swap in an offline aligner here when core/follow provides one; the CLI and API keep this entry.)
 */
import type { EvaluationResult } from '../../shared/evaluation';
import type { LiveNoteEvent, Performance } from '../../shared/performance';
import type { PracticeOptions } from '../../shared/practice';
import type { Score } from '../../shared/score';
import { LiveFollower } from '../../core/follow/liveFollower';

export const OFFLINE_OPTIONS: PracticeOptions = { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: false };

export function performanceEvents(performance: Performance): LiveNoteEvent[] {
  const events: (LiveNoteEvent & { order: number })[] = [];
  for (const n of performance.notes) {
    events.push({ kind: 'on', pitch: n.pitch, velocity: Math.max(1, n.velocity), timeSec: n.onsetSec, order: 1 });
    events.push({ kind: 'off', pitch: n.pitch, velocity: 0, timeSec: Math.max(n.offsetSec, n.onsetSec), order: 0 });
  }
  events.sort((a, b) => a.timeSec - b.timeSec || a.order - b.order);
  return events.map(({ kind, pitch, velocity, timeSec }) => ({ kind, pitch, velocity, timeSec }));
}

export function evaluatePerformance(score: Score, performance: Performance, options: PracticeOptions = OFFLINE_OPTIONS): EvaluationResult {
  const follower = new LiveFollower(score, options);
  for (const event of performanceEvents(performance)) follower.push(event);
  follower.tick(performance.durationSec + 10);
  return follower.finish();
}
