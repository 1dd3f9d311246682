import type { Milliseconds, Ratio, Seconds } from './units';

/**
 * Verdict for one score note or one extra played note:
 * correct = right pitch at the right place; wrong = a different pitch played in its place;
 * missed = not played; extra = a played note with no score note.
 */
export type NoteVerdictKind = 'correct' | 'wrong' | 'missed' | 'extra';

export interface NoteVerdict {
  verdict: NoteVerdictKind;
  /** Score note id, null for extra notes. */
  scoreNoteId: string | null;
  /** Index into the performance's notes, null for missed notes. */
  performanceIndex: number | null;
  /** Played minus expected onset (after tempo alignment); null when not played. */
  timingErrorMs: Milliseconds | null;
  /** For wrong notes: the pitch that was played. */
  playedPitch?: number;
}

export interface BarResult {
  measureIndex: number;
  measureNumber: string;
  correct: number;
  wrong: number;
  missed: number;
  extra: number;
  accuracy: Ratio;
  meanAbsTimingErrorMs: Milliseconds | null;
}

export interface AttemptSummary {
  correct: number;
  wrong: number;
  missed: number;
  extra: number;
  /** correct / (score notes required + extra notes). */
  accuracy: Ratio;
  meanAbsTimingErrorMs: Milliseconds | null;
  p90AbsTimingErrorMs: Milliseconds | null;
  durationSec: Seconds;
  bars: BarResult[];
}

export interface EvaluationResult {
  summary: AttemptSummary;
  verdicts: NoteVerdict[];
}
