/**
 * Handle on the decode thread (decode-worker.ts): audio files decoded and resampled off the
 * inference thread, which is busy inside onnxruntime's synchronous session runs. One thread serves
 * one file at a time for its owner; chunks arrive in order as an async iterable.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { AudioStreamInfo } from '../audio/decode/decode-audio';
import type { DecodeReply, DecodeRequest, DecodeThreadInit } from './decode-protocol';
import { workerEntry } from './worker-entry';

export interface DecodeStreamOptions {
  targetSampleRate: number;
  /** Samples per chunk handed over (the last one may be shorter). */
  chunkSamples: number;
  /** Chunks the thread may decode ahead of the consumer. Default 3. */
  window?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Filled in while streaming: the source format, and at the end the thread's busy time. */
export interface DecodeStreamStats extends AudioStreamInfo {
  busyMs: number;
}

export class DecodeThread {
  private nextId = 1;
  private readonly listeners = new Map<number, (reply: DecodeReply) => void>();
  private failure: AppError | null = null;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: DecodeReply) => this.listeners.get(reply.id)?.(reply));
    worker.on('error', (error) => this.fail(`the decode thread crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(`the decode thread exited (code ${code})`);
    });
  }

  static start(): DecodeThread {
    const init: DecodeThreadInit = { role: 'decode' };
    return new DecodeThread(new Worker(workerEntry(), { workerData: init }));
  }

  /** False once the thread crashed or was closed: callers then decode on their own thread. */
  get usable(): boolean {
    return !this.failure && !this.closed;
  }

  /** Yields the file's samples at the target rate, mono, in chunks; throws the decoder's AppError. */
  async *stream(path: string, options: DecodeStreamOptions, stats: Partial<DecodeStreamStats> = {}): AsyncGenerator<Float32Array> {
    if (this.failure) throw this.failure;
    if (this.closed) throw new AppError('CONFLICT', 'the decode thread was closed');
    const id = this.nextId++;
    const replies: DecodeReply[] = [];
    let wake: (() => void) | null = null;
    this.listeners.set(id, (reply) => {
      replies.push(reply);
      wake?.();
      wake = null;
    });
    const cancel = () => this.send({ type: 'cancel', id });
    options.signal?.addEventListener('abort', cancel, { once: true });
    let ended = false;
    try {
      this.send({ type: 'decode', id, path, targetSampleRate: options.targetSampleRate, chunkSamples: options.chunkSamples, window: options.window ?? 3 });
      for (;;) {
        if (options.signal?.aborted) throw new AppError('CONFLICT', 'transcription was cancelled');
        const reply = replies.shift();
        if (!reply) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (reply.type === 'failed') {
          ended = true;
          throw new AppError(reply.error.code, reply.error.message);
        }
        stats.container = reply.container;
        stats.sourceSampleRate = reply.sourceSampleRate;
        if (reply.type === 'end') {
          ended = true;
          stats.busyMs = reply.busyMs;
          return;
        }
        this.send({ type: 'credit', id });
        options.onProgress?.(reply.fraction);
        yield reply.samples;
      }
    } finally {
      // A consumer that stops early (error, cancellation) stops the thread's work too.
      if (!ended) cancel();
      this.listeners.delete(id);
      options.signal?.removeEventListener('abort', cancel);
    }
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.send({ type: 'close' });
    await this.worker.terminate();
  }

  private send(request: DecodeRequest): void {
    if (!this.closed || request.type === 'close') this.worker.postMessage(request);
  }

  private fail(message: string): void {
    this.failure ??= new AppError('INTERNAL', message);
    for (const [id, listener] of this.listeners) listener({ type: 'failed', id, error: { code: 'INTERNAL', message } });
  }
}
