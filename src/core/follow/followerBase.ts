import type { Score } from '../../shared/score';
import type { Performance } from '../../shared/performance';
import type { PracticeOptions } from '../../shared/practice';
import type { EvaluationResult, NoteVerdict, NoteVerdictKind } from '../../shared/evaluation';
import { AppError } from '../../shared/errors';
import { slotAtWrittenSec, slotScore, type SlottedScore } from './scoreSlots';
import { CORRECT, MISSED, NoteStates, PENDING, WRONG } from './noteStates';
import { EV_EXTRA, EV_UNSETTLED, type Settler } from './settle';
import { TakeRecord } from './takeRecord';
import { LocalTempo } from './localTempo';
import { summarize, type PlacedVerdict } from '../evaluate/summary';

/** One decision of the follower; the practice service turns it into a FeedbackEvent. */
export interface FollowerDecision {
  verdict: NoteVerdictKind;
  /** Score note id; null for an extra note. */
  scoreNoteId: string | null;
  pitch: number;
  velocity: number;
  /** Played minus expected (local tempo), ms; null for missed notes and in wait mode. */
  timingErrorMs: number | null;
  positionBeats: number;
  measureIndex: number;
  /** Index of the note-on in this take (see recordedPerformance()); null for missed notes. */
  eventIndex: number | null;
  /** Loop pass (0 without a loop). */
  pass: number;
  /** True when the decision revises an earlier one for the same event (after a relocation). */
  revised: boolean;
  /**
   * True for a settled verdict that corrects what was reported at once (see settle.ts): the UI
   * re-colours the note (or the press, for an extra), and the attempt is graded with it.
   */
  correction: boolean;
}

export interface FollowerProgress {
  positionBeats: number;
  measureIndex: number;
  waitingFor: string[];
  pass: number;
}


/**
 * The live follower's bookkeeping: slot model, per-note states, the take record, the local
 * tempo, and how decisions, progress and the final result are reported. The matching policy
 * lives in LiveFollower.
 */
export abstract class FollowerBase {
  protected readonly slotted: SlottedScore;
  protected readonly n: number;
  protected readonly mode: PracticeOptions['mode'];
  protected readonly looping: boolean;
  protected readonly loopSpanSec: number;
  protected readonly tempo: LocalTempo;
  protected readonly secPerBeat: Float64Array;
  protected readonly notes: NoteStates;
  protected readonly take = new TakeRecord();
  protected readonly slotFirstTime: Float64Array;
  protected readonly slotExpected: Float64Array;
  protected pass = 0;
  /** Oldest virtual slot (pass * n + slot) with unresolved notes. */
  protected openV = 0;
  /** Latest virtual slot matched (play-through) — the follower's position. */
  protected posV = -1;
  protected started = false;
  protected lastTime = 0;
  protected firstTime = 0;

  constructor(
    protected readonly score: Score,
    options: PracticeOptions,
  ) {
    if (!(options.tempoFactor > 0)) throw new AppError('INVALID_ARGUMENT', 'tempoFactor must be positive');
    this.slotted = slotScore(score, options);
    this.n = this.slotted.slots.length;
    if (this.n === 0) throw new AppError('INVALID_ARGUMENT', 'no score notes in the selected hands and range');
    this.mode = options.mode;
    this.looping = options.loop !== null;
    this.loopSpanSec = this.slotted.spanEndSec - this.slotted.spanStartSec;
    this.tempo = new LocalTempo(1 / options.tempoFactor);
    this.notes = new NoteStates(score.notes.length);
    this.slotFirstTime = new Float64Array(this.n).fill(NaN);
    this.slotExpected = new Float64Array(this.n).fill(NaN);
    this.secPerBeat = new Float64Array(this.n);
    let tempo = 0;
    for (const slot of this.slotted.slots) {
      while (tempo + 1 < score.tempos.length && score.tempos[tempo + 1]!.beats <= slot.beats) tempo++;
      this.secPerBeat[slot.index] = 60 / (score.tempos[tempo]?.qpm ?? 120);
    }
  }

  progress(): FollowerProgress {
    const v = this.mode === 'wait' ? this.openV : Math.max(this.posV, 0);
    const slot = this.slotted.slots[v % this.n]!;
    const waitingFor: string[] = [];
    if (this.mode === 'wait' && (this.looping || this.openV < this.n)) {
      for (const i of slot.noteIndices) {
        const awaited = this.notes.state[i] === PENDING || this.notes.state[i] === WRONG; // a wrong key does not settle it
        if (awaited && !this.score.notes[i]!.grace) waitingFor.push(this.score.notes[i]!.id);
      }
    }
    return { positionBeats: slot.beats, measureIndex: slot.measureIndex, waitingFor, pass: this.pass };
  }

  /** The take so far as a Performance; performanceIndex in verdicts indexes its notes. */
  recordedPerformance(): Performance {
    return this.take.performance();
  }

  /**
   * Verdicts for the take as the follower decided them at once (no settling): one per selected score note (the latest
   * pass that reached it) plus every unexplained key press as extra, as last reported live: in wait
   * mode a wrong key stays the note's 'wrong' unless the note was then played right (the key was
   * then revised live to extra).
   */
  instantResult(): EvaluationResult {
    const placed: PlacedVerdict[] = [];
    const pitchOf = (ev: number) => this.take.events[ev]!.pitch;
    for (const slot of this.slotted.slots) {
      for (const i of slot.noteIndices) {
        placed.push({ verdict: this.notes.verdict(i, this.score.notes[i]!.id, pitchOf), measureIndex: slot.measureIndex });
      }
      for (const [twin, primary] of slot.twins) {
        const shared = this.notes.verdict(primary, this.score.notes[twin]!.id, pitchOf);
        placed.push({ verdict: { ...shared, performanceIndex: null }, measureIndex: slot.measureIndex });
      }
    }
    this.take.events.forEach((e, index) => {
      if (e.verdict !== 'extra') return;
      placed.push({
        verdict: { verdict: 'extra', scoreNoteId: null, performanceIndex: index, timingErrorMs: null, playedPitch: e.pitch },
        measureIndex: this.measureAtTime(e.onsetSec),
      });
    });
    const duration = this.started ? this.lastTime - this.firstTime : 0;
    return { summary: summarize(this.score, placed, duration), verdicts: placed.map((p) => p.verdict) };
  }

  /**
   * The take's verdicts with each settled verdict in place of the instant one (settle.ts); a
   * note not settled keeps its instant verdict unless its press was settled as something else.
   * Each press still appears exactly once (correct / wrong / extra), or not at all when it was
   * an abandoned attempt or its note went to a later pass.
   */
  protected settledResult(settler: Settler): EvaluationResult {
    const placed: PlacedVerdict[] = [];
    const events = this.take.events;
    const pitchOf = (ev: number) => events[ev]!.pitch;
    const claimed = new Uint8Array(events.length);
    const verdictOf = (i: number): NoteVerdict => {
      const id = this.score.notes[i]!.id;
      const state = settler.noteState[i]!;
      if (state === PENDING) {
        const instant = this.notes.verdict(i, id, pitchOf);
        const ev = instant.performanceIndex;
        if (ev === null || settler.eventKind[ev] === EV_UNSETTLED) return instant;
        return { verdict: 'missed', scoreNoteId: id, performanceIndex: null, timingErrorMs: null };
      }
      if (state === MISSED) return { verdict: 'missed', scoreNoteId: id, performanceIndex: null, timingErrorMs: null };
      const ev = settler.noteEvent[i]!;
      // A press settled on the follower's own reading keeps the follower's timing.
      const timing = Number.isFinite(settler.noteTiming[i]!) ? settler.noteTiming[i]! : this.notes.event[i] === ev ? this.notes.timing[i]! : NaN;
      if (state === CORRECT) return { verdict: 'correct', scoreNoteId: id, performanceIndex: ev, timingErrorMs: Number.isFinite(timing) ? timing : null };
      return { verdict: 'wrong', scoreNoteId: id, performanceIndex: ev, timingErrorMs: null, playedPitch: pitchOf(ev) };
    };
    for (const slot of this.slotted.slots) {
      for (const i of slot.noteIndices) {
        const verdict = verdictOf(i);
        if (verdict.performanceIndex !== null) claimed[verdict.performanceIndex] = 1;
        placed.push({ verdict, measureIndex: slot.measureIndex });
      }
      for (const [twin, primary] of slot.twins) {
        const shared = verdictOf(primary);
        placed.push({ verdict: { ...shared, scoreNoteId: this.score.notes[twin]!.id, performanceIndex: null }, measureIndex: slot.measureIndex });
      }
    }
    events.forEach((e, index) => {
      if (claimed[index]) return;
      const kind = settler.eventKind[index] ?? EV_UNSETTLED;
      const extra = kind === EV_UNSETTLED ? e.verdict !== 'superseded' : kind === EV_EXTRA;
      if (!extra) return;
      placed.push({
        verdict: { verdict: 'extra', scoreNoteId: null, performanceIndex: index, timingErrorMs: null, playedPitch: e.pitch },
        measureIndex: this.measureAtTime(e.onsetSec),
      });
    });
    const duration = this.started ? this.lastTime - this.firstTime : 0;
    return { summary: summarize(this.score, placed, duration), verdicts: placed.map((p) => p.verdict) };
  }

  protected releaseWrong(note: number, out: FollowerDecision[]): void {
    const ev = this.notes.event[note]!;
    if (ev < 0) return;
    this.take.events[ev]!.verdict = 'extra';
    this.take.events[ev]!.note = -1;
    out.push(this.extraDecision(ev, true));
  }

  protected setNote(note: number, state: number, eventIndex: number, timingMs: number): void {
    this.notes.set(note, state, eventIndex, timingMs);
    if (eventIndex >= 0) {
      const e = this.take.events[eventIndex]!;
      e.verdict = state === CORRECT ? 'correct' : 'wrong';
      e.note = note;
    }
  }

  protected advanceOpen(): void {
    const end = this.looping ? Infinity : this.n;
    while (this.openV < end && this.openV <= this.pass * this.n + this.n - 1 && !this.hasPending(this.openV % this.n)) {
      this.openV++;
    }
  }

  protected hasPending(j: number): boolean {
    for (const i of this.slotted.slots[j]!.noteIndices) if (this.notes.state[i] === PENDING) return true;
    return false;
  }

  protected hasRequiredPending(j: number): boolean {
    for (const i of this.slotted.slots[j]!.noteIndices) {
      if (this.notes.state[i] === PENDING && !this.score.notes[i]!.grace) return true;
    }
    return false;
  }

  protected vsec(v: number): number {
    return this.slotted.slots[v % this.n]!.sec + Math.floor(v / this.n) * this.loopSpanSec;
  }

  protected expectedAt(v: number): number {
    return this.tempo.expected(this.vsec(v));
  }

  protected measureAtTime(t: number): number {
    const written = this.tempo.written(t);
    const { spanStartSec } = this.slotted;
    const span = this.loopSpanSec;
    const local = this.looping && span > 0 ? spanStartSec + ((((written - spanStartSec) % span) + span) % span) : written;
    return slotAtWrittenSec(this.slotted, local).measureIndex;
  }

  /** A decision about score note `note` (or, with note -1, an extra key press). */
  protected decision(verdict: NoteVerdictKind, note: number, eventIndex: number | null, timingMs: number | null, revised: boolean): FollowerDecision {
    const where = this.position();
    const scoreNote = note >= 0 ? this.score.notes[note]! : null;
    const e = eventIndex === null ? null : this.take.events[eventIndex]!;
    return {
      verdict,
      scoreNoteId: scoreNote ? scoreNote.id : null,
      pitch: e ? e.pitch : (scoreNote?.pitch ?? 0),
      velocity: e ? e.velocity : 0,
      timingErrorMs: timingMs !== null && Number.isFinite(timingMs) ? timingMs : null,
      positionBeats: where.beats,
      measureIndex: where.measureIndex,
      eventIndex,
      pass: this.pass,
      revised,
      correction: false,
    };
  }

  protected extraDecision(eventIndex: number, revised: boolean): FollowerDecision {
    return this.decision('extra', -1, eventIndex, null, revised);
  }

  protected position(): { beats: number; measureIndex: number } {
    const v = this.mode === 'wait' ? Math.min(this.openV, this.looping ? Infinity : this.n - 1) : Math.max(this.posV, 0);
    const slot = this.slotted.slots[v % this.n]!;
    return { beats: slot.beats, measureIndex: slot.measureIndex };
  }
}
