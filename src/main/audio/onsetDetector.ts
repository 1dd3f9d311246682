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

export interface RiseOnsetOptions {
  sampleRate: number;
  /** RMS window (ms); an onset is placed at the start of the window that rose. */
  windowMs?: Milliseconds;
  /** Rise over the quietest window of the last `lookBackMs` that counts as a strike (dB). */
  riseDb?: number;
  lookBackMs?: Milliseconds;
  /** Windows quieter than this never start an onset (dBFS). */
  minDbfs?: number;
  /** No second onset within this time of the previous one. */
  refractoryMs?: Milliseconds;
}

/**
 * Struck notes over other sounding notes: an onset is a window whose RMS jumps `riseDb` above the
 * quietest recent window. Unlike the threshold detector it does not need silence between notes, so
 * it counts the notes of a legato scale; still only an energy detector (no pitch).
 */
export class RiseOnsetDetector {
  private readonly windowFrames: number;
  private readonly history: Float64Array;
  private readonly riseDb: number;
  private readonly minDbfs: number;
  private readonly refractoryWindows: number;
  private sumSquares = 0;
  private inWindow = 0;
  private windowStart = 0;
  private windowsSeen = 0;
  private sinceOnset = Number.POSITIVE_INFINITY;

  constructor(options: RiseOnsetOptions) {
    if (!(options.sampleRate > 0)) throw new RangeError('RiseOnsetDetector: sampleRate must be positive');
    const windowMs = options.windowMs ?? 5;
    this.windowFrames = Math.max(1, Math.round((options.sampleRate * windowMs) / 1000));
    this.history = new Float64Array(Math.max(1, Math.round((options.lookBackMs ?? 40) / windowMs)));
    this.history.fill(-200);
    this.riseDb = options.riseDb ?? 6;
    this.minDbfs = options.minDbfs ?? -50;
    this.refractoryWindows = Math.round((options.refractoryMs ?? 80) / windowMs);
  }

  push(samples: Float32Array, firstFrame: number, onOnset: (frame: number) => void): void {
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i] as number;
      if (this.inWindow === 0) this.windowStart = firstFrame + i;
      this.sumSquares += x * x;
      if (++this.inWindow < this.windowFrames) continue;
      const db = 10 * Math.log10(this.sumSquares / this.windowFrames + 1e-20);
      let quietest = Number.POSITIVE_INFINITY;
      for (let k = 0; k < this.history.length; k++) quietest = Math.min(quietest, this.history[k] as number);
      this.sinceOnset++;
      if (db >= this.minDbfs && db - quietest >= this.riseDb && this.sinceOnset > this.refractoryWindows) {
        this.sinceOnset = 0;
        onOnset(this.windowStart);
      }
      this.history[this.windowsSeen % this.history.length] = db;
      this.windowsSeen++;
      this.sumSquares = 0;
      this.inWindow = 0;
    }
  }
}
