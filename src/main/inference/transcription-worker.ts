/**
 * Main-thread handle on the inference worker: start (load the model there), transcribe files with
 * progress and AbortSignal cancellation, dispose. Nothing here blocks the event loop.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { TranscriptionResult, TranscriptionStage } from './pipeline';
import type { ChunkingOptions, LoadOptions } from './transcription-model';
import type { ClientMessage, ModelInfo, WorkerInit, WorkerMessage } from './worker-protocol';
import { workerEntry } from './worker-entry';

export interface WorkerTranscribeOptions {
  signal?: AbortSignal;
  onProgress?: (stage: TranscriptionStage, fraction: number) => void;
  includePosteriors?: boolean;
  chunking?: Omit<ChunkingOptions, 'signal' | 'onProgress'>;
}

interface PendingJob {
  resolve: (result: TranscriptionResult) => void;
  reject: (error: AppError) => void;
  onProgress?: WorkerTranscribeOptions['onProgress'];
}

export class TranscriptionWorker {
  private nextId = 1;
  private readonly jobs = new Map<number, PendingJob>();
  private disposed = false;
  private exitError: AppError | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly model: ModelInfo,
  ) {
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => this.failAll(new AppError('INTERNAL', `inference worker crashed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!this.disposed) this.failAll(new AppError('INTERNAL', `inference worker exited (code ${code})`));
    });
  }

  /** Starts a worker and loads the model in it; rejects with the load error (bad manifest, sha256, I/O...). */
  static start(modelDir: string, load: LoadOptions = {}): Promise<TranscriptionWorker> {
    const init: WorkerInit = { modelDir, load };
    const worker = new Worker(workerEntry(), { workerData: init });
    return new Promise((resolve, reject) => {
      const onFirst = (message: WorkerMessage) => {
        worker.off('error', onError);
        if (message.type === 'ready') resolve(new TranscriptionWorker(worker, message.model));
        else {
          const error = message.type === 'load-failed' ? new AppError(message.error.code, message.error.message) : new AppError('INTERNAL', `unexpected worker message ${message.type}`);
          void worker.terminate();
          reject(error);
        }
      };
      const onError = (error: Error) => {
        worker.off('message', onFirst);
        reject(new AppError('INTERNAL', `inference worker failed to start: ${error.message}`));
      };
      worker.once('message', onFirst);
      worker.once('error', onError);
    });
  }

  transcribeFile(path: string, options: WorkerTranscribeOptions = {}): Promise<TranscriptionResult> {
    if (this.disposed) return Promise.reject(new AppError('CONFLICT', 'the transcription worker was disposed'));
    if (this.exitError) return Promise.reject(this.exitError);
    if (options.signal?.aborted) return Promise.reject(new AppError('CONFLICT', 'transcription was cancelled'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      options.signal?.addEventListener('abort', () => this.send({ type: 'cancel', id }), { once: true });
      this.send({
        type: 'transcribe',
        id,
        path,
        includePosteriors: options.includePosteriors ?? false,
        ...(options.chunking ? { chunking: options.chunking } : {}),
      });
    });
  }

  /** Cancels running work, releases the session and ends the thread. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 5000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.send({ type: 'dispose' });
    await done;
    this.failAll(new AppError('CONFLICT', 'the transcription worker was disposed'));
  }

  private send(message: ClientMessage): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type === 'progress') {
      this.jobs.get(message.id)?.onProgress?.(message.stage, message.fraction);
    } else if (message.type === 'result') {
      this.jobs.get(message.id)?.resolve(message.result);
      this.jobs.delete(message.id);
    } else if (message.type === 'failed') {
      this.jobs.get(message.id)?.reject(new AppError(message.error.code, message.error.message));
      this.jobs.delete(message.id);
    }
  }

  private failAll(error: AppError): void {
    this.exitError ??= error;
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }
}
