import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../../shared';
import type { Hz, Milliseconds, Seconds } from '../../shared';
import { buildWavHeader } from './wavFile';
import type { WavLayout, WavSampleFormat } from './wavFile';

export interface TakeRecorderOptions {
  path: string;
  sampleRate: Hz;
  /** float32 keeps the capture bit-exact; pcm16 halves the size. */
  format?: WavSampleFormat;
  /** Size of each disk write; also the most audio a crash can lose beyond the block in flight. */
  blockSeconds?: Seconds;
  /** Flush to the disk (fdatasync) this often, for power loss; SIGKILL only needs the write. */
  syncIntervalMs?: Milliseconds;
  /** Blocks waiting for the disk beyond this are dropped (and counted), never buffered forever. */
  maxQueuedBlocks?: number;
}

export interface TakeSummary {
  path: string;
  frames: number;
  duration: Seconds;
  /** Frames lost because the disk could not keep up. */
  droppedFrames: number;
}

/**
 * Streams one mono take to a WAV file so that a crash at any moment leaves a readable file.
 *
 * Audio is gathered in preallocated ~0.5 s blocks; each full block is written with positional
 * writes on libuv's thread pool (the capture path never waits on the disk), and after each block
 * the header's RIFF/data/fact sizes are rewritten to cover exactly what is on disk. Data goes out
 * before the sizes that describe it, so a header never claims samples that are not there. A
 * process killed mid-take loses the block being gathered and any block not yet written (< 1 s);
 * `repairWav` also fixes files whose header lags the data.
 */
export class TakeRecorder {
  readonly path: string;
  readonly sampleRate: Hz;
  private readonly layout: WavLayout;
  private readonly blockFrames: number;
  private readonly syncIntervalMs: Milliseconds;
  private readonly maxQueued: number;
  private readonly free: Buffer[] = [];
  private readonly queue: { buffer: Buffer; bytes: number }[] = [];
  private current: Buffer;
  private currentFrames = 0;
  private dataBytesOnDisk = 0;
  private appended = 0;
  private dropped = 0;
  private lastSyncMs = performance.now();
  private writing: Promise<void> | null = null;
  private failure: AppError | null = null;
  private closed = false;

  private constructor(
    private readonly file: FileHandle,
    options: TakeRecorderOptions,
    layout: WavLayout,
  ) {
    this.path = options.path;
    this.sampleRate = options.sampleRate;
    this.layout = layout;
    this.blockFrames = Math.max(1, Math.round((options.blockSeconds ?? 0.5) * options.sampleRate));
    this.syncIntervalMs = options.syncIntervalMs ?? 2000;
    this.maxQueued = Math.max(1, options.maxQueuedBlocks ?? 20);
    this.current = this.takeBuffer();
  }

  /**
   * Create the file (fails if it exists: a take is never overwritten) with a header for no data.
   * @throws AppError INVALID_ARGUMENT for a bad rate, CONFLICT/INTERNAL when the file cannot be made.
   */
  static async create(options: TakeRecorderOptions): Promise<TakeRecorder> {
    if (!Number.isInteger(options.sampleRate) || options.sampleRate < 1000 || options.sampleRate > 384_000) {
      throw new AppError('INVALID_ARGUMENT', `Recording sample rate must be an integer 1000..384000 Hz, got ${options.sampleRate}`);
    }
    const { header, layout } = buildWavHeader(options.format ?? 'float32', options.sampleRate, 1, 0);
    let file: FileHandle;
    try {
      file = await open(options.path, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'CONFLICT' : 'INTERNAL';
      throw new AppError(code, `Cannot create recording ${options.path}: ${(error as Error).message}`);
    }
    await file.write(header, 0, header.length, 0);
    return new TakeRecorder(file, options, layout);
  }

  /** Frames handed to `append` so far. */
  get framesAppended(): number {
    return this.appended;
  }

  /** Frames whose bytes (and the header sizes covering them) have been written. */
  get framesOnDisk(): number {
    return this.dataBytesOnDisk / this.layout.bytesPerFrame;
  }

  get droppedFrames(): number {
    return this.dropped;
  }

  /** The first write error, if any (appends are ignored after one). */
  get error(): AppError | null {
    return this.failure;
  }

  /** Add mono samples (copied; the caller may reuse its buffer). Never waits on the disk. */
  append(samples: Float32Array): void {
    if (this.closed || this.failure) return;
    let start = 0;
    while (start < samples.length) {
      const count = Math.min(samples.length - start, this.blockFrames - this.currentFrames);
      this.encode(samples, start, count);
      start += count;
      this.currentFrames += count;
      this.appended += count;
      if (this.currentFrames === this.blockFrames) this.flushCurrent();
    }
  }

  /** Write what is left, finalise the header and close the file. */
  async stop(): Promise<TakeSummary> {
    if (!this.closed) {
      this.closed = true;
      if (this.currentFrames > 0) this.flushCurrent();
      await this.drain();
      try {
        if (!this.failure) await this.file.datasync();
      } finally {
        await this.file.close();
      }
    }
    if (this.failure) throw this.failure;
    const frames = this.framesOnDisk;
    return { path: this.path, frames, duration: frames / this.sampleRate, droppedFrames: this.dropped };
  }

  private encode(samples: Float32Array, start: number, count: number): void {
    const target = this.current;
    if (this.layout.format === 'float32') {
      const offset = this.currentFrames * 4;
      // Buffers from takeBuffer are 4-byte aligned, so a Float32 view writes little-endian floats
      // directly on every platform Electron ships for (all little-endian).
      new Float32Array(target.buffer, target.byteOffset + offset, count).set(samples.subarray(start, start + count));
    } else {
      for (let i = 0; i < count; i++) {
        const x = samples[start + i] as number;
        const clamped = x >= 1 ? 32767 : x <= -1 ? -32768 : Math.round(x * 32767);
        target.writeInt16LE(clamped, (this.currentFrames + i) * 2);
      }
    }
  }

  private flushCurrent(): void {
    const bytes = this.currentFrames * this.layout.bytesPerFrame;
    if (this.queue.length >= this.maxQueued) {
      this.dropped += this.currentFrames;
      this.currentFrames = 0;
      return;
    }
    this.queue.push({ buffer: this.current, bytes });
    this.current = this.takeBuffer();
    this.currentFrames = 0;
    if (!this.writing) this.writing = this.pump();
  }

  private takeBuffer(): Buffer {
    // allocUnsafeSlow: a buffer of its own (not a slice of the shared pool), so 4-byte aligned.
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.blockFrames * this.layout.bytesPerFrame);
  }

  private async pump(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        await this.file.write(next.buffer, 0, next.bytes, this.layout.dataOffset + this.dataBytesOnDisk);
        this.free.push(next.buffer);
        await this.writeSizes(this.dataBytesOnDisk + next.bytes);
        this.dataBytesOnDisk += next.bytes;
        if (performance.now() - this.lastSyncMs >= this.syncIntervalMs) {
          this.lastSyncMs = performance.now();
          await this.file.datasync();
        }
      }
    } catch (error) {
      this.failure = new AppError('INTERNAL', `Writing ${this.path} failed: ${(error as Error).message}`);
      this.queue.length = 0;
    } finally {
      this.writing = null;
    }
  }

  private async writeSizes(dataBytes: number): Promise<void> {
    const { header } = buildWavHeader(this.layout.format, this.sampleRate, 1, dataBytes);
    // One write covers RIFF size .. data size: the whole header is only 44-58 bytes.
    await this.file.write(header, 0, header.length, 0);
  }

  private async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }
}
