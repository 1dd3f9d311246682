/**
 * Audio file → notes, pedal and chords with timings: decode + resample, model in chunks,
 * posterior decoding, chord labels. Runs inside the inference worker.
 */
import { recognizeChords } from '../../core/chords/recognize';
import { decodePerformance } from '../../core/transcription/offline-decoder';
import type { Posteriors } from '../../core/transcription/posteriors';
import { streamPosteriors } from './streamed-inference';
import type { ChordLabel } from '../../shared/chords';
import type { Performance } from '../../shared/performance';
import { decodeAudioFile } from '../audio/decode/decode-audio';
import type { AudioContainer } from '../audio/decode/codecs';
import type { DecodeThread } from './decode-thread';
import type { ChunkingOptions, TranscriptionModel } from './transcription-model';

export type TranscriptionStage = 'decode' | 'inference';

export interface TranscriptionTimings {
  /** Reading, decoding and resampling the file. */
  decodeMs: number;
  /** Running the model over every chunk (for stateful models this overlaps decoding, so
   * decodeMs + inferenceMs can exceed totalMs). */
  inferenceMs: number;
  /** Posteriors → notes, pedal, chords. */
  postprocessMs: number;
  totalMs: number;
  audioSec: number;
  /** Processing time / audio duration (smaller is faster; 0.01 = 100x real time). */
  realTimeFactor: number;
  /** Audio duration / processing time ("x real time"). */
  speedVsRealTime: number;
}

export interface TranscriptionResult {
  performance: Performance;
  chords: ChordLabel[];
  timings: TranscriptionTimings;
  model: { name: string; version: string; provider: string };
  source: { container: AudioContainer; sampleRate: number };
  posteriors?: Posteriors;
}

export interface TranscribeFileOptions {
  /** A decode thread for 'stateful' models, so decoding runs beside inference (decode-thread.ts). */
  decoder?: DecodeThread;
  signal?: AbortSignal;
  onProgress?: (stage: TranscriptionStage, fraction: number) => void;
  includePosteriors?: boolean;
  chunking?: Omit<ChunkingOptions, 'signal' | 'onProgress'>;
}

export async function transcribeAudioFile(model: TranscriptionModel, path: string, options: TranscribeFileOptions = {}): Promise<TranscriptionResult> {
  const t0 = performance.now();
  const signal = options.signal ? { signal: options.signal } : {};
  let posteriors: Posteriors;
  let audio: { audioSec: number; container: AudioContainer; sourceSampleRate: number; decodeMs: number; inferenceMs: number };
  if (model.mode === 'stateful') {
    // Chunk by chunk; decoding overlaps inference when a decode thread is given (streamed-inference.ts).
    const streamed = await streamPosteriors(model, path, {
      ...signal,
      ...(options.decoder ? { decoder: options.decoder } : {}),
      ...(options.chunking?.chunkSec ? { chunkSec: options.chunking.chunkSec } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    posteriors = streamed.posteriors;
    audio = streamed;
  } else {
    const decoded = await decodeAudioFile(path, {
      targetSampleRate: model.sampleRate,
      ...signal,
      onProgress: (f) => options.onProgress?.('decode', f),
    });
    const t1 = performance.now();
    posteriors = await model.transcribe(decoded.samples, {
      ...options.chunking,
      ...signal,
      onProgress: (f) => options.onProgress?.('inference', f),
    });
    audio = {
      audioSec: decoded.durationSec,
      container: decoded.container,
      sourceSampleRate: decoded.sourceSampleRate,
      decodeMs: t1 - t0,
      inferenceMs: performance.now() - t1,
    };
  }
  const t2 = performance.now();
  const performanceResult = decodePerformance(posteriors, model.manifest.decoding);
  const chords = recognizeChords(performanceResult.notes);
  const t3 = performance.now();
  const totalMs = t3 - t0;
  const audioSec = audio.audioSec;
  return {
    performance: performanceResult,
    chords,
    timings: {
      decodeMs: audio.decodeMs,
      inferenceMs: audio.inferenceMs,
      postprocessMs: t3 - t2,
      totalMs,
      audioSec,
      realTimeFactor: audioSec > 0 ? totalMs / 1000 / audioSec : 0,
      speedVsRealTime: totalMs > 0 ? audioSec / (totalMs / 1000) : 0,
    },
    model: { name: model.manifest.name, version: model.manifest.version, provider: model.provider },
    source: { container: audio.container, sampleRate: audio.sourceSampleRate },
    ...(options.includePosteriors ? { posteriors } : {}),
  };
}
