/**
 * Body of the decode thread: decodes and resamples one file at a time (decode-audio.ts), cut
 * into chunks of the requested size (the last one shorter), and sends at most `window` chunks
 * the consumer has not taken yet. Protocol in decode-protocol.ts.
 */
import type { MessagePort } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { AppErrorShape } from '../../shared/errors';
import type { AudioStreamInfo } from '../audio/decode/decode-audio';
import { decodeAudioStream } from '../audio/decode/decode-audio';
import type { DecodeReply, DecodeRequest } from './decode-protocol';

interface Job {
  credits: number;
  abort: AbortController;
  wake: (() => void) | null;
}

function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export function runDecodeThread(port: MessagePort): void {
  const jobs = new Map<number, Job>();
  let queue: Promise<void> = Promise.resolve();
  const post = (reply: DecodeReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

  const decode = async (request: Extract<DecodeRequest, { type: 'decode' }>, job: Job): Promise<void> => {
    const { id, chunkSamples } = request;
    const info: Partial<AudioStreamInfo> = {};
    let busyMs = 0;
    let fraction = 0;
    let pending = new Float32Array(chunkSamples);
    let filled = 0;
    const described = () => ({ container: info.container ?? 'wav', sourceSampleRate: info.sourceSampleRate ?? request.targetSampleRate });
    const send = async (samples: Float32Array): Promise<void> => {
      while (job.credits === 0 && !job.abort.signal.aborted) await new Promise<void>((resolve) => (job.wake = resolve));
      if (job.abort.signal.aborted) throw new AppError('CONFLICT', 'transcription was cancelled');
      job.credits--;
      post({ type: 'chunk', id, samples, fraction, ...described() }, [samples.buffer as ArrayBuffer]);
    };
    // Whole files: the onnxruntime resampler (same filter, a fraction of the CPU).
    const options = { targetSampleRate: request.targetSampleRate, fastResampler: true, signal: job.abort.signal, onProgress: (f: number) => (fraction = f) };
    const stream = decodeAudioStream(request.path, options, info);
    let mark = performance.now();
    for await (const samples of stream) {
      for (let offset = 0; offset < samples.length; ) {
        const take = Math.min(chunkSamples - filled, samples.length - offset);
        pending.set(samples.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === chunkSamples) {
          busyMs += performance.now() - mark;
          await send(pending);
          mark = performance.now();
          pending = new Float32Array(chunkSamples);
          filled = 0;
        }
      }
    }
    busyMs += performance.now() - mark;
    if (filled > 0) await send(pending.slice(0, filled));
    post({ type: 'end', id, busyMs, ...described() });
  };

  port.on('message', (request: DecodeRequest) => {
    if (request.type === 'close') {
      for (const job of jobs.values()) job.abort.abort();
      port.close();
      return;
    }
    if (request.type === 'decode') {
      const job: Job = { credits: request.window, abort: new AbortController(), wake: null };
      jobs.set(request.id, job);
      queue = queue.then(async () => {
        try {
          await decode(request, job);
        } catch (error) {
          post({ type: 'failed', id: request.id, error: toErrorShape(error) });
        } finally {
          jobs.delete(request.id);
        }
      });
      return;
    }
    const job = jobs.get(request.id);
    if (!job) return;
    if (request.type === 'credit') job.credits++;
    else job.abort.abort();
    job.wake?.();
    job.wake = null;
  });
}
