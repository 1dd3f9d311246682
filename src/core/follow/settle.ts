import type { Score } from '../../shared/score';
import type { Performance } from '../../shared/performance';
import type { HandsSelection } from '../../shared/practice';
import { alignPerformance } from './align';
import { MAX_JUMP_BACK_SLOTS } from './dtw';
import { gradePerformance } from '../evaluate/grade';
import type { SlottedScore } from './scoreSlots';
import type { TakeEvent } from './takeRecord';
import { CORRECT, MISSED, PENDING, WRONG } from './noteStates';
import { repeatedShare, repeatedSlots } from './repeatedFigures';
import { replayScore } from './restartEvidence';
import { passedSlot } from './passedSlot';

/**
 * Bounded-lag settling of the live follower's verdicts. The follower decides each key press at
 * once, with no look-ahead; a repeated bar or a skipped one fits two places equally for a few
 * notes and it guesses. Here, every few notes, the last key presses (settled ones as context,
 * then the unsettled ones) are re-aligned offline (alignPerformance + gradePerformance) against
 * the score slice they can belong to, and the presses that are now old enough (lagNotes newer
 * presses exist, or lagSec has passed) get their final, SETTLED verdict. Only notes already
 * played are used, and a settled verdict never changes afterwards.
 */
export interface SettleOptions {
  /** A press settles once this many newer presses exist... */
  lagNotes: number;
  /** ...or once it is this old (seconds, by the newest press or the clock). */
  lagSec: number;
  /** The window is re-aligned at most every this many presses (bounds the cost per note). */
  everyNotes: number;
  /** Settled presses kept in the window as context (they anchor the slice's start). */
  contextNotes: number;
}

export const DEFAULT_SETTLE: SettleOptions = { lagNotes: 16, lagSec: 2, everyNotes: 8, contextNotes: 32 };

/** Settled verdict of a key press. */
export const EV_UNSETTLED = -1;
export const EV_EXTRA = 0;
export const EV_CORRECT = 1;
export const EV_WRONG = 2;
/** An attempt the player went back on (played again later): neither extra nor a match. */
export const EV_ABANDONED = 3;
/** Its score note was given to a later press (a later pass through the bar). */
export const EV_SUPERSEDED = 4;

/**
 * Slots of score the slice runs past the furthest place the follower put a press of the window
 * (the player may be ahead of it; the aligner's end is open). 4 instead of 24 cost 0.07 of
 * Vienna's settled detection F1 (--nasap 10 --vienna 22).
 */
const SLICE_AHEAD_SLOTS = 24;
/** Slots the re-cut slice keeps past the window's furthest matched press. */
const SLICE_TAIL_SLOTS = 2;
/** Slots before the context's first note (a few notes played out of order). */
const SLICE_BEHIND_SLOTS = 2;
/** Largest slice (slots): the DTW costs slots x clusters. */
const MAX_SLICE_SLOTS = 600;
/** A forward relocation further than this (slots) is not bridged by the window's DTW. */
const FAR_AHEAD_SLOTS = 32;
/** The follower's reading replaces the window's when it matches more than this many more presses. */
const SLIP_MARGIN = 1;
/** A restart within the context: the context starts after it (the slice must start where its first press is). */
const CONTEXT_BREAK_SLOTS = 3;
/**
 * Settled presses of context in a run of one repeated chord or figure (repeatedFigures.ts):
 * there every repetition fits the presses alike and a 32-press context (under a second of a
 * tremolo) lets the window slip by one (Scriabin 5 bars 434-438, Chopin op. 38's repeated
 * chords). Everywhere, 64 cost Batik K. 332/2 2.3 points (fourth round in docs/alignment.md).
 */
const REPEATED_CONTEXT_NOTES = 64;
/** The last this many settled matches tell where the window is... */
const REPEATED_PROBE_PRESSES = 16;
/** ...and their slots, with this many slots ahead, must be this much repeated figures. */
const REPEATED_PROBE_AHEAD_SLOTS = 16;
const REPEATED_MIN_SHARE = 0.85;

/** What one settling round decided. */
export interface SettleRound {
  /** Presses settled in this round (indices into the take). */
  events: number[];
  /** Score notes settled in this round (correct / wrong with their press, or missed). */
  notes: number[];
  /**
   * The window's reading of the newest presses, not settled yet ([press, score note] for each
   * it matches, in press order): where the player is now, by the window.
   */
  newest: [number, number][];
}

export class Settler {
  /** Per press: EV_* and the score note (-1 if none). */
  readonly eventKind: number[] = [];
  readonly eventNote: number[] = [];
  /** Per score note: PENDING (not settled), CORRECT, WRONG, MISSED; its press; timing ms. */
  readonly noteState: Int8Array;
  readonly noteEvent: Int32Array;
  readonly noteTiming: Float64Array;
  /** First press not settled yet. */
  frontier = 0;
  private lastRoundAt = 0;
  /** First press after the latest restart settled (a later pass through the bars from here). */
  private restartAt = 0;
  /** Relocations of the follower not yet reached by the frontier. */
  private readonly breaks: { event: number; slot: number; accepted?: boolean }[] = [];
  private readonly indexById: Map<string, number>;
  /** onsetBeats of score.notes, for slicing by binary search. */
  private readonly onsets: Float64Array;
  /** Per slot: 1 in a run of one repeated chord or figure (repeatedFigures.ts). */
  private readonly repeated: Uint8Array;

  constructor(
    private readonly score: Score,
    private readonly slotted: SlottedScore,
    private readonly hands: HandsSelection,
    readonly options: SettleOptions = DEFAULT_SETTLE,
  ) {
    const n = score.notes.length;
    this.noteState = new Int8Array(n);
    this.noteEvent = new Int32Array(n).fill(-1);
    this.noteTiming = new Float64Array(n).fill(NaN);
    this.indexById = new Map(score.notes.map((note, i) => [note.id, i]));
    this.onsets = Float64Array.from(score.notes, (note) => note.onsetBeats);
    this.repeated = repeatedSlots(slotted);
  }

  /**
   * Called after each press has been decided instantly. Settles what is old enough when a round
   * is due; `slotOfEvent` gives the follower's instant slot of a press (-1 if none) and
   * `followerSlot` its current position: the slice must reach where the player may be.
   */
  afterPress(events: readonly TakeEvent[], slotOfEvent: (e: number) => number, followerSlot: number): SettleRound | null {
    this.grow(events.length);
    if (events.length - this.lastRoundAt < this.options.everyNotes) return null;
    const end = this.settleEnd(events, events[events.length - 1]!.onsetSec);
    if (end <= this.frontier) return null;
    this.lastRoundAt = events.length;
    return this.round(events, end, slotOfEvent, followerSlot);
  }

  /**
   * The follower relocated: its first press there, `event`, is at `slot` (it was at `fromSlot`).
   * When that press is due, a fresh window from there is weighed against the context's reading.
   */
  relocated(event: number, fromSlot: number, slot: number): void {
    if (slot !== fromSlot) this.breaks.push({ event, slot });
  }

  /** Clock-driven settling while the player is silent (presses older than lagSec). */
  atTime(events: readonly TakeEvent[], nowSec: number, slotOfEvent: (e: number) => number, followerSlot: number): SettleRound | null {
    this.grow(events.length);
    const end = this.settleEnd(events, nowSec);
    if (end <= this.frontier) return null;
    this.lastRoundAt = events.length;
    return this.round(events, end, slotOfEvent, followerSlot);
  }

  /** The take has ended: everything played is settled with what was played. */
  flush(events: readonly TakeEvent[], slotOfEvent: (e: number) => number, followerSlot: number): SettleRound | null {
    this.grow(events.length);
    if (events.length <= this.frontier) return null;
    return this.round(events, events.length, slotOfEvent, followerSlot, true);
  }

  private grow(count: number): void {
    while (this.eventKind.length < count) {
      this.eventKind.push(EV_UNSETTLED);
      this.eventNote.push(-1);
    }
  }

  /** Exclusive end of the presses that are old enough at time `now`. */
  private settleEnd(events: readonly TakeEvent[], now: number): number {
    let end = Math.max(this.frontier, events.length - this.options.lagNotes);
    while (end < events.length && now - events[end]!.onsetSec >= this.options.lagSec) end++;
    return end;
  }

  private round(events: readonly TakeEvent[], end: number, slotOfEvent: (e: number) => number, followerSlot: number, final = false): SettleRound {
    const start = this.contextStart(events);
    // The slice starts at the context's first settled note (the DTW path starts at both first
    // events) and reaches past the furthest place the follower put a press near it.
    let lo = Infinity;
    let settledHi = -1;
    for (let e = start; e < this.frontier; e++) {
      if (this.eventKind[e] !== EV_CORRECT && this.eventKind[e] !== EV_WRONG) continue;
      const slot = this.slotted.slotOfNote[this.eventNote[e]!]!;
      lo = Math.min(lo, slot);
      settledHi = Math.max(settledHi, slot);
    }
    let hi = settledHi;
    for (let e = this.frontier; e < events.length; e++) {
      const slot = slotOfEvent(e);
      if (!Number.isFinite(lo) || (slot >= lo - MAX_JUMP_BACK_SLOTS && slot <= settledHi + FAR_AHEAD_SLOTS)) {
        if (!Number.isFinite(lo) && slot >= 0 && this.frontier > 0) lo = Math.min(lo, slot);
        hi = Math.max(hi, slot);
      }
    }
    if (this.frontier === 0) lo = 0; // the take's start: the player starts at the top
    if (!Number.isFinite(lo)) lo = Math.max(0, followerSlot - SLICE_BEHIND_SLOTS);
    let window = this.alignWindow(events, start, events.length, lo, Math.max(hi, lo));
    let fresh = false;
    // The follower relocated (a restart, a skip, or a theme that came back): when its first
    // press there is due, the window read from the context is weighed against a fresh window
    // that starts at that press where the follower put it. The fresh one must explain clearly
    // more presses (the aligner's own jumps reach only so far back, and need several unexplained
    // notes before they see a restart); else the context's reading stands and the follower's
    // jump is ignored here.
    const jump = this.breaks.find((x) => x.event >= this.frontier && x.event < events.length);
    if (jump && jump.event > this.frontier) {
      if (jump.event < end && !jump.accepted) jump.accepted = this.freshExplainsMore(events, jump, window, settledHi, slotOfEvent);
      if (jump.accepted) end = Math.min(end, jump.event);
      else if (jump.event < end) this.breaks.splice(this.breaks.indexOf(jump), 1);
    } else if (jump) {
      this.breaks.splice(this.breaks.indexOf(jump), 1);
      const freshWindow = this.freshWindow(events, jump, slotOfEvent);
      if (jump.accepted || this.freshBeats(freshWindow, window, jump, settledHi, events.length)) {
        window = freshWindow;
        fresh = true;
      }
    }
    if (!fresh && this.instantExplainsMore(events, window, end)) window = this.instantWindow(events, start, end);
    const { byEvent, abandoned, missed } = window;
    // A note settled before may go to a later press only across a restart: one the aligner saw
    // (abandoned presses) or a fresh window after the follower's jump back. Otherwise a theme
    // that comes back (a fugue's subject) would take the notes away from where they were played.
    if (fresh) this.restartAt = Math.max(this.restartAt, window.start);
    for (const e of abandoned) this.restartAt = Math.max(this.restartAt, e + 1);
    const out: SettleRound = { events: [], notes: [], newest: [] };
    for (let e = end; e < events.length; e++) {
      const v = byEvent.get(e);
      if (v?.kind === EV_CORRECT && !abandoned.has(e)) out.newest.push([e, v.note]);
    }
    const settledSlots: number[] = [];
    const claimed = new Set<number>();
    for (const v of byEvent.values()) if (v.note >= 0) claimed.add(v.note);
    for (let e = this.frontier; e < end; e++) {
      let got = byEvent.get(e);
      // The window leaves a press unexplained that the follower placed on a note of its pitch
      // which the window gives to no other press: the follower's reading stands. (Around trills
      // and Alberti figures the window's path can lose a few presses it then calls extra.)
      const instant = events[e]!;
      if ((!got || got.kind === EV_EXTRA) && !abandoned.has(e) && instant.verdict === 'correct' && !claimed.has(instant.note) && this.noteState[instant.note] === PENDING) {
        got = { kind: EV_CORRECT, note: instant.note, timing: NaN };
        claimed.add(instant.note);
      }
      if (abandoned.has(e) || !got) {
        this.eventKind[e] = abandoned.has(e) ? EV_ABANDONED : EV_EXTRA;
        out.events.push(e);
        continue;
      }
      let { kind, note } = got;
      if (kind !== EV_EXTRA && this.noteState[note] !== PENDING) {
        const previous = this.noteEvent[note]!;
        // The note was settled before: a later pass replaces a press outside this window or
        // one the window calls an abandoned attempt; otherwise the settled verdict stands.
        if (previous >= 0 && (abandoned.has(previous) || (previous < this.restartAt && e >= this.restartAt))) {
          if (this.eventKind[previous] !== EV_ABANDONED) this.eventKind[previous] = EV_SUPERSEDED;
        } else {
          kind = EV_EXTRA;
          note = -1;
        }
      }
      this.eventKind[e] = kind;
      this.eventNote[e] = note;
      out.events.push(e);
      if (kind === EV_EXTRA) continue;
      this.noteState[note] = kind === EV_CORRECT ? CORRECT : WRONG;
      this.noteEvent[note] = e;
      this.noteTiming[note] = kind === EV_CORRECT ? got.timing : NaN;
      out.notes.push(note);
      settledSlots.push(this.slotted.slotOfNote[note]!);
    }
    // A note no press of the window plays is missed once settled presses lie past it
    // (passedSlot.ts: two of them, one may be a stray press read ahead), or once the take has
    // ended and the player got past it.
    const passed = final ? Math.max(...settledSlots, this.furthestSettled(events, end)) : passedSlot(settledSlots);
    for (const note of missed) {
      const slot = this.slotted.slotOfNote[note]!;
      if (slot < 0 || this.noteState[note] !== PENDING || slot >= passed) continue;
      if (!this.slotted.slots[slot]!.noteIndices.includes(note)) continue;
      this.noteState[note] = MISSED;
      out.notes.push(note);
    }
    this.frontier = end;
    return out;
  }

  /**
   * True when the follower matched clearly more of the presses being settled than the window:
   * in runs of a repeated figure (an Alberti bass under a trill) the window's path can slip by
   * one figure and leave a few presses unexplained, where the follower, note by note, did not.
   */
  private instantExplainsMore(events: readonly TakeEvent[], window: AlignedWindow, end: number): boolean {
    if (window.abandoned.size > 0) return false;
    let byWindow = 0;
    let byFollower = 0;
    for (let e = this.frontier; e < end; e++) {
      if (window.byEvent.get(e)?.kind === EV_CORRECT) byWindow++;
      if (events[e]!.verdict === 'correct') byFollower++;
    }
    return byFollower > byWindow + SLIP_MARGIN;
  }

  /** The follower's own verdicts as a window (settling then confirms them). */
  private instantWindow(events: readonly TakeEvent[], start: number, end: number): AlignedWindow {
    const byEvent = new Map<number, { kind: number; note: number; timing: number }>();
    for (let e = this.frontier; e < end; e++) {
      const x = events[e]!;
      if (x.verdict === 'correct' || x.verdict === 'wrong') byEvent.set(e, { kind: x.verdict === 'correct' ? EV_CORRECT : EV_WRONG, note: x.note, timing: NaN });
    }
    return { start, byEvent, abandoned: new Set(), missed: [] };
  }

  private freshWindow(events: readonly TakeEvent[], jump: { event: number; slot: number }, slotOfEvent: (e: number) => number): AlignedWindow {
    let hi = jump.slot;
    for (let e = jump.event; e < events.length; e++) hi = Math.max(hi, slotOfEvent(e));
    return this.alignWindow(events, jump.event, events.length, jump.slot, hi);
  }

  private freshExplainsMore(events: readonly TakeEvent[], jump: { event: number; slot: number }, window: AlignedWindow, settledHi: number, slotOfEvent: (e: number) => number): boolean {
    return this.freshBeats(this.freshWindow(events, jump, slotOfEvent), window, jump, settledHi, events.length);
  }

  /** The fresh window after the follower's jump replaces the context's reading only by a clear margin. */
  private freshBeats(fresh: AlignedWindow, window: AlignedWindow, jump: { event: number; slot: number }, settledHi: number, presses: number): boolean {
    return this.freshScore(fresh, jump, settledHi) > matchedFrom(window, jump.event) + margin(presses - jump.event);
  }

  /**
   * What the fresh window after the follower's jump is credited with: the presses it matches;
   * after a jump back (to or before the furthest settled slot: a restart), less the notes it
   * leaves out inside its run that the player had already played (restartEvidence.ts). The
   * follower's jump back in music that comes back (Mozart K. 332/3 bars 163-166) or on a
   * trill's notes (BWV 889 fugue bar 9) was read as a restart: ~20 presses each settled as
   * replaced by a later pass that is not there. A jump ahead (a skip) is left as it was: charged
   * the same way, Reflets dans l'eau gained and Islamey and the Arabeske lost (nASAP real takes).
   */
  private freshScore(fresh: AlignedWindow, jump: { event: number; slot: number }, settledHi: number): number {
    return jump.slot <= settledHi ? replayScore(fresh, jump.event, this.slotted, this.noteState) : matchedFrom(fresh, jump.event);
  }

  /** Offline alignment + grading of presses [start, windowEnd) against the slots lo..hi (+ margins). */
  private alignWindow(events: readonly TakeEvent[], start: number, windowEnd: number, lo: number, hi: number): AlignedWindow {
    const { slots } = this.slotted;
    lo = Math.max(0, lo - SLICE_BEHIND_SLOTS);
    hi = Math.min(slots.length - 1, Math.max(hi, lo) + SLICE_AHEAD_SLOTS);
    if (hi - lo > MAX_SLICE_SLOTS) hi = lo + MAX_SLICE_SLOTS;
    const performance: Performance = {
      notes: events.slice(start, windowEnd).map((e) => ({ pitch: e.pitch, onsetSec: e.onsetSec, offsetSec: Math.max(e.offsetSec, e.onsetSec), velocity: e.velocity })),
      pedal: [],
      durationSec: 0,
    };
    const selection = { hands: this.hands, loop: null };
    let slice = this.scoreSlice(slots[lo]!.beats, slots[hi]!.beats);
    let pairs = alignPerformance(slice, performance, selection);
    // The aligner's weak time prior spreads the slice's written span over the window's played
    // span, so an unplayed tail tilts it toward later slots: a run of repeated chords came out
    // one chord late (Chopin op. 38). Once the first pass says where the window ends, the slice
    // is cut there and the window aligned again.
    let reached = -1;
    for (const p of pairs) if (p.performanceIndex !== null && p.scoreNoteId !== null) reached = Math.max(reached, this.slotted.slotOfNote[this.indexById.get(p.scoreNoteId)!]!);
    if (reached >= lo && hi > reached + SLICE_TAIL_SLOTS) {
      hi = reached + SLICE_TAIL_SLOTS;
      slice = this.scoreSlice(slots[lo]!.beats, slots[hi]!.beats);
      pairs = alignPerformance(slice, performance, selection);
    }
    const graded = gradePerformance(slice, performance, pairs, selection, { wrongAtChord: false });
    const abandoned = new Set<number>();
    for (const p of pairs) if (p.abandoned && p.performanceIndex !== null) abandoned.add(start + p.performanceIndex);
    const byEvent = new Map<number, { kind: number; note: number; timing: number }>();
    const missed: number[] = [];
    for (const v of graded.verdicts) {
      const note = v.scoreNoteId === null ? -1 : (this.indexById.get(v.scoreNoteId) ?? -1);
      if (v.verdict === 'missed') {
        if (note >= 0) missed.push(note);
        continue;
      }
      if (v.performanceIndex === null || (note < 0 && v.verdict !== 'extra')) continue;
      const kind = v.verdict === 'correct' ? EV_CORRECT : v.verdict === 'wrong' ? EV_WRONG : EV_EXTRA;
      byEvent.set(start + v.performanceIndex, { kind, note: kind === EV_EXTRA ? -1 : note, timing: v.timingErrorMs ?? NaN });
    }
    return { start, byEvent, abandoned, missed };
  }

  /** Furthest slot of a settled match among the last presses (for the final round). */
  private furthestSettled(events: readonly TakeEvent[], end: number): number {
    let furthest = -1;
    for (let e = Math.max(0, end - this.options.contextNotes); e < end; e++) {
      if (this.eventKind[e] === EV_CORRECT || this.eventKind[e] === EV_WRONG) furthest = Math.max(furthest, this.slotted.slotOfNote[this.eventNote[e]!]!);
    }
    return events.length ? furthest : -1;
  }

  /**
   * First press of the window: up to contextNotes settled presses before the frontier, stopping
   * at a jump back (a restart) so that the window's first press sits at the slice's start.
   */
  private contextStart(events: readonly TakeEvent[]): number {
    let start = this.frontier;
    let lowest = Infinity;
    const contextNotes = this.inRepeatedFigures() ? Math.max(this.options.contextNotes, REPEATED_CONTEXT_NOTES) : this.options.contextNotes;
    for (let e = this.frontier - 1; e >= 0 && this.frontier - e <= contextNotes; e--) {
      const kind = this.eventKind[e];
      if (kind === EV_CORRECT || kind === EV_WRONG) {
        const slot = this.slotted.slotOfNote[this.eventNote[e]!]!;
        if (slot > lowest + CONTEXT_BREAK_SLOTS) break;
        lowest = Math.min(lowest, slot);
      }
      start = e;
    }
    // Start on a settled match: unsettled or extra presses there would pull the DTW's start.
    while (start < this.frontier && this.eventKind[start] !== EV_CORRECT) start++;
    return events.length ? start : 0;
  }

  /** True when the last settled matches (16 of at most 64 presses back) lie in a run of one repeated chord or figure. */
  private inRepeatedFigures(): boolean {
    let lo = Infinity;
    let hi = -1;
    let seen = 0;
    for (let e = this.frontier - 1; e >= 0 && seen < REPEATED_PROBE_PRESSES && this.frontier - e <= REPEATED_CONTEXT_NOTES; e--) {
      if (this.eventKind[e] !== EV_CORRECT) continue;
      const slot = this.slotted.slotOfNote[this.eventNote[e]!]!;
      lo = Math.min(lo, slot);
      hi = Math.max(hi, slot);
      seen++;
    }
    return seen === REPEATED_PROBE_PRESSES && repeatedShare(this.repeated, lo, hi + REPEATED_PROBE_AHEAD_SLOTS) >= REPEATED_MIN_SHARE;
  }

  /** The score with only the notes whose onset lies in [fromBeats, toBeats]. */
  private scoreSlice(fromBeats: number, toBeats: number): Score {
    const first = lowerBound(this.onsets, fromBeats - 1e-6);
    const last = lowerBound(this.onsets, toBeats + 1e-6);
    return { ...this.score, notes: this.score.notes.slice(first, last) };
  }
}

interface AlignedWindow {
  /** First press of the window. */
  start: number;
  /** Settled-verdict candidates per press (EV_CORRECT / EV_WRONG / EV_EXTRA). */
  byEvent: Map<number, { kind: number; note: number; timing: number }>;
  abandoned: Set<number>;
  /** Score notes of the slice no press plays. */
  missed: number[];
}

/** Presses from `from` on that the window matches to a note of their pitch. */
function matchedFrom(window: AlignedWindow, from: number): number {
  let count = 0;
  for (const [e, v] of window.byEvent) if (e >= from && v.kind === EV_CORRECT) count++;
  return count;
}

/** How many more presses a fresh window must explain to win over the context's reading. */
function margin(presses: number): number {
  return Math.max(2, 0.1 * presses);
}

function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
