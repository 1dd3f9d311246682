import type { NoteVerdict, NoteVerdictKind } from '../../shared/evaluation';

export const PENDING = 0;
export const CORRECT = 1;
export const WRONG = 2;
export const MISSED = 3;

/**
 * Per-score-note state of the live follower in flat typed arrays (no allocation per note),
 * plus a snapshot of the last finished loop pass for notes the current pass has not reached.
 */
export class NoteStates {
  readonly state: Int8Array;
  /** Take event index that decided the note, -1 if none. */
  readonly event: Int32Array;
  /** Timing error in ms (NaN when not measured). */
  readonly timing: Float64Array;
  private readonly doneState: Int8Array;
  private readonly doneEvent: Int32Array;
  private readonly doneTiming: Float64Array;
  /** 1 when the kept decision was set aside by a restart rather than by a finished loop pass. */
  private readonly doneByRestart: Uint8Array;

  constructor(count: number) {
    this.state = new Int8Array(count);
    this.event = new Int32Array(count).fill(-1);
    this.timing = new Float64Array(count).fill(NaN);
    this.doneState = new Int8Array(count).fill(-1);
    this.doneEvent = new Int32Array(count).fill(-1);
    this.doneTiming = new Float64Array(count).fill(NaN);
    this.doneByRestart = new Uint8Array(count);
  }

  set(note: number, state: number, eventIndex: number, timingMs: number): void {
    this.state[note] = state;
    this.event[note] = eventIndex;
    this.timing[note] = timingMs;
  }

  reset(note: number): void {
    this.set(note, PENDING, -1, NaN);
  }

  /**
   * Remembers the note's verdict of the finished pass (or, byRestart, of the stretch the player
   * went back over) and makes it pending for the next.
   */
  finishPass(note: number, byRestart = false): void {
    this.doneByRestart[note] = byRestart ? 1 : 0;
    this.doneState[note] = this.state[note]!;
    this.doneEvent[note] = this.event[note]!;
    this.doneTiming[note] = this.timing[note]!;
    this.reset(note);
  }

  /**
   * The note's final verdict: the current pass if it reached the note, else the last finished
   * one. After a restart, a note played before and only given up (missed) since keeps its
   * earlier verdict: the player went back, they did not forget it.
   */
  verdict(note: number, scoreNoteId: string, pitchOfEvent: (eventIndex: number) => number): NoteVerdict {
    let state = this.state[note]!;
    let ev = this.event[note]!;
    let timing = this.timing[note]!;
    const kept = this.doneState[note]!;
    if (kept >= 0 && (state === PENDING || (state === MISSED && this.doneByRestart[note] && kept !== MISSED))) {
      state = this.doneState[note]!;
      ev = this.doneEvent[note]!;
      timing = this.doneTiming[note]!;
    }
    const kind: NoteVerdictKind = state === CORRECT ? 'correct' : state === WRONG ? 'wrong' : 'missed';
    const verdict: NoteVerdict = {
      verdict: kind,
      scoreNoteId,
      performanceIndex: kind === 'missed' ? null : ev,
      timingErrorMs: kind === 'correct' && Number.isFinite(timing) ? timing : null,
    };
    if (kind === 'wrong') verdict.playedPitch = pitchOfEvent(ev);
    return verdict;
  }
}
