/**
 * What a practice session needs from a score follower. Kept as a narrow port so the session
 * (src/main) does not depend on the follower's internals (src/core/follow).
 */
import type { NoteVerdictKind, EvaluationResult } from '../../shared/evaluation';
import type { LiveNoteEvent } from '../../shared/performance';

export interface FollowDecision {
  scoreNoteId: string | null;
  pitch: number;
  velocity: number;
  verdict: NoteVerdictKind;
  timingErrorMs: number | null;
  positionBeats: number;
  measureIndex: number;
  /** A settled verdict replacing one sent earlier for this note / key press (see FeedbackEvent). */
  correction?: boolean;
}

export interface FollowPosition {
  positionBeats: number;
  measureIndex: number;
  waitingFor: string[];
}

export interface PracticeFollower {
  push(event: LiveNoteEvent): FollowDecision[];
  /** Decisions that time alone makes (notes whose window passed in silence), at input time `nowSec`. */
  tick?(nowSec: number): FollowDecision[];
  /** Corrections from settling the earlier verdicts (call after sending push()'s decisions). */
  settle?(): FollowDecision[];
  pedal?(value: number, timeSec: number): void;
  position(): FollowPosition;
  finish(): EvaluationResult;
}
