/** Messages between the live transcription worker and AudioNoteSource (structured-clone data only). */
import type { DecodingConfig } from '../../core/transcription/decoding-config';
import type { AppErrorShape } from '../../shared/errors';
import type { LiveNoteEvent } from '../../shared/performance';
import type { RingBufferShared } from '../audio/ringBuffer';

export interface LiveWorkerInit {
  modelDir: string;
  ring: RingBufferShared;
  /** Capture rate of the ring's samples; resampled in the worker to the model's rate. */
  captureRate: number;
  /** Longest the worker parks on an empty ring before it looks again (ms); blocks wake it sooner. */
  pollMs: number;
  /** Overrides of the manifest's decoding constants (tests and the bench probe an early model). */
  decoding?: Partial<Omit<DecodingConfig, 'frameRateHz'>>;
  /** Send per-frame posterior digests back (determinism checks); off in the app. */
  reportDigests: boolean;
  intraOpThreads?: number;
}

export type LiveClientMessage = { type: 'start' } | { type: 'stop' } | { type: 'dispose' };

/**
 * Wall-clock stamps from the worker are `performance.timeOrigin + performance.now()` (a worker's
 * performance.now() has its own origin); the main side converts them to its own clock.
 */
export interface BatchStamps {
  readAbsMs: number;
  resampledAbsMs: number;
  inferredAbsMs: number;
  decodedAbsMs: number;
}

export interface LiveBatch {
  type: 'batch';
  /** Ring (capture) frame index one past the last sample this batch consumed. */
  endCaptureFrame: number;
  /** Capture frames read from the ring in this batch. */
  captureFrames: number;
  /** Model frames decoded so far in this take (after this batch). */
  modelFramesTotal: number;
  /** Model frames decoded by this batch. */
  modelFrames: number;
  /** Frames that were waiting in the ring when the worker read it (backlog). */
  backlogFrames: number;
  stamps: BatchStamps;
  events: LiveNoteEvent[];
  /** Per model frame: [max onset posterior, sum of frame posteriors], when reportDigests. */
  digests?: Float32Array;
}

export type LiveWorkerMessage =
  | {
      type: 'ready';
      sampleRate: number;
      hop: number;
      frameRateHz: number;
      provider: string;
      decoding: DecodingConfig;
      modelVersion: string;
      /** How long after a key's onset the model can first place it (modelLookAheadSec). */
      lookAheadSec: number;
    }
  | { type: 'load-failed'; error: AppErrorShape }
  | { type: 'started'; startCaptureFrame: number }
  | LiveBatch
  | { type: 'stopped'; events: LiveNoteEvent[]; modelFramesTotal: number; endCaptureFrame: number }
  | { type: 'failed'; error: AppErrorShape }
  | { type: 'disposed' };

/**
 * The model's own share of the onset -> event delay. The worker feeds the step model whole hops, so
 * frame t exists once samples up to (t+1)*hop are captured, one hop after the time t/frameRate it
 * stands for; and the frame answers for t/frameRate + time_offset_s, so heads that answer late
 * (time_offset_s < 0) add |offset|. 0.1.0 (offset +1 ms): 9 ms; 0.2.0 (offset -38 ms): 48 ms.
 * (The manifests' `lookahead_frames` changed meaning between versions, so it is not used.)
 */
export function modelLookAheadSec(frameRateHz: number, timeOffsetSec: number): number {
  return Math.max(0, 1 / frameRateHz - timeOffsetSec);
}
