/**
 * File → posteriors with decoding and inference overlapped: decoded audio is cut into model-sized
 * chunks and each chunk goes to the step model (state carried) while the next one is being
 * decoded. onnxruntime computes on its own threads, so the two proceed in parallel, and at most
 * two chunks of audio are held at once. Used for 'stateful' models; equal to running the whole
 * clip (same chunks, same state).
 */
import type { Posteriors } from '../../core/transcription/posteriors';
import { concatPosteriors } from '../../core/transcription/posteriors';
import { AppError } from '../../shared/errors';
import type { AudioContainer } from '../audio/decode/codecs';
import type { AudioStreamInfo } from '../audio/decode/decode-audio';
import { decodeAudioStream } from '../audio/decode/decode-audio';
import type { TranscriptionModel } from './transcription-model';

export interface StreamedPosteriors {
  posteriors: Posteriors;
  audioSec: number;
  container: AudioContainer;
  sourceSampleRate: number;
  /** Time spent producing decoded audio (reading, decoding, resampling). */
  decodeMs: number;
  /** Wall time of the model calls (they overlap decoding). */
  inferenceMs: number;
}

export interface StreamedOptions {
  chunkSec?: number;
  signal?: AbortSignal;
  onProgress?: (stage: 'decode' | 'inference', fraction: number) => void;
}

export async function streamPosteriors(model: TranscriptionModel, path: string, options: StreamedOptions = {}): Promise<StreamedPosteriors> {
  if (model.mode !== 'stateful') throw new AppError('INTERNAL', 'streamed inference needs a stateful (step) model');
  const { hop } = model.manifest;
  const chunkSamples = Math.max(1, Math.round(((options.chunkSec ?? 10) * model.sampleRate) / hop)) * hop;
  const state = model.zeroState();
  const parts: Posteriors[] = [];
  const info: Partial<AudioStreamInfo> = {};
  let fileFraction = 0;
  let totalSamples = 0;
  let decodeMs = 0;
  let inferenceMs = 0;
  let inFlight: Promise<void> = Promise.resolve();

  const launch = (chunk: Float32Array): void => {
    if (options.signal?.aborted) throw new AppError('CONFLICT', 'transcription was cancelled');
    const started = performance.now();
    inFlight = model.runChunk(chunk, state).then((p) => {
      parts.push(p);
      inferenceMs += performance.now() - started;
      options.onProgress?.('inference', fileFraction);
    });
    // Observed later by `await inFlight`; marking it handled keeps a failure from being reported
    // as unhandled while the next chunk is still decoding.
    inFlight.catch(() => undefined);
  };

  let pending = new Float32Array(chunkSamples);
  let filled = 0;
  const stream = decodeAudioStream(
    path,
    {
      targetSampleRate: model.sampleRate,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (f) => {
        fileFraction = f;
        options.onProgress?.('decode', f);
      },
    },
    info,
  );
  let mark = performance.now();
  for await (const samples of stream) {
    decodeMs += performance.now() - mark;
    totalSamples += samples.length;
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(chunkSamples - filled, samples.length - offset);
      pending.set(samples.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === chunkSamples) {
        await inFlight; // state dependency: one model call at a time
        launch(pending);
        pending = new Float32Array(chunkSamples);
        filled = 0;
      }
    }
    mark = performance.now();
  }
  decodeMs += performance.now() - mark;
  await inFlight;
  const rest = filled - (filled % hop);
  if (rest > 0) {
    launch(pending.subarray(0, rest));
    await inFlight;
  }
  options.onProgress?.('inference', 1);
  return {
    posteriors: concatPosteriors(parts),
    audioSec: totalSamples / model.sampleRate,
    container: info.container ?? 'wav',
    sourceSampleRate: info.sourceSampleRate ?? model.sampleRate,
    decodeMs,
    inferenceMs,
  };
}
