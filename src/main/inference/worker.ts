/**
 * Inference worker thread: owns the onnxruntime session, so decoding audio and running the model
 * never block the main loop. Protocol in worker-protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { AppErrorShape } from '../../shared/errors';
import { transcribeAudioFile } from './pipeline';
import { TranscriptionModel } from './transcription-model';
import type { ClientMessage, WorkerInit, WorkerMessage } from './worker-protocol';

function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker.ts must run as a worker thread');
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const init = workerData as WorkerInit;
  let model: TranscriptionModel;
  try {
    model = await TranscriptionModel.load(init.modelDir, init.load);
  } catch (error) {
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

void main();
