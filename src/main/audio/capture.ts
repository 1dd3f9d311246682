import { AppError } from '../../shared';
import type { Hz, Milliseconds, Seconds } from '../../shared';
import { CaptureClock } from './captureClock';
import { asFloat32, closeInputStream, mixToMono, openInputStream } from './captureStream';
import type { OpenedStream } from './captureStream';
import { resolveInputDevice } from './devices';
import type { AudioInputDevice } from './devices';
import { LevelMeter } from './levelMeter';
import type { LevelReading } from './levelMeter';
import { RingBuffer } from './ringBuffer';

export type CaptureState = 'idle' | 'starting' | 'running' | 'recovering' | 'failed' | 'disposed';

export interface CaptureStateChange {
  state: CaptureState;
  /** A sentence for the user (Settings / Diagnostics). */
  message: string;
  /** Reopen attempt number while recovering. */
  attempt?: number;
  error?: AppError;
}

export interface CaptureBlock {
  /** Mono samples. A view that is reused: copy it if you keep it past the listener call. */
  samples: Float32Array;
  /** Frames delivered since this capture started (a reopen leaves a gap in time, not in this). */
  frameIndex: number;
  sampleRate: Hz;
  /** Monotonic time (`performance.now()` clock) at which `samples[0]` was captured. */
  captureTimeMs: Milliseconds;
  /** When the block reached JavaScript, same clock. */
  arrivalTimeMs: Milliseconds;
  /** First block after a (re)open: do not assume continuity with the previous one. */
  discontinuity: boolean;
}

export interface CaptureOptions {
  /** Device name (stable across hot-plug) or PortAudio index; default input when omitted. */
  device?: string | number;
  sampleRate?: Hz;
  framesPerBuffer?: number;
  channelCount?: number;
  /** Ring buffer length; the consumer must read at least this often. */
  ringSeconds?: Seconds;
  levelWindowMs?: Milliseconds;
  noiseFloorSeconds?: Seconds;
  /** No data for this long means the device is gone or stuck; default max(1 s, 40 blocks). */
  stallTimeoutMs?: Milliseconds;
  /** The first block after an open may take this long (sound servers start streams lazily). */
  startTimeoutMs?: Milliseconds;
  /** Reopen delays grow from first to max (doubling); give up after maxAttempts (default never). */
  retry?: { firstDelayMs?: Milliseconds; maxDelayMs?: Milliseconds; maxAttempts?: number };
}

interface CaptureEvents {
  block: CaptureBlock;
  level: LevelReading;
  clipping: LevelReading;
  state: CaptureStateChange;
}
type Listener<T> = (value: T) => void;

/**
 * Live microphone capture: PortAudio (naudiodon) -> mono Float32 -> ring buffer, with a capture
 * timestamp per block, a level meter, and recovery from device errors and unplugging.
 * Always `dispose()` it: that closes the stream whatever state it is in.
 */
export class AudioCapture {
  readonly ring: RingBuffer;
  private readonly options: Required<Omit<CaptureOptions, 'device' | 'stallTimeoutMs' | 'retry'>> &
    Pick<CaptureOptions, 'device' | 'stallTimeoutMs'>;
  /** The previous stream's close; PortAudio is not thread-safe, so nothing opens before it ends. */
  private closing: Promise<unknown> = Promise.resolve();
  private static readonly CLOSE_WAIT_MS = 3000;
  private readonly retry: { firstDelayMs: number; maxDelayMs: number; maxAttempts: number };
  private readonly listeners: { [K in keyof CaptureEvents]: Set<Listener<CaptureEvents[K]>> } = {
    block: new Set(),
    level: new Set(),
    clipping: new Set(),
    state: new Set(),
  };
  private current: OpenedStream | null = null;
  private deviceName: string | null = null;
  private stateValue: CaptureState = 'idle';
  private clock: CaptureClock | null = null;
  private meter: LevelMeter | null = null;
  private framesDelivered = 0;
  private streamFrames = 0;
  private pendingDiscontinuity = true;
  private lastDataMs = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private readonly scratch = { buffer: new Float32Array(0) };
  private readonly monoScratch = { buffer: new Float32Array(0) };
  private lastClipWarnMs = Number.NEGATIVE_INFINITY;

  constructor(options: CaptureOptions = {}) {
    this.options = {
      device: options.device,
      sampleRate: options.sampleRate ?? 48_000,
      framesPerBuffer: options.framesPerBuffer ?? 256,
      channelCount: options.channelCount ?? 1,
      ringSeconds: options.ringSeconds ?? 2,
      levelWindowMs: options.levelWindowMs ?? 50,
      noiseFloorSeconds: options.noiseFloorSeconds ?? 5,
      stallTimeoutMs: options.stallTimeoutMs,
      startTimeoutMs: options.startTimeoutMs ?? 3000,
    };
    if (!Number.isInteger(this.options.framesPerBuffer) || this.options.framesPerBuffer < 16 || this.options.framesPerBuffer > 8192) {
      throw new AppError('INVALID_ARGUMENT', `framesPerBuffer must be an integer 16..8192, got ${options.framesPerBuffer}`);
    }
    if (!(this.options.sampleRate >= 8000 && this.options.sampleRate <= 192_000)) {
      throw new AppError('INVALID_ARGUMENT', `sampleRate must be 8000..192000 Hz, got ${options.sampleRate}`);
    }
    this.retry = {
      firstDelayMs: options.retry?.firstDelayMs ?? 250,
      maxDelayMs: options.retry?.maxDelayMs ?? 5000,
      maxAttempts: options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY,
    };
    this.ring = new RingBuffer(this.options.ringSeconds * this.options.sampleRate);
  }

  get state(): CaptureState {
    return this.stateValue;
  }

  /** The open device, its actual rate and channels; null while not open. */
  get stream(): Omit<OpenedStream, 'stream'> | null {
    if (!this.current) return null;
    const { device, sampleRate, channelCount, framesPerBuffer } = this.current;
    return { device, sampleRate, channelCount, framesPerBuffer };
  }

  /** Capture time of a frame index (as in CaptureBlock.frameIndex) in the current stream. */
  frameTimeMs(frameIndex: number): Milliseconds {
    return this.clock ? this.clock.frameTimeMs(frameIndex - (this.framesDelivered - this.streamFrames)) : Number.NaN;
  }

  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof CaptureEvents>(event: K, listener: Listener<CaptureEvents[K]>): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /**
   * Open the device and start streaming (state 'starting'; 'running' follows with the first
   * block, see `whenRunning`). Opening is synchronous in PortAudio and takes ~100 ms with ALSA.
   * @throws AppError DEVICE_UNAVAILABLE when there is no input or it cannot be opened.
   */
  start(): void {
    if (this.stateValue === 'disposed') throw new AppError('CONFLICT', 'This capture was disposed; create a new one.');
    if (this.current) return;
    try {
      const device = resolveInputDevice(this.options.device);
      this.deviceName = device.name;
      this.openAndStart(device);
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('DEVICE_UNAVAILABLE', String(error));
      this.setState({ state: 'failed', message: appError.message, error: appError });
      throw appError;
    }
  }

  /** Resolves when blocks are flowing; rejects with DEVICE_UNAVAILABLE after `timeoutMs`. */
  whenRunning(timeoutMs: Milliseconds = 3000): Promise<void> {
    if (this.stateValue === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new AppError('DEVICE_UNAVAILABLE', `Audio input delivered no data within ${timeoutMs} ms.`));
      }, timeoutMs);
      const off = this.on('state', (change) => {
        if (change.state === 'running' || change.state === 'disposed' || change.state === 'failed') {
          clearTimeout(timer);
          off();
          if (change.state === 'running') resolve();
          else reject(change.error ?? new AppError('DEVICE_UNAVAILABLE', change.message));
        }
      });
    });
  }

  /** Stop for good and close the stream; safe to call in any state, and more than once. */
  async dispose(): Promise<void> {
    if (this.stateValue === 'disposed') return;
    this.clearTimers();
    this.detachStream();
    this.setState({ state: 'disposed', message: 'Audio input closed.' });
    await withTimeout(this.closing, AudioCapture.CLOSE_WAIT_MS);
    for (const set of Object.values(this.listeners)) set.clear();
  }

  private openAndStart(device: AudioInputDevice): void {
    const { sampleRate, framesPerBuffer, channelCount } = this.options;
    this.setState({ state: 'starting', message: `Opening "${device.name}"...` });
    const opened = openInputStream(device, sampleRate, framesPerBuffer, channelCount);
    this.current = opened;
    this.clock = new CaptureClock(opened.sampleRate);
    if (!this.meter || this.meter.windowFrames !== Math.round((opened.sampleRate * this.options.levelWindowMs) / 1000)) {
      this.meter = new LevelMeter({
        sampleRate: opened.sampleRate,
        windowMs: this.options.levelWindowMs,
        noiseFloorSeconds: this.options.noiseFloorSeconds,
      });
    }
    this.streamFrames = 0;
    this.pendingDiscontinuity = true;
    const stream = opened.stream;
    stream.on('data', (chunk: Buffer) => {
      if (this.current?.stream === stream) this.onData(chunk, opened);
    });
    const failed = (why: string) => {
      if (this.current?.stream === stream) this.beginRecovery(why);
    };
    stream.on('error', (error: unknown) => failed(`Audio input error: ${error instanceof Error ? error.message : String(error)}`));
    stream.on('end', () => failed('Audio input stream ended unexpectedly.'));
    stream.on('close', () => failed('Audio input stream closed unexpectedly.'));
    try {
      stream.start();
    } catch (error) {
      this.current = null;
      this.closing = closeInputStream(stream);
      throw new AppError('DEVICE_UNAVAILABLE', `Could not start "${device.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
    this.lastDataMs = performance.now();
    this.startWatchdog(opened);
  }

  private onData(chunk: Buffer, opened: OpenedStream): void {
    const arrival = performance.now();
    this.lastDataMs = arrival;
    const mono = mixToMono(asFloat32(chunk, this.scratch), opened.channelCount, this.monoScratch);
    if (mono.length === 0) return;
    this.streamFrames += mono.length;
    const clock = this.clock as CaptureClock;
    const captureTimeMs = clock.observe(this.streamFrames, mono.length, arrival);
    this.ring.write(mono);
    if (this.stateValue !== 'running') {
      this.attempt = 0;
      this.setState({ state: 'running', message: `Listening on "${opened.device.name}" at ${opened.sampleRate} Hz.` });
    }
    const block: CaptureBlock = {
      samples: mono,
      frameIndex: this.framesDelivered,
      sampleRate: opened.sampleRate,
      captureTimeMs,
      arrivalTimeMs: arrival,
      discontinuity: this.pendingDiscontinuity,
    };
    this.framesDelivered += mono.length;
    this.pendingDiscontinuity = false;
    this.emit('block', block);
    this.meter?.push(mono, captureTimeMs, 1000 / opened.sampleRate, (reading) => {
      this.emit('level', reading);
      // One warning per second is enough to show "turn the gain down" without flooding.
      if (reading.clipped && reading.timeMs - this.lastClipWarnMs >= 1000) {
        this.lastClipWarnMs = reading.timeMs;
        this.emit('clipping', reading);
      }
    });
  }

  private startWatchdog(opened: OpenedStream): void {
    const blockMs = (opened.framesPerBuffer * 1000) / opened.sampleRate;
    const stallMs = this.options.stallTimeoutMs ?? Math.max(1000, 40 * blockMs);
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = setInterval(
      () => {
        const limit = this.stateValue === 'running' ? stallMs : Math.max(stallMs, this.options.startTimeoutMs);
        if (performance.now() - this.lastDataMs > limit) {
          this.beginRecovery(`Audio input "${opened.device.name}" stopped delivering sound (unplugged or taken by another program?).`);
        }
      },
      Math.max(50, stallMs / 4),
    );
    this.watchdog.unref();
  }

  private beginRecovery(reason: string): void {
    if (this.stateValue === 'disposed' || this.stateValue === 'recovering' || this.stateValue === 'failed') return;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.detachStream();
    this.meter?.reset();
    this.scheduleReopen(reason);
  }

  private scheduleReopen(reason: string): void {
    this.attempt += 1;
    if (this.attempt > this.retry.maxAttempts) {
      const error = new AppError('DEVICE_UNAVAILABLE', `${reason} Gave up after ${this.retry.maxAttempts} attempts to reopen it.`);
      this.setState({ state: 'failed', message: error.message, error });
      return;
    }
    const delay = Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** (this.attempt - 1));
    this.setState({
      state: 'recovering',
      message: `${reason} Trying to reopen in ${(delay / 1000).toFixed(1)} s (attempt ${this.attempt}).`,
      attempt: this.attempt,
    });
    this.retryTimer = setTimeout(() => void this.reopen(), delay);
  }

  private async reopen(): Promise<void> {
    this.retryTimer = null;
    const closed = await withTimeout(this.closing, AudioCapture.CLOSE_WAIT_MS);
    if (this.stateValue !== 'recovering') return;
    if (closed === 'timeout') {
      // The old stream is stuck in the driver; opening another now could deadlock PortAudio
      // (it is not thread-safe and the close runs on libuv's pool). Wait for it next attempt.
      this.scheduleReopen('The previous audio stream has not closed yet.');
      return;
    }
    try {
      // Match by name: PortAudio indices shift when devices come and go.
      const device = resolveInputDevice(this.deviceName ?? this.options.device);
      this.openAndStart(device);
    } catch (error) {
      this.scheduleReopen(error instanceof Error ? error.message : String(error));
    }
  }

  private detachStream(): void {
    const current = this.current;
    this.current = null;
    if (current) this.closing = closeInputStream(current.stream);
  }

  private clearTimers(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watchdog = null;
    this.retryTimer = null;
  }

  private setState(change: CaptureStateChange): void {
    this.stateValue = change.state;
    this.emit('state', change);
  }

  /**
   * A throwing listener must not take the audio stream (or the process, from inside a stream
   * event) down with it; it is reported and the other listeners still run.
   */
  private emit<K extends keyof CaptureEvents>(event: K, value: CaptureEvents[K]): void {
    for (const listener of this.listeners[event]) {
      try {
        listener(value);
      } catch (error) {
        console.error(`AudioCapture: a '${event}' listener threw:`, error);
      }
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: Milliseconds): Promise<T | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
