/** Starts and stops practice sessions; one per id, several may run at once (serve mode). */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { MethodArgs, PracticeStarted, PracticeStopped } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { AttemptDetail, PracticeInput, PracticeOptions } from '../../shared/practice';
import type { Score } from '../../shared/score';
import { getProfile } from '../db';
import type { ScoreCache } from './score-cache';
import type { MidiSystem } from '../midi/devices';
import { DeviceMidiSource } from '../midi/device-source';
import { ReplayMidiSource } from '../midi/replay-source';
import type { MidiInputSource } from '../midi/source';
import type { ServiceEvents } from './events';
import type { PracticeFollower } from './follower';
import { decodeBase64 } from './library';
import { PracticeSession } from './practice-session';
import { DeferredQueue } from './deferred-queue';

export type FollowerFactory = (score: Score, options: PracticeOptions) => PracticeFollower;

/** Microphone takes (src/main/live/live-service.ts): recording, latency offset, meter; told when the attempt is saved. */
export interface AudioTakeHooks {
  openTake(input: Extract<PracticeInput, { kind: 'audio-device' }>): Promise<MidiInputSource>;
  takeEnded(source: MidiInputSource, attempt: AttemptDetail | null): Promise<void>;
}

export interface PracticeDeps {
  db: Database;
  scores: ScoreCache;
  events: ServiceEvents;
  midi: MidiSystem;
  createFollower: FollowerFactory;
  audio?: AudioTakeHooks;
}

export async function inputSource(input: PracticeInput, midi: MidiSystem, audio?: AudioTakeHooks): Promise<MidiInputSource> {
  if (input.kind === 'midi-device') return new DeviceMidiSource(midi, input.deviceId);
  if (input.kind === 'audio-device') {
    if (audio) return audio.openTake(input);
    // Loaded on first use: PortAudio and onnxruntime stay out of start-up.
    const { openAudioNoteSource } = await import('../live/practice-input');
    return openAudioNoteSource(input);
  }
  const bytes = decodeBase64(input.midiBase64, 'The replay MIDI file');
  // Loaded on first use, like the score parsers (start-up time).
  const { performanceFromMidi } = await import('../../core/music');
  const performance = performanceFromMidi(bytes);
  if (performance.notes.length === 0) throw new AppError('UNSUPPORTED', 'The replay MIDI file has no notes.');
  return new ReplayMidiSource(performance, input.speed);
}

/** Finished takes remembered so a stop() racing the take's own end still gets the attempt. */
const REMEMBERED_FINISHED = 32;

export class PracticeManager {
  private readonly sessions = new Map<string, PracticeSession>();
  private readonly endOfTake = new DeferredQueue();
  private readonly finished = new Map<string, PracticeStopped>();

  constructor(private readonly deps: PracticeDeps) {}

  async start(args: MethodArgs<'practice.start'>): Promise<PracticeStarted> {
    const { db, events, midi, createFollower, scores } = this.deps;
    getProfile(db, args.profileId); // NOT_FOUND before any device is opened
    const score = scores.get(args.pieceId);
    const measureCount = score.measures.length;
    if (args.options.loop && args.options.loop.toMeasure >= measureCount) {
      throw new AppError('INVALID_ARGUMENT', `loop.toMeasure must be below the piece's ${measureCount} measures.`);
    }
    const source = await inputSource(args.input, midi, this.deps.audio);
    const sessionId = randomUUID();
    const session = new PracticeSession({
      sessionId,
      profileId: args.profileId,
      pieceId: args.pieceId,
      score,
      options: args.options,
      source,
      follower: createFollower(score, args.options),
      db,
      events,
      defer: (job) => this.endOfTake.push(job),
    });
    this.sessions.set(sessionId, session);
    void session.done.then((attempt) => {
      this.sessions.delete(sessionId);
      this.finished.set(sessionId, { attempt });
      if (this.finished.size > REMEMBERED_FINISHED) this.finished.delete(this.finished.keys().next().value!);
      void this.deps.audio?.takeEnded(source, attempt);
    });
    session.start();
    return { sessionId };
  }

  async stop(sessionId: string): Promise<PracticeStopped> {
    const session = this.sessions.get(sessionId);
    if (!session) {
      const done = this.finished.get(sessionId);
      if (done) return done;
      throw new AppError('NOT_FOUND', `No practice session ${sessionId}.`);
    }
    return { attempt: await session.finish({ reason: 'stopped' }) };
  }

  get(sessionId: string): PracticeSession | undefined {
    return this.sessions.get(sessionId);
  }

  /** Ends every take, saving what was played (used at shutdown, before the DB closes). */
  stopAll(): void {
    for (const session of this.sessions.values()) void session.finish({ reason: 'stopped' });
    this.endOfTake.flush();
  }
}
