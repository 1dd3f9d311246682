/**
 * File → posteriors chunk by chunk: decoded audio is cut into model-sized chunks and each goes to
 * the step model (state carried). onnxruntime-node runs a session synchronously on this thread, so
 * decoding overlaps inference only on a decode thread (decode-thread.ts; a few chunks ahead at
 * most); without one, decoding runs here between model calls. Used for 'stateful' models; equal
 * to running the whole clip (same chunks, same state).
 */
import type { Posteriors } from '../../core/transcription/posteriors';
import { concatPosteriors } from '../../core/transcription/posteriors';
import { AppError } from '../../shared/errors';
import type { AudioContainer } from '../audio/decode/codecs';
import type { AudioStreamInfo } from '../audio/decode/decode-audio';
import { decodeAudioStream } from '../audio/decode/decode-audio';
import type { DecodeStreamStats, DecodeThread } from './decode-thread';
import type { TranscriptionModel } from './transcription-model';

export interface StreamedPosteriors {
  posteriors: Posteriors;
  audioSec: number;
  container: AudioContainer;
  sourceSampleRate: number;
  /** Time spent producing decoded audio (reading, decoding, resampling), on whichever thread did it. */
  decodeMs: number;
  /** Wall time of the model calls (with a decode thread, decoding runs beside them). */
  inferenceMs: number;
}

export interface StreamedOptions {
  /** Decode on this thread instead of the calling one. */
  decoder?: DecodeThread;
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
  const onDecodeProgress = (f: number) => {
    fileFraction = f;
    options.onProgress?.('decode', f);
  };
  const signal = options.signal ? { signal: options.signal } : {};
  const threadStats: Partial<DecodeStreamStats> = {};
  const stream = options.decoder?.usable
    ? options.decoder.stream(path, { targetSampleRate: model.sampleRate, chunkSamples, ...signal, onProgress: onDecodeProgress }, threadStats)
    : decodeAudioStream(path, { targetSampleRate: model.sampleRate, ...signal, onProgress: onDecodeProgress }, info);
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
    container: threadStats.container ?? info.container ?? 'wav',
    sourceSampleRate: threadStats.sourceSampleRate ?? info.sourceSampleRate ?? model.sampleRate,
    // With a decode thread, time spent waiting here for chunks is not decoding: its own clock counts.
    decodeMs: threadStats.busyMs ?? decodeMs,
    inferenceMs,
  };
}
