/**
 * Messages between the inference worker and its decode thread. onnxruntime-node runs a session
 * synchronously on the calling thread, so audio decoding only overlaps inference when it runs on
 * a thread of its own; chunks go over with their buffers transferred, under a credit window that
 * bounds how far decoding runs ahead.
 */
import type { AppErrorShape } from '../../shared/errors';
import type { AudioContainer } from '../audio/decode/codecs';

/** workerData of the decode thread (the worker entry dispatches on `role`). */
export interface DecodeThreadInit {
  role: 'decode';
}

export type DecodeRequest =
  | { type: 'decode'; id: number; path: string; targetSampleRate: number; chunkSamples: number; window: number }
  /** The consumer took one chunk: the thread may send one more. */
  | { type: 'credit'; id: number }
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type DecodeReply =
  | { type: 'chunk'; id: number; samples: Float32Array; fraction: number; container: AudioContainer; sourceSampleRate: number }
  /** `busyMs`: time the thread spent reading, decoding and resampling this file. */
  | { type: 'end'; id: number; busyMs: number; container: AudioContainer; sourceSampleRate: number }
  | { type: 'failed'; id: number; error: AppErrorShape };
