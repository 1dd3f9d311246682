/** Messages between the inference worker and its client (structured-clone data only). */
import type { AppErrorShape } from '../../shared/errors';
import type { TranscriptionResult, TranscriptionStage } from './pipeline';
import type { ChunkingOptions, LoadOptions } from './transcription-model';

export interface WorkerInit {
  modelDir: string;
  load: LoadOptions;
}

export type ClientMessage =
  | {
      type: 'transcribe';
      id: number;
      path: string;
      includePosteriors: boolean;
      chunking?: Omit<ChunkingOptions, 'signal' | 'onProgress'>;
    }
  | { type: 'cancel'; id: number }
  | { type: 'dispose' };

export interface ModelInfo {
  name: string;
  version: string;
  sampleRate: number;
  frameRateHz: number;
  provider: string;
  providerFallbacks: Array<{ provider: string; error: string }>;
  loadMs: number;
}

export type WorkerMessage =
  | { type: 'ready'; model: ModelInfo }
  | { type: 'load-failed'; error: AppErrorShape }
  | { type: 'progress'; id: number; stage: TranscriptionStage; fraction: number }
  | { type: 'result'; id: number; result: TranscriptionResult }
  | { type: 'failed'; id: number; error: AppErrorShape }
  | { type: 'disposed' };
