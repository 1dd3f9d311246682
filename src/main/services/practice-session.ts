/**
 * One practice take: MIDI bytes from an input source -> byte parser -> live follower ->
 * feedback events, then grade and save the attempt in one transaction. Every stage is
 * synchronous on the hot path (no disk, no awaits) so a note's feedback leaves in the same tick
 * it arrived.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from 'better-sqlite3';
import type { LiveNoteEvent } from '../../shared/performance';
import type { AttemptDetail, PracticeOptions } from '../../shared/practice';
import type { Score } from '../../shared/score';
import { saveAttempt } from '../db';
import { toErrorShape } from '../dispatch';
import { MidiByteParser, SUSTAIN_PEDAL_CC } from '../midi/parser';
import type { MidiInputSource, TakeEnd } from '../midi/source';
import type { ServiceEvents } from './events';
import type { FollowDecision, PracticeFollower } from './follower';
import { Metronome } from './metronome';

/** How often silence is checked for missed notes (play-through). */
const TICK_MS = 50;

export interface PracticeSessionSetup {
  sessionId: string;
  profileId: number;
  pieceId: number;
  score: Score;
  options: PracticeOptions;
  source: MidiInputSource;
  follower: PracticeFollower;
  db: Database;
  events: ServiceEvents;
  /** Schedules the end-of-take work (grading + the attempt write). */
  defer: (job: () => void) => void;
}

export class PracticeSession {
  readonly sessionId: string;
  private readonly parser = new MidiByteParser();
  private readonly startedAt = Date.now();
  private readonly startedMs = performance.now();
  private metronome: Metronome | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private notesPlayed = 0;
  private ended = false;
  private resolveDone: ((attempt: AttemptDetail | null) => void) | null = null;
  /** Resolves once the take has ended and its attempt (if any) is saved. */
  readonly done: Promise<AttemptDetail | null>;

  constructor(private readonly setup: PracticeSessionSetup) {
    this.sessionId = setup.sessionId;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  start(): void {
    const { options, score, events } = this.setup;
    if (options.metronome) {
      this.metronome = Metronome.forScore(score, options.tempoFactor, (beat, accent) =>
        events.emit('practice.metronome', { sessionId: this.sessionId, beat, accent }),
      );
      this.metronome.start();
    }
    this.setup.source.start({
      bytes: (data, timeSec, receivedMs) => this.onBytes(data, timeSec, receivedMs),
      end: (end) => void this.finish(end),
    });
    if (this.setup.follower.tick) {
      // Play-through: notes whose time passed in silence are reported as missed while playing.
      this.ticker = setInterval(() => {
        const decisions = this.setup.follower.tick?.(this.setup.source.nowSec()) ?? [];
        if (decisions.length > 0) this.emitDecisions(decisions, performance.now());
      }, TICK_MS);
    }
    this.emitProgress(0);
  }

  /**
   * Ends the take (idempotent): input, metronome and ticker stop at once; grading, saving and
   * practice.finished follow in a deferred job (see DeferredQueue), so other takes' live notes
   * are not held up behind this one's write. Resolves with the saved attempt.
   */
  finish(end: TakeEnd = { reason: 'stopped' }): Promise<AttemptDetail | null> {
    if (this.ended) return this.done;
    this.ended = true;
    this.setup.source.stop();
    this.metronome?.stop();
    if (this.ticker) clearInterval(this.ticker);
    if (end.reason === 'disconnected') {
      this.setup.events.emit('error', { code: 'DEVICE_UNAVAILABLE', message: end.message });
    }
    this.setup.defer(() => this.complete());
    return this.done;
  }

  private complete(): void {
    let attempt: AttemptDetail | null = null;
    try {
      attempt = this.gradeAndSave();
    } catch (err) {
      // E.g. the profile was deleted mid-take: say so, never leave the session hanging.
      const shape = toErrorShape(err);
      this.setup.events.emit('error', { code: shape.code, message: `The attempt was not saved: ${shape.message}` });
    }
    this.setup.events.emit('practice.finished', { sessionId: this.sessionId, attempt });
    this.resolveDone?.(attempt);
  }

  private onBytes(data: ArrayLike<number>, timeSec: number, receivedMs: number): void {
    if (this.ended) return;
    for (const message of this.parser.feed(data)) {
      if (message.type === 'controlChange') {
        if (message.controller === SUSTAIN_PEDAL_CC) this.setup.follower.pedal?.(message.value, timeSec);
        continue;
      }
      const event: LiveNoteEvent = {
        kind: message.type === 'noteOn' ? 'on' : 'off',
        pitch: message.pitch,
        velocity: message.velocity,
        timeSec,
      };
      if (event.kind === 'on') this.notesPlayed++;
      this.onNote(event, receivedMs);
    }
  }

  private onNote(event: LiveNoteEvent, receivedMs: number): void {
    const decisions = this.setup.follower.push(event);
    if (decisions.length > 0) this.emitDecisions(decisions, receivedMs);
    // Settling (a windowed re-alignment every few notes) runs after the instant verdict is out.
    const corrections = this.setup.follower.settle?.() ?? [];
    if (corrections.length > 0) this.emitDecisions(corrections, receivedMs);
    if (event.kind === 'on') this.emitProgress(event.timeSec);
  }

  private emitDecisions(decisions: readonly FollowDecision[], receivedMs: number): void {
    const { events } = this.setup;
    for (const d of decisions) {
      events.emit('practice.feedback', {
        sessionId: this.sessionId,
        scoreNoteId: d.scoreNoteId,
        pitch: d.pitch,
        velocity: d.velocity,
        verdict: d.verdict,
        timingErrorMs: d.timingErrorMs,
        positionBeats: d.positionBeats,
        measureIndex: d.measureIndex,
        ...(d.correction ? { correction: true } : {}),
        stamps: { receivedMs, decidedMs: performance.now() },
      });
    }
  }

  private emitProgress(elapsedSec: number): void {
    const position = this.setup.follower.position();
    this.setup.events.emit('practice.progress', {
      sessionId: this.sessionId,
      positionBeats: position.positionBeats,
      measureIndex: position.measureIndex,
      waitingFor: position.waitingFor,
      elapsedSec: Math.max(elapsedSec, (performance.now() - this.startedMs) / 1000),
    });
  }

  /** Nothing played: nothing to grade, no attempt row. */
  private gradeAndSave(): AttemptDetail | null {
    const result = this.setup.follower.finish();
    if (this.notesPlayed === 0) return null;
    const { db, profileId, pieceId, options } = this.setup;
    return saveAttempt(
      db,
      {
        profileId,
        pieceId,
        startedAt: this.startedAt,
        finishedAt: Date.now(),
        mode: options.mode,
        hands: options.hands,
        tempoFactor: options.tempoFactor,
        summary: result.summary,
      },
      result.verdicts,
    );
  }
}
