/** Adapts src/core/follow's LiveFollower to the session's PracticeFollower port. */
import type { PracticeOptions } from '../../shared/practice';
import type { Score } from '../../shared/score';
import { LiveFollower } from '../../core/follow/liveFollower';
import type { PracticeFollower } from './follower';

export function createCoreFollower(score: Score, options: PracticeOptions): PracticeFollower {
  const follower = new LiveFollower(score, options);
  return {
    push: (event) => follower.push(event),
    tick: (nowSec) => follower.tick(nowSec),
    settle: () => follower.settle(),
    position: () => {
      const p = follower.progress();
      return { positionBeats: p.positionBeats, measureIndex: p.measureIndex, waitingFor: p.waitingFor };
    },
    finish: () => follower.finish(),
  };
}
