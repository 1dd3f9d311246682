/** Adapts src/core/follow's LiveFollower to the session's PracticeFollower port. */
import { AppError } from '../../shared/errors';
import type { PracticeOptions } from '../../shared/practice';
import type { Score } from '../../shared/score';
import type { PracticeFollower } from './follower';

export function createCoreFollower(_score: Score, _options: PracticeOptions): PracticeFollower {
  throw new AppError('UNSUPPORTED', 'The live score follower is not in this build yet.');
}
