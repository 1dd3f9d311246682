/**
 * Audio file → notes, pedal and chords with timings: decode + resample, model in chunks,
 * posterior decoding, chord labels. Runs inside the inference worker.
 */
import { recognizeChords } from '../../core/chords/recognize';
import { decodePerformance } from '../../core/transcription/offline-decoder';
import type { Posteriors } from '../../core/transcription/posteriors';
import type { ChordLabel } from '../../shared/chords';
import type { Performance } from '../../shared/performance';
import { decodeAudioFile } from '../audio/decode/decode-audio';
import type { AudioContainer } from '../audio/decode/codecs';
import type { ChunkingOptions, TranscriptionModel } from './transcription-model';

export type TranscriptionStage = 'decode' | 'inference';

export interface TranscriptionTimings {
  /** Reading, decoding and resampling the file. */
  decodeMs: number;
  /** Running the model over every chunk. */
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
  signal?: AbortSignal;
  onProgress?: (stage: TranscriptionStage, fraction: number) => void;
  includePosteriors?: boolean;
  chunking?: Omit<ChunkingOptions, 'signal' | 'onProgress'>;
}

export async function transcribeAudioFile(model: TranscriptionModel, path: string, options: TranscribeFileOptions = {}): Promise<TranscriptionResult> {
  const t0 = performance.now();
  const audio = await decodeAudioFile(path, {
    targetSampleRate: model.sampleRate,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (f) => options.onProgress?.('decode', f),
  });
  const t1 = performance.now();
  const posteriors = await model.transcribe(audio.samples, {
    ...options.chunking,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (f) => options.onProgress?.('inference', f),
  });
  const t2 = performance.now();
  const performanceResult = decodePerformance(posteriors, model.manifest.decoding);
  const chords = recognizeChords(performanceResult.notes);
  const t3 = performance.now();
  const totalMs = t3 - t0;
  const audioSec = audio.durationSec;
  return {
    performance: performanceResult,
    chords,
    timings: {
      decodeMs: t1 - t0,
      inferenceMs: t2 - t1,
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
