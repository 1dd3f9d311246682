/**
 * The inference thread: owns the onnxruntime session, so decoding audio and running the model
 * never block the main loop; files are decoded on a decode thread of its own (decode-thread.ts)
 * while the session runs. Protocol in worker-protocol.ts.
 */
import { availableParallelism } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { AppErrorShape } from '../../shared/errors';
import { DecodeThread } from './decode-thread';
import { transcribeAudioFile } from './pipeline';
import { TranscriptionModel } from './transcription-model';
import type { ClientMessage, WorkerInit, WorkerMessage } from './worker-protocol';

/**
 * Whole files want both cores of a 2-core machine: the step model on two onnxruntime threads, the
 * decode thread beside them (bench/transcription.ts: about 80x real time with one thread, about
 * 100x estimated with two on an idle 2-core machine). The live path loads its own session with
 * one thread, as hop-sized calls gain nothing from more.
 */
function offlineIntraOpThreads(): number {
  return Math.min(2, availableParallelism());
}

function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export async function runInferenceThread(port: MessagePort, init: WorkerInit): Promise<void> {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  // Started beside the model load, so its own start-up is not paid by the first file.
  const decoder = DecodeThread.start();
  let model: TranscriptionModel;
  try {
    model = await TranscriptionModel.load(init.modelDir, { intraOpThreads: offlineIntraOpThreads(), ...init.load });
  } catch (error) {
    await decoder.dispose();
    post({ type: 'load-failed', error: toErrorShape(error) });
    port.close();
    return;
  }
  post({
    type: 'ready',
    model: {
      name: model.manifest.name,
      version: model.manifest.version,
      sampleRate: model.manifest.sampleRate,
      frameRateHz: model.manifest.frameRateHz,
      provider: model.provider,
      providerFallbacks: model.providerFallbacks,
      loadMs: model.loadMs,
    },
  });

  const jobs = new Map<number, AbortController>();
  // One job at a time on the session; later requests wait their turn.
  let queue: Promise<void> = Promise.resolve();

  port.on('message', (message: ClientMessage) => {
    if (message.type === 'cancel') {
      jobs.get(message.id)?.abort();
      return;
    }
    if (message.type === 'dispose') {
      for (const controller of jobs.values()) controller.abort();
      queue = queue.then(async () => {
        await decoder.dispose();
        await model.dispose();
        post({ type: 'disposed' });
        port.close();
      });
      return;
    }
    const controller = new AbortController();
    jobs.set(message.id, controller);
    queue = queue.then(async () => {
      try {
        const result = await transcribeAudioFile(model, message.path, {
          decoder,
          signal: controller.signal,
          includePosteriors: message.includePosteriors,
          ...(message.chunking ? { chunking: message.chunking } : {}),
          onProgress: (stage, fraction) => post({ type: 'progress', id: message.id, stage, fraction }),
        });
        const p = result.posteriors;
        const transfer = p ? [p.onset, p.frame, p.offset, p.velocity, p.pedal].map((a) => a.buffer as ArrayBuffer) : [];
        post({ type: 'result', id: message.id, result }, [...new Set(transfer)]);
      } catch (error) {
        post({ type: 'failed', id: message.id, error: toErrorShape(error) });
      } finally {
        jobs.delete(message.id);
      }
    });
  });
}
