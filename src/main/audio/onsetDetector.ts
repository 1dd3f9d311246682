import type { Milliseconds } from '../../shared';

export interface ThresholdOnsetOptions {
  /** |sample| at or above this starts an onset (linear, full scale = 1). */
  threshold: number;
  /** Re-arm only after the signal stayed below `releaseThreshold` for this long. */
  quietMs: Milliseconds;
  /** Defaults to half the threshold (hysteresis, so a decaying tone does not re-trigger). */
  releaseThreshold?: number;
  sampleRate: number;
}

/**
 * The simplest onset detector there is: first sample above a threshold after a quiet stretch.
 * Enough to time clicks and struck notes against silence (latency measurements, input checks);
 * real note onsets come from the transcription model. Streaming, no allocation per block.
 */
export class ThresholdOnsetDetector {
  private readonly threshold: number;
  private readonly release: number;
  private readonly quietFrames: number;
  private quietCount: number;
  private armed = true;

  constructor(options: ThresholdOnsetOptions) {
    if (!(options.threshold > 0) || !(options.sampleRate > 0) || !(options.quietMs >= 0)) {
      throw new RangeError('ThresholdOnsetDetector: threshold and sampleRate must be positive, quietMs >= 0');
    }
    this.threshold = options.threshold;
    this.release = options.releaseThreshold ?? options.threshold / 2;
    this.quietFrames = Math.round((options.quietMs * options.sampleRate) / 1000);
    this.quietCount = this.quietFrames;
  }

  /**
   * @param firstFrame frame index of `samples[0]`
   * @param onOnset called with the frame index of each onset found in this block
   */
  push(samples: Float32Array, firstFrame: number, onOnset: (frame: number) => void): void {
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i] as number;
      const magnitude = x < 0 ? -x : x;
      if (this.armed) {
        if (magnitude >= this.threshold) {
          this.armed = false;
          this.quietCount = 0;
          onOnset(firstFrame + i);
        }
      } else if (magnitude < this.release) {
        if (++this.quietCount >= this.quietFrames) this.armed = true;
      } else {
        this.quietCount = 0;
      }
    }
  }

  reset(): void {
    this.armed = true;
    this.quietCount = this.quietFrames;
  }
}
