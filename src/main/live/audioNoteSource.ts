/**
 * Live acoustic piano as a MIDI input: microphone capture -> SharedArrayBuffer ring -> worker
 * (resample to the model's rate, step model with carried state, streaming decoder) -> note-on/off
 * bytes to the practice session. The capture callback only copies into the ring; inference runs in
 * the worker, so the main loop stays free for the follower and the UI.
 *
 * Times: `timeSec` given to the sink is seconds since the take started on the capture clock (the
 * model's frame time: the audio position, not the arrival time); `receivedMs` is the capture time of
 * the newest sample the decision saw, so feedback latency counts the whole audio path.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodingConfig } from '../../core/transcription/decoding-config';
import { AppError } from '../../shared/errors';
import type { LiveNoteEvent } from '../../shared/performance';
import { AudioCapture } from '../audio/capture';
import type { CaptureBlock, CaptureOptions } from '../audio/capture';
import { TakeRecorder } from '../audio/recorder';
import type { TakeSummary } from '../audio/recorder';
import type { WavSampleFormat } from '../audio/wavFile';
import type { MidiInputSink, MidiInputSource } from '../midi/source';
import { LatencyLog } from './latency-log';
import type { LiveBatch, LiveWorkerInit, LiveWorkerMessage } from './live-protocol';

/** What the source needs of a capture: its ring, clock and events (AudioCapture; the soak bench's replay). */
export type LiveCapture = Pick<AudioCapture, 'ring' | 'stream' | 'frameTimeMs' | 'whenRunning' | 'on'>;

export interface AudioNoteSourceOptions {
  modelDir: string;
  /** Opens its own capture with these options (default input, 48 kHz, 256 frames)... */
  capture?: CaptureOptions;
  /** ...or uses a running one (calibration, tests); the source then does not dispose it. */
  sharedCapture?: LiveCapture;
  pollMs?: number;
  decoding?: Partial<Omit<DecodingConfig, 'frameRateHz'>>;
  reportDigests?: boolean;
  latencyLogSize?: number;
  intraOpThreads?: number;
  /** One source per take (practice sessions): stop() also closes the worker and the capture. */
  releaseOnStop?: boolean;
  /**
   * Stream the take's audio to this WAV file (float32, crash-safe, src/main/audio/recorder.ts).
   * Sample 0 is the take's time zero, so note times index the recording directly. One take per
   * file: with a path, the source takes a single take.
   */
  recordPath?: string;
  /** float32 (default) keeps the capture bit-exact; the app records pcm16 (half the size, plays everywhere). */
  recordFormat?: WavSampleFormat;
  /**
   * The user's measured latency offset (calibration): subtracted from every note time handed to the
   * session, so a note played in time with the audible metronome is graded in time. The latency
   * log keeps the model's own times.
   */
  userOffsetSec?: number;
}

export interface TakeFinish {
  /** Note-offs the decoder's flush produced (not delivered). */
  flushed: LiveNoteEvent[];
  modelFramesTotal: number;
  endCaptureFrame: number;
  recording: TakeSummary | null;
}

export interface LiveStats {
  batches: number;
  captureFramesRead: number;
  modelFrames: number;
  maxBacklogFrames: number;
  ringOverflowFrames: number;
  notesSent: number;
}

/** MIDI bytes for a decoded event: note-on keeps velocity >= 1 (0 would mean note-off). */
export function noteEventBytes(event: LiveNoteEvent): number[] {
  if (event.kind === 'on') return [0x90, event.pitch, Math.max(1, Math.min(127, Math.round(event.velocity)))];
  return [0x80, event.pitch, 0];
}

function workerEntry(): URL {
  const js = new URL('./live-worker.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL('./live-worker-bootstrap.mjs', import.meta.url);
}

const fromAbs = (absMs: number) => absMs - performance.timeOrigin;

export class AudioNoteSource implements MidiInputSource {
  readonly label: string;
  readonly latency: LatencyLog;
  /** Per model frame [max onset, sum frame] posteriors of the current take, when reportDigests. */
  readonly digests: Float32Array[] = [];
  private sink: MidiInputSink | null = null;
  private startCaptureFrame = 0;
  private startCaptureMs = 0;
  private stopped: ((message: Extract<LiveWorkerMessage, { type: 'stopped' }>) => void) | null = null;
  private failure: AppError | null = null;
  private disposing: Promise<void> | null = null;
  private exited = false;
  /** Blocks that arrived before the worker said where the take starts. */
  private pendingBlocks: Array<{ frameIndex: number; samples: Float32Array }> | null = null;
  private offRecord: (() => void) | null = null;
  private offState: (() => void) | null = null;
  private finishing: Promise<TakeFinish> | null = null;
  private readonly userOffsetSec: number;
  private readonly counters: Omit<LiveStats, 'ringOverflowFrames'> = { batches: 0, captureFramesRead: 0, modelFrames: 0, maxBacklogFrames: 0, notesSent: 0 };

  private constructor(
    readonly capture: LiveCapture,
    private readonly ownedCapture: AudioCapture | null,
    private readonly worker: Worker,
    readonly model: Extract<LiveWorkerMessage, { type: 'ready' }>,
    logSize: number,
    private readonly releaseOnStop: boolean,
    private recorder: TakeRecorder | null,
    userOffsetSec: number,
  ) {
    this.userOffsetSec = userOffsetSec;
    const stream = capture.stream;
    this.label = `Audio input "${stream?.device.name ?? 'default'}" (${stream?.sampleRate ?? '?'} Hz, transcribed)`;
    this.latency = new LatencyLog(logSize);
    worker.on('message', (message: LiveWorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => this.fail(new AppError('INTERNAL', `live transcription worker crashed: ${error.message}`)));
    worker.on('exit', (code) => {
      this.exited = true;
      if (!this.disposing) this.fail(new AppError('INTERNAL', `live transcription worker exited (code ${code})`));
      this.stopped?.({ type: 'stopped', events: [], modelFramesTotal: this.counters.modelFrames, endCaptureFrame: this.startCaptureFrame });
      this.stopped = null;
    });
  }

  /**
   * Opens the input (or takes the shared one), waits for sound to flow and for the model to load.
   * @throws AppError DEVICE_UNAVAILABLE (no input), or the model's load error.
   */
  static async open(options: AudioNoteSourceOptions): Promise<AudioNoteSource> {
    const owned = options.sharedCapture ? null : new AudioCapture(options.capture);
    const capture: LiveCapture = options.sharedCapture ?? (owned as AudioCapture);
    try {
      owned?.start();
      await capture.whenRunning(5000);
      const stream = capture.stream;
      if (!stream) throw new AppError('DEVICE_UNAVAILABLE', 'The audio input closed while the transcriber was starting.');
      const init: LiveWorkerInit = {
        modelDir: options.modelDir,
        ring: capture.ring.shared,
        captureRate: stream.sampleRate,
        pollMs: options.pollMs ?? 50,
        reportDigests: options.reportDigests ?? false,
        ...(options.decoding ? { decoding: options.decoding } : {}),
        ...(options.intraOpThreads ? { intraOpThreads: options.intraOpThreads } : {}),
      };
      const recorder = options.recordPath ? await TakeRecorder.create({ path: options.recordPath, sampleRate: stream.sampleRate, ...(options.recordFormat ? { format: options.recordFormat } : {}) }) : null;
      const worker = new Worker(workerEntry(), { workerData: init });
      const ready = await new Promise<Extract<LiveWorkerMessage, { type: 'ready' }>>((resolve, reject) => {
        worker.once('message', (message: LiveWorkerMessage) => {
          if (message.type === 'ready') resolve(message);
          else if (message.type === 'load-failed') reject(new AppError(message.error.code, message.error.message));
          else reject(new AppError('INTERNAL', `live worker sent ${message.type} before ready`));
        });
        worker.once('error', (error) => reject(new AppError('INTERNAL', `live transcription worker failed to start: ${error.message}`)));
      }).catch(async (error: unknown) => {
        await worker.terminate();
        await recorder?.stop();
        throw error;
      });
      return new AudioNoteSource(capture, owned, worker, ready, options.latencyLogSize ?? 2048, options.releaseOnStop ?? false, recorder, options.userOffsetSec ?? 0);
    } catch (error) {
      await owned?.dispose();
      throw error;
    }
  }

  nowSec(): number {
    return (performance.now() - this.startCaptureMs) / 1000;
  }

  /** Capture frame index at which the current take started (its time zero). */
  get takeStartFrame(): number {
    return this.startCaptureFrame;
  }

  /** Capture-clock time (performance.now() ms) of the take's time zero. */
  get takeStartMs(): number {
    return this.startCaptureMs;
  }

  stats(): LiveStats {
    return { ...this.counters, ringOverflowFrames: this.capture.ring.overflowFrames };
  }

  start(sink: MidiInputSink): void {
    if (this.failure) throw this.failure;
    this.sink = sink;
    this.startCaptureMs = performance.now();
    this.digests.length = 0;
    this.latency.notes.clear();
    this.latency.batches.clear();
    Object.assign(this.counters, { batches: 0, captureFramesRead: 0, modelFrames: 0, maxBacklogFrames: 0, notesSent: 0 });
    this.offState = this.capture.on('state', (change) => {
      if (change.state === 'failed' || change.state === 'disposed') {
        this.endWith(`${change.message} The take ended; the notes you played were kept.`);
      }
    });
    if (this.recorder) {
      this.pendingBlocks = [];
      this.offRecord = this.capture.on('block', (block) => this.record(block));
    }
    this.worker.postMessage({ type: 'start' });
  }

  /** On the capture callback: only copies (TakeRecorder.append never waits on the disk). */
  private record(block: CaptureBlock): void {
    if (this.pendingBlocks) {
      this.pendingBlocks.push({ frameIndex: block.frameIndex, samples: block.samples.slice() });
      return;
    }
    this.appendFromTakeStart(block.frameIndex, block.samples);
  }

  private appendFromTakeStart(frameIndex: number, samples: Float32Array): void {
    const skip = this.startCaptureFrame - frameIndex;
    if (skip >= samples.length) return;
    this.recorder?.append(skip > 0 ? samples.subarray(skip) : samples);
  }

  /** Stops delivering (sink.end is not called); safe to call twice. */
  stop(): void {
    const finished = this.finish();
    if (this.releaseOnStop) void finished.then(() => this.dispose());
  }

  /**
   * Stops the take and resolves once the worker has drained: with the note-offs the decoder's flush
   * produced (not delivered) and the model frames decoded in the take.
   */
  finish(): Promise<TakeFinish> {
    // A second call for the same take (stop() then dispose()) gets the same end and recording.
    if (this.sink === null && this.finishing) return this.finishing;
    this.finishing = this.finishTake();
    return this.finishing;
  }

  /** The last take's end (its recording closed), once stop() or finish() was called; else null. */
  whenFinished(): Promise<TakeFinish> | null {
    return this.finishing;
  }

  private async finishTake(): Promise<TakeFinish> {
    this.offState?.();
    this.offState = null;
    const hadTake = this.sink !== null;
    this.sink = null;
    // No take, or a dead worker that will never answer.
    const done =
      !hadTake || this.failure
        ? { flushed: [], modelFramesTotal: this.counters.modelFrames, endCaptureFrame: this.startCaptureFrame }
        : await new Promise<Omit<TakeFinish, 'recording'>>((resolve) => {
            this.stopped = (message) => resolve({ flushed: message.events, modelFramesTotal: message.modelFramesTotal, endCaptureFrame: message.endCaptureFrame });
            this.worker.postMessage({ type: 'stop' });
          });
    return { ...done, recording: await this.stopRecording() };
  }

  private async stopRecording(): Promise<TakeSummary | null> {
    this.offRecord?.();
    this.offRecord = null;
    const recorder = this.recorder;
    this.recorder = null;
    return recorder ? recorder.stop() : null;
  }

  async dispose(): Promise<void> {
    if (this.disposing) return this.disposing;
    this.disposing = this.release();
    return this.disposing;
  }

  private async release(): Promise<void> {
    if (this.sink) await this.finish();
    await this.stopRecording();
    if (!this.exited) await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 3000);
      this.worker.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.worker.postMessage({ type: 'dispose' });
    });
    await this.ownedCapture?.dispose();
  }

  private onMessage(message: LiveWorkerMessage): void {
    if (message.type === 'started') {
      this.startCaptureFrame = message.startCaptureFrame;
      this.startCaptureMs = this.capture.frameTimeMs(message.startCaptureFrame);
      const pending = this.pendingBlocks;
      this.pendingBlocks = null;
      for (const block of pending ?? []) this.appendFromTakeStart(block.frameIndex, block.samples);
    } else if (message.type === 'batch') {
      this.onBatch(message);
    } else if (message.type === 'stopped') {
      this.stopped?.(message);
      this.stopped = null;
    } else if (message.type === 'failed') {
      this.fail(new AppError(message.error.code, message.error.message));
    }
  }

  private onBatch(batch: LiveBatch): void {
    const c = this.counters;
    c.batches += 1;
    c.captureFramesRead += batch.captureFrames;
    c.modelFrames += batch.modelFrames;
    c.maxBacklogFrames = Math.max(c.maxBacklogFrames, batch.backlogFrames);
    if (batch.digests) this.digests.push(batch.digests);
    const s = batch.stamps;
    const stamps = {
      capturedMs: this.capture.frameTimeMs(batch.endCaptureFrame - 1),
      readMs: fromAbs(s.readAbsMs),
      resampledMs: fromAbs(s.resampledAbsMs),
      inferredMs: fromAbs(s.inferredAbsMs),
      decodedMs: fromAbs(s.decodedAbsMs),
    };
    const sink = this.sink;
    for (const event of batch.events) {
      if (!sink) break;
      const sentMs = performance.now();
      sink.bytes(noteEventBytes(event), event.timeSec - this.userOffsetSec, stamps.capturedMs);
      c.notesSent += 1;
      this.latency.notes.push({
        ...stamps,
        sentMs,
        kind: event.kind,
        pitch: event.pitch,
        timeSec: event.timeSec,
        onsetCapturedMs: this.startCaptureMs + event.timeSec * 1000,
      });
    }
    this.latency.batches.push({ ...stamps, sentMs: performance.now() });
  }

  private fail(error: AppError): void {
    this.failure = error;
    this.endWith(`Live transcription stopped: ${error.message}`);
  }

  private endWith(message: string): void {
    const sink = this.sink;
    if (!sink) return;
    this.stop();
    sink.end({ reason: 'disconnected', message });
  }
}
