import type { Hz, Milliseconds, Seconds } from '../../shared';

/** Quietest level reported; digital silence would otherwise be -Infinity. */
export const SILENCE_DBFS = -120;

export interface LevelReading {
  /** Capture time (ms, same clock as the capture's block times) of the window's last sample. */
  timeMs: Milliseconds;
  rmsDbfs: number;
  peakDbfs: number;
  /** At least one sample in the window reached the clip threshold. */
  clipped: boolean;
  /**
   * A low percentile of window RMS over the recent past: the room/preamp noise between notes.
   * Null until enough history exists to mean something.
   */
  noiseFloorDbfs: number | null;
}

export interface LevelMeterOptions {
  sampleRate: Hz;
  windowMs?: Milliseconds;
  /** |sample| at or above this counts as clipping (float capture can exceed 1.0). */
  clipThreshold?: number;
  /** How much history the noise floor looks at. */
  noiseFloorSeconds?: Seconds;
  /** Which percentile of window RMS is the floor (0..100). */
  noiseFloorPercentile?: number;
}

export function toDbfs(linear: number): number {
  return linear > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(linear)) : SILENCE_DBFS;
}

/**
 * RMS and peak per fixed window (~50 ms), clip flag, and a noise-floor estimate. All state is
 * preallocated; `push` runs on every capture block and allocates only the small reading object of
 * each completed window (20 a second).
 */
export class LevelMeter {
  readonly windowFrames: number;
  private readonly clipThreshold: number;
  private readonly percentile: number;
  private readonly minHistory: number;
  private readonly history: Float64Array;
  private readonly sortScratch: Float64Array;
  private historyCount = 0;
  private historyNext = 0;
  private sumSquares = 0;
  private peak = 0;
  private clipped = false;
  private framesInWindow = 0;

  constructor(options: LevelMeterOptions) {
    const windowMs = options.windowMs ?? 50;
    if (!(options.sampleRate > 0) || !(windowMs > 0)) {
      throw new RangeError('LevelMeter: sampleRate and windowMs must be positive');
    }
    this.windowFrames = Math.max(1, Math.round((options.sampleRate * windowMs) / 1000));
    this.clipThreshold = options.clipThreshold ?? 0.999;
    this.percentile = Math.min(100, Math.max(0, options.noiseFloorPercentile ?? 10));
    const historyWindows = Math.max(1, Math.round(((options.noiseFloorSeconds ?? 5) * 1000) / windowMs));
    this.history = new Float64Array(historyWindows);
    this.sortScratch = new Float64Array(historyWindows);
    // A floor from a fraction of a second would just be the current note's level.
    this.minHistory = Math.min(historyWindows, Math.max(1, Math.round(1000 / windowMs)));
  }

  /**
   * Feed mono samples; `onReading` is called for each window completed inside this block.
   * @param firstSampleTimeMs capture time of `samples[0]`.
   * @param msPerFrame 1000 / sampleRate (passed to avoid a division per block).
   */
  push(
    samples: Float32Array,
    firstSampleTimeMs: Milliseconds,
    msPerFrame: Milliseconds,
    onReading: (reading: LevelReading) => void,
  ): void {
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i] as number;
      const magnitude = x < 0 ? -x : x;
      this.sumSquares += x * x;
      if (magnitude > this.peak) this.peak = magnitude;
      if (magnitude >= this.clipThreshold) this.clipped = true;
      if (++this.framesInWindow === this.windowFrames) {
        onReading(this.closeWindow(firstSampleTimeMs + i * msPerFrame));
      }
    }
  }

  /** The current noise-floor estimate (dBFS), or null with less than a second of history. */
  noiseFloorDbfs(): number | null {
    if (this.historyCount < this.minHistory) return null;
    const n = this.historyCount;
    const sorted = this.sortScratch.subarray(0, n);
    sorted.set(this.history.subarray(0, n));
    sorted.sort();
    const index = Math.min(n - 1, Math.floor((this.percentile / 100) * (n - 1)));
    return toDbfs(sorted[index] as number);
  }

  reset(): void {
    this.historyCount = 0;
    this.historyNext = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.clipped = false;
    this.framesInWindow = 0;
  }

  private closeWindow(timeMs: Milliseconds): LevelReading {
    const rms = Math.sqrt(this.sumSquares / this.windowFrames);
    this.history[this.historyNext] = rms;
    this.historyNext = (this.historyNext + 1) % this.history.length;
    if (this.historyCount < this.history.length) this.historyCount++;
    const reading: LevelReading = {
      timeMs,
      rmsDbfs: toDbfs(rms),
      peakDbfs: toDbfs(this.peak),
      clipped: this.clipped,
      noiseFloorDbfs: this.noiseFloorDbfs(),
    };
    this.sumSquares = 0;
    this.peak = 0;
    this.clipped = false;
    this.framesInWindow = 0;
    return reading;
  }
}
