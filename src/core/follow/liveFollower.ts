import type { Score } from '../../shared/score';
import type { LiveNoteEvent } from '../../shared/performance';
import type { PracticeOptions } from '../../shared/practice';
import { RelocationTracker, type Hypothesis } from './relocation';
import { CORRECT, MISSED, PENDING, WRONG } from './noteStates';
import { FollowerBase, type FollowerDecision } from './followerBase';
import { DEFAULT_SETTLE, EV_CORRECT, EV_EXTRA, EV_WRONG, Settler, type SettleOptions, type SettleRound } from './settle';
import type { EvaluationResult } from '../../shared/evaluation';
import { lostFollowerHypothesis, settledPresses, type SettledPressVerdict } from './settledReading';

export type { FollowerDecision, FollowerProgress } from './followerBase';

export type { SettledPressVerdict } from './settledReading';

/** Tolerances scale with the (performed) beat but never go below these floors. */
const EARLY_FLOOR_SEC = 0.25;
const LATE_FLOOR_SEC = 0.3;
const WRONG_FLOOR_SEC = 0.15;
const MAX_WINDOW_SLOTS = 48;
const CHORD_SPREAD_SEC = 0.12;
/** Longest spread of a rolled chord still completed as one chord. */
const ROLL_SPREAD_SEC = 0.3;
/** After this many unexplained notes in a row the follower counts itself lost. */
const LOST_AFTER_NOTES = 4;
const MIN_EARLY_SEC = 0.12;
const SKIP_COST_SEC = 0.1;
/** Written span a relocation's notes must cover before their tempo replaces the estimate. */
const MIN_RATE_SPAN_SEC = 0.5;
/** Relocation is for jumps (restarts, skipped bars), not local confusion: at least this far. */
const MIN_JUMP_BEATS = 2;

/**
 * Live score follower. Each note-on is decided at once against a bounded window of onset slots
 * around the current position (O(window) per note), with a local tempo estimate in play-through
 * mode, a strict chord gate in wait mode, loop passes, and relocation after restarts or skips.
 */
export class LiveFollower extends FollowerBase {
  private readonly relocation: RelocationTracker;
  /**
   * Slots whose clock was started by grace notes only: players often put the graces on the
   * beat and the main notes after them, so until a main note arrives each grace moves the
   * slot's reference on (a three-note grace figure had pushed the main chord past the 0.3 s
   * completion window: missed + wrong + a false relocation in Schubert D783 no. 15).
   */
  private readonly graceLed: Uint8Array;
  /** Consecutive note-ons the follower could not place at its position. */
  private unexplainedRun = 0;

  /**
   * Bounded-lag settling (play-through without a loop): each press gets a final verdict once a
   * few newer presses exist; null in wait mode (its rule is what the student saw) and in loops.
   */
  private readonly settler: Settler | null;
  /** A press arrived since the last settle(). */
  private settleDue = false;

  constructor(score: Score, options: PracticeOptions, settle: SettleOptions | null = DEFAULT_SETTLE) {
    super(score, options);
    this.relocation = new RelocationTracker(this.slotted, this.tempo.nominalRate);
    this.graceLed = new Uint8Array(this.n);
    this.settler = settle && this.mode === 'play-through' && !this.looping ? new Settler(score, this.slotted, options.hands, settle) : null;
    if (this.mode === 'wait') this.skipUnrequiredSlots([]);
  }

  /** Decides one input event at once. Note-offs only close the recorded note. */
  push(event: LiveNoteEvent): FollowerDecision[] {
    const out: FollowerDecision[] = [];
    const pitch = event.pitch & 127;
    if (event.kind === 'off' || event.velocity === 0) {
      this.take.noteOff(pitch, event.timeSec);
      return out;
    }
    const t = event.timeSec;
    const eventIndex = this.take.noteOn(pitch, event.velocity, t);
    this.lastTime = t;
    if (!this.started) this.start(pitch, t);
    if (this.mode === 'wait') this.pushWait(pitch, t, eventIndex, out);
    else this.pushPlayThrough(pitch, t, eventIndex, out);
    this.settleDue = this.settler !== null;
    return out;
  }

  /**
   * Settles what is old enough after the last push() (a windowed re-alignment every few
   * presses, a few ms): the corrections to verdicts reported earlier. Kept apart from push() so
   * the instant verdict goes out first; call it after sending push()'s decisions.
   */
  settle(): FollowerDecision[] {
    const out: FollowerDecision[] = [];
    if (!this.settler || !this.settleDue) return out;
    this.settleDue = false;
    const round = this.settler.afterPress(this.take.events, this.instantSlot, this.nearSlot());
    this.corrections(round, out);
    if (round) this.followWindow(round, out);
    return out;
  }

  /**
   * Moves the follower where the window says the player is, when it is lost there
   * (`lostFollowerHypothesis`) and the place is a jump away. The follower's own relocation needs
   * 4-6 notes it cannot explain; the window knows the context (the wrong copy of a repeated bar).
   * (Also moving it when it had placed those presses elsewhere: Batik live 95.2 -> 95.8 % but
   * nASAP 94.4 -> 94.1 % and settled F1 down 0.01 on --nasap 10 --vienna 22 --batik 12.)
   */
  private followWindow(round: SettleRound, out: FollowerDecision[]): void {
    const h = lostFollowerHypothesis(round.newest, LOST_AFTER_NOTES, this.take.events, this.notes.state, this.slotted);
    if (!h) return;
    if (Math.abs(this.slotted.slots[h.firstSlot]!.beats - this.position().beats) < MIN_JUMP_BEATS) return;
    const moved: FollowerDecision[] = [];
    this.relocate(h, moved);
    for (const d of moved) d.correction = d.revised;
    out.push(...moved);
  }

  /** Play-through: reports notes whose window has passed while the player is silent. */
  tick(nowSec: number): FollowerDecision[] {
    const out: FollowerDecision[] = [];
    if (this.mode === 'play-through' && this.started) this.expire(nowSec, out);
    if (this.settler && this.started) this.corrections(this.settler.atTime(this.take.events, nowSec, this.instantSlot, this.nearSlot()), out);
    return out;
  }

  /**
   * The attempt's result: settled verdicts (the take has ended, so every press is settled with
   * what was played) in play-through, the instant ones in wait mode and loops.
   */
  finish(): EvaluationResult {
    if (!this.settler) return this.instantResult();
    this.settle();
    this.settler.flush(this.take.events, this.instantSlot, this.nearSlot());
    return this.settledResult(this.settler);
  }

  /** The settled verdict of each press settled so far (`settledPresses`; empty without settling). */
  settledSoFar(): { verdict: SettledPressVerdict; scoreNoteId: string | null }[] {
    return this.settler ? settledPresses(this.settler, this.score) : [];
  }

  /** Where the follower put press e at once (its note's slot), -1 if nowhere. */
  private readonly instantSlot = (e: number): number => {
    const note = this.take.events[e]!.note;
    return note >= 0 ? this.slotted.slotOfNote[note]! : -1;
  };

  /** A correction for each settled verdict that differs from the one reported at once. */
  private corrections(round: SettleRound | null, out: FollowerDecision[]): void {
    if (!round || !this.settler) return;
    const settler = this.settler;
    for (const e of round.events) {
      const kind = settler.eventKind[e]!;
      const instant = this.take.events[e]!;
      const note = settler.eventNote[e]!;
      if (kind === EV_EXTRA && instant.verdict !== 'extra') out.push(this.correction('extra', -1, e, null));
      if (kind === EV_CORRECT && (instant.verdict !== 'correct' || instant.note !== note)) out.push(this.correction('correct', note, e, settler.noteTiming[note]!));
      if (kind === EV_WRONG && (instant.verdict !== 'wrong' || instant.note !== note)) out.push(this.correction('wrong', note, e, null));
    }
    for (const note of round.notes) {
      if (settler.noteState[note] === MISSED && this.notes.state[note] !== MISSED) out.push(this.correction('missed', note, null, null));
    }
  }

  private correction(verdict: FollowerDecision['verdict'], note: number, eventIndex: number | null, timingMs: number | null): FollowerDecision {
    const decision = this.decision(verdict, note, eventIndex, timingMs, true);
    decision.correction = true;
    if (note >= 0) {
      // Placed where the corrected note is, not where the player is now.
      const slot = this.slotted.slots[this.slotted.slotOfNote[note]!]!;
      decision.positionBeats = slot.beats;
      decision.measureIndex = slot.measureIndex;
    }
    return decision;
  }

  private pushPlayThrough(pitch: number, t: number, eventIndex: number, out: FollowerDecision[]): void {
    this.expire(t, out);
    const match = this.findMatch(pitch, t);
    if (match.note >= 0) {
      this.unexplainedRun = 0;
      this.acceptMatch(match.v, match.note, t, eventIndex, out);
      return;
    }
    this.unexplainedRun++;
    const hyp = this.relocation.update(pitch, t, eventIndex, this.nearSlot(), this.tempo.rate);
    if (hyp && this.isJump(hyp)) {
      this.relocate(hyp, out);
      return;
    }
    this.decideUnexplained(pitch, t, eventIndex, out);
  }

  private findMatch(pitch: number, t: number): { v: number; note: number } {
    let bestV = -1;
    let bestNote = -1;
    let bestCost = Infinity;
    let skipped = 0;
    const end = this.looping ? Infinity : this.n;
    for (let v = this.openV; v < end && v < this.openV + MAX_WINDOW_SLOTS; v++) {
      const j = v % this.n;
      const expected = this.expectedAt(v);
      const beat = this.secPerBeat[j]! * this.tempo.rate;
      if (expected - Math.max(EARLY_FLOOR_SEC, 0.75 * beat) > t) break;
      const fresh = Math.floor(v / this.n) > this.pass;
      const first = fresh ? NaN : this.slotFirstTime[j]!;
      const reference = Number.isNaN(first) ? expected : first;
      // In dense passages a note far ahead of its slot belongs to an earlier one: the early
      // window shrinks with the gap to the previous slot.
      const gapBefore = v > 0 ? (this.vsec(v) - this.vsec(v - 1)) * this.tempo.rate : beat;
      const early = Math.max(MIN_EARLY_SEC, Math.min(Math.max(EARLY_FLOOR_SEC, 0.75 * beat), 0.6 * gapBefore));
      const late = Number.isNaN(first) ? Math.max(LATE_FLOOR_SEC, 0.9 * beat) : ROLL_SPREAD_SEC;
      // A started chord is completed at no cost within the usual spread (rolled chords), and
      // playing in order is preferred: each still-unplayed slot passed over costs a little.
      const offset = Number.isNaN(first) ? Math.abs(t - reference) : Math.max(0, t - first - CHORD_SPREAD_SEC);
      const cost = offset + SKIP_COST_SEC * skipped;
      if (Number.isNaN(first) && this.hasRequiredPending(j) && !fresh) skipped++;
      if (t - reference > late || reference - t > early || cost >= bestCost) continue;
      for (const i of this.slotted.slots[j]!.noteIndices) {
        if (this.score.notes[i]!.pitch !== pitch) continue;
        const s = fresh ? PENDING : this.notes.state[i]!;
        if (s !== PENDING && s !== WRONG) continue;
        const c = cost + (s === WRONG ? 0.02 : 0);
        if (c < bestCost) {
          bestCost = c;
          bestV = v;
          bestNote = i;
        }
      }
    }
    return { v: bestV, note: bestNote };
  }


  private acceptMatch(v: number, note: number, t: number, eventIndex: number, out: FollowerDecision[]): void {
    if (Math.floor(v / this.n) > this.pass) this.rollPass(out);
    const j = v % this.n;
    const grace = this.score.notes[note]!.grace;
    if (Number.isNaN(this.slotFirstTime[j]!)) {
      this.slotExpected[j] = this.expectedAt(v);
      this.slotFirstTime[j] = t;
      this.graceLed[j] = grace ? 1 : 0;
      if (!grace) this.tempo.observe(this.vsec(v), t);
    } else if (this.graceLed[j]) {
      this.slotFirstTime[j] = t;
      if (!grace) {
        this.graceLed[j] = 0;
        this.tempo.observe(this.vsec(v), t);
      }
    }
    if (this.notes.state[note] === WRONG) this.releaseWrong(note, out);
    this.setNote(note, CORRECT, eventIndex, (t - this.slotExpected[j]!) * 1000);
    this.posV = Math.max(this.posV, v);
    this.advanceOpen();
    out.push(this.decision('correct', note, eventIndex, this.notes.timing[note]!, false));
  }

  private decideUnexplained(pitch: number, t: number, eventIndex: number, out: FollowerDecision[]): void {
    // A different key near a slot that still lacks a note is that note played wrong.
    let bestNote = -1;
    let bestCost = Infinity;
    const end = this.looping ? this.openV + this.n : this.n;
    for (let v = this.openV; v < end && v < this.openV + MAX_WINDOW_SLOTS; v++) {
      if (Math.floor(v / this.n) > this.pass) break;
      const j = v % this.n;
      const first = this.slotFirstTime[j]!;
      const reference = Number.isNaN(first) ? this.expectedAt(v) : first;
      const tolerance = Math.max(WRONG_FLOOR_SEC, 0.4 * this.secPerBeat[j]! * this.tempo.rate);
      if (reference - tolerance > t) break;
      if (Math.abs(t - reference) > tolerance) continue;
      for (const i of this.slotted.slots[j]!.noteIndices) {
        if (this.notes.state[i] !== PENDING) continue;
        const distance = Math.abs(this.score.notes[i]!.pitch - pitch);
        if (distance > 12) continue;
        const cost = Math.abs(t - reference) + distance * 0.01;
        if (cost < bestCost) {
          bestCost = cost;
          bestNote = i;
        }
      }
    }
    if (bestNote < 0) {
      out.push(this.extraDecision(eventIndex, false));
      return;
    }
    this.setNote(bestNote, WRONG, eventIndex, NaN);
    out.push(this.decision('wrong', bestNote, eventIndex, null, false));
  }

  /** Marks notes whose late window has passed as missed. */
  private expire(t: number, out: FollowerDecision[]): void {
    const end = this.looping ? Infinity : this.n;
    while (this.openV < end) {
      const v = this.openV;
      const j = v % this.n;
      if (Math.floor(v / this.n) > this.pass) this.rollPass(out);
      const first = this.slotFirstTime[j]!;
      const reference = Number.isNaN(first) ? this.expectedAt(v) : first;
      const late = Math.max(LATE_FLOOR_SEC, 0.9 * this.secPerBeat[j]! * this.tempo.rate);
      if (this.hasPending(j) && t <= reference + late) return;
      for (const i of this.slotted.slots[j]!.noteIndices) {
        if (this.notes.state[i] !== PENDING) continue;
        this.setNote(i, MISSED, -1, NaN);
        out.push(this.decision('missed', i, null, null, false));
      }
      this.openV++;
    }
  }

  private pushWait(pitch: number, t: number, eventIndex: number, out: FollowerDecision[]): void {
    if (this.looping || this.openV < this.n) {
      const j = this.openV % this.n;
      for (const i of this.slotted.slots[j]!.noteIndices) {
        if (!this.awaited(i) || this.score.notes[i]!.pitch !== pitch) continue;
        if (this.notes.state[i] === WRONG) this.releaseWrong(i, out);
        this.setNote(i, CORRECT, eventIndex, NaN);
        this.unexplainedRun = 0;
        this.posV = this.openV;
        if (Number.isNaN(this.slotFirstTime[j]!)) this.slotFirstTime[j] = t;
        const advanced: FollowerDecision[] = [];
        if (!this.awaitsRequired(j)) this.advanceWait(advanced);
        out.push(this.decision('correct', i, eventIndex, null, false), ...advanced);
        return;
      }
    }
    this.unexplainedRun++;
    const hyp = this.relocation.update(pitch, t, eventIndex, Math.min(this.openV - this.pass * this.n, this.n - 1), NaN);
    if (hyp && this.isJump(hyp)) {
      this.relocate(hyp, out);
      return;
    }
    // Rule (docs/alignment.md): a wrong key in place of an awaited note is that note's 'wrong',
    // live and in the final result; the note stays awaited. A later wrong key for it takes the
    // earlier one's place, and the right key makes the note correct: each replaced wrong key is
    // revised live to 'extra' and counts as an extra press.
    const waiting = this.closestWaitingNote(pitch);
    if (waiting < 0) {
      out.push(this.extraDecision(eventIndex, false));
      return;
    }
    if (this.notes.state[waiting] === WRONG) this.releaseWrong(waiting, out);
    this.setNote(waiting, WRONG, eventIndex, NaN);
    out.push(this.decision('wrong', waiting, eventIndex, null, false));
  }

  /** Wait mode: a note not yet played right (untouched, or only a wrong key so far). */
  private awaited(note: number): boolean {
    const state = this.notes.state[note];
    return state === PENDING || state === WRONG;
  }

  private awaitsRequired(j: number): boolean {
    return this.slotted.slots[j]!.noteIndices.some((i) => this.awaited(i) && !this.score.notes[i]!.grace);
  }

  private closestWaitingNote(pitch: number): number {
    if (!this.looping && this.openV >= this.n) return -1;
    let best = -1;
    for (const i of this.slotted.slots[this.openV % this.n]!.noteIndices) {
      if (!this.awaited(i)) continue;
      const d = Math.abs(this.score.notes[i]!.pitch - pitch);
      if (best < 0 || d < Math.abs(this.score.notes[best]!.pitch - pitch)) best = i;
    }
    return best;
  }

  /** Moves past the completed slot (unplayed grace notes count as missed). */
  private advanceWait(out: FollowerDecision[]): void {
    const j = this.openV % this.n;
    for (const i of this.slotted.slots[j]!.noteIndices) {
      if (this.notes.state[i] !== PENDING) continue;
      this.setNote(i, MISSED, -1, NaN);
      out.push(this.decision('missed', i, null, null, false));
    }
    this.openV++;
    this.skipUnrequiredSlots(out);
  }

  private skipUnrequiredSlots(out: FollowerDecision[]): void {
    for (;;) {
      if (!this.looping && this.openV >= this.n) return;
      if (Math.floor(this.openV / this.n) > this.pass) this.rollPass(out);
      if (this.slotted.slots[this.openV % this.n]!.requiredCount > 0) return;
      this.openV++;
    }
  }

  private start(pitch: number, t: number): void {
    this.started = true;
    this.firstTime = t;
    // Time starts at the first note: anchor it to the earliest slot it can belong to.
    let anchorSlot = 0;
    for (let j = 0; j < Math.min(this.n, 4); j++) {
      if (this.slotted.slots[j]!.noteIndices.some((i) => this.score.notes[i]!.pitch === pitch)) {
        anchorSlot = j;
        break;
      }
    }
    this.tempo.setAnchor(this.slotted.slots[anchorSlot]!.sec, t);
  }

  /**
   * Where the player was last heard (the latest matched slot), for ranking relocation targets:
   * while the player holds a long note or pauses, the oldest open slot keeps moving on as notes
   * expire, and measured from there the true place looked far away.
   */
  private nearSlot(): number {
    const heard = this.posV >= 0 ? this.posV : this.openV;
    return Math.max(0, Math.min(heard - this.pass * this.n, this.n - 1));
  }

  /** Relocate when the hypothesis is far from the position, or anywhere once the follower is lost. */
  private isJump(h: Hypothesis): boolean {
    if (this.unexplainedRun >= LOST_AFTER_NOTES) return true;
    return Math.abs(this.slotted.slots[h.firstSlot]!.beats - this.position().beats) >= MIN_JUMP_BEATS;
  }

  /** Jump to where the player evidently is: reset what lies ahead, skip what lies between. */
  private relocate(h: Hypothesis, out: FollowerDecision[]): void {
    this.settler?.relocated(h.events[0]!, this.nearSlot(), h.firstSlot);
    this.unexplainedRun = 0;
    this.relocation.reset();
    const base = this.pass * this.n;
    const target = h.firstSlot;
    const openSlot = this.openV - base;
    if (target < openSlot || (this.mode === 'play-through' && target <= this.posV - base)) {
      // Restart: everything from the target on is open again. Earlier decisions are kept aside
      // and stand for notes the player does not reach again (a wrong relocation then costs
      // nothing); a replayed note's new decision replaces them.
      for (let j = target; j < this.n; j++) {
        this.slotFirstTime[j] = NaN;
        for (const i of this.slotted.slots[j]!.noteIndices) {
          if (this.notes.state[i] === PENDING) continue;
          const ev = this.notes.event[i]!;
          if (ev >= 0 && this.take.events[ev]!.note === i) this.take.events[ev]!.verdict = 'superseded';
          this.notes.finishPass(i, true);
        }
      }
    } else {
      for (let j = Math.max(openSlot, 0); j < target; j++) {
        for (const i of this.slotted.slots[j]!.noteIndices) {
          if (this.notes.state[i] !== PENDING) continue;
          this.setNote(i, MISSED, -1, NaN);
          out.push(this.decision('missed', i, null, null, false));
        }
      }
    }
    this.openV = base + target;
    this.posV = base + h.lastSlot;
    const firstEvent = this.take.events[h.events[0]!]!;
    this.tempo.setAnchor(this.vsec(base + target), firstEvent.onsetSec);
    // The notes that confirmed the jump also tell the tempo there: a player who comes back a
    // tempo after a ritardando would otherwise be expected at the slowed pace and lost again.
    const lastEvent = this.take.events[h.events[h.events.length - 1]!]!;
    const writtenSpan = this.vsec(base + h.lastSlot) - this.vsec(base + target);
    if (writtenSpan >= MIN_RATE_SPAN_SEC) this.tempo.setRate((lastEvent.onsetSec - firstEvent.onsetSec) / writtenSpan);
    h.notes.forEach((note, k) => {
      const ev = h.events[k]!;
      const j = this.slotted.slotOfNote[note]!;
      const t = this.take.events[ev]!.onsetSec;
      if (Number.isNaN(this.slotFirstTime[j]!)) {
        this.slotExpected[j] = this.expectedAt(base + j);
        this.slotFirstTime[j] = t;
        this.graceLed[j] = 0;
      }
      const previous = this.take.events[ev]!;
      if (previous.verdict === 'wrong' && previous.note >= 0 && this.notes.event[previous.note] === ev) {
        this.notes.reset(previous.note);
      }
      const timing = this.mode === 'wait' ? NaN : (t - this.slotExpected[j]!) * 1000;
      // A wrong key held by this note becomes an extra press (else it would vanish from the result).
      if (this.notes.state[note] === WRONG && this.notes.event[note] !== ev) this.releaseWrong(note, out);
      this.setNote(note, CORRECT, ev, timing);
      out.push(this.decision('correct', note, ev, Number.isNaN(timing) ? null : timing, true));
    });
    const lastT = this.take.events[h.events[h.events.length - 1]!]!.onsetSec;
    this.tempo.setAnchor(this.vsec(base + h.lastSlot), lastT);
    if (this.mode === 'wait') {
      this.openV = base + h.lastSlot;
      if (!this.awaitsRequired(h.lastSlot)) this.advanceWait(out);
    } else {
      this.advanceOpen();
    }
  }

  /** Starts the next loop pass, remembering the finished one for notes not reached again. */
  private rollPass(out: FollowerDecision[]): void {
    for (const slot of this.slotted.slots) {
      for (const i of slot.noteIndices) {
        if (this.notes.state[i] === PENDING) {
          this.notes.state[i] = MISSED;
          out.push(this.decision('missed', i, null, null, false));
        }
        this.notes.finishPass(i);
      }
    }
    this.slotFirstTime.fill(NaN);
    this.relocation.reset();
    this.pass++;
    this.openV = Math.max(this.openV, this.pass * this.n);
  }
}
