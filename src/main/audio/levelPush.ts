/**
 * The meter's push side: LevelMeter completes a window every ~50 ms on the capture callback; the UI
 * needs at most ~20 readings a second over the WebSocket. LevelThrottle folds every reading since
 * the previous push into one (loudest RMS and peak, any clip), so a short peak or a single clipped
 * window between pushes still reaches the screen, and holds the clip warning long enough to read.
 */
import type { Milliseconds } from '../../shared';
import { CLIP_HOLD_MS } from '../../shared/live';
import type { AudioLevelEvent, AudioLevelSource } from '../../shared/live';
import type { AudioCapture } from './capture';
import type { LevelReading } from './levelMeter';

export type LevelSummary = Omit<AudioLevelEvent, 'source' | 'deviceName'>;

export interface LevelThrottleOptions {
  /** Shortest time between two pushes (capture clock); 50 ms = 20 a second. */
  intervalMs?: Milliseconds;
  clipHoldMs?: Milliseconds;
}

export class LevelThrottle {
  private readonly intervalMs: Milliseconds;
  private readonly clipHoldMs: Milliseconds;
  private lastPushMs = Number.NEGATIVE_INFINITY;
  private lastClipMs = Number.NEGATIVE_INFINITY;
  private pending: LevelSummary | null = null;

  constructor(options: LevelThrottleOptions = {}) {
    this.intervalMs = options.intervalMs ?? 50;
    this.clipHoldMs = options.clipHoldMs ?? CLIP_HOLD_MS;
    if (!(this.intervalMs > 0) || !(this.clipHoldMs >= 0)) throw new RangeError('LevelThrottle: intervalMs must be positive, clipHoldMs >= 0');
  }

  /** Folds a reading in; returns the summary to push when the interval has passed, else null. */
  push(reading: LevelReading): LevelSummary | null {
    if (reading.clipped) this.lastClipMs = reading.timeMs;
    const p = this.pending;
    this.pending = {
      rmsDbfs: p ? Math.max(p.rmsDbfs, reading.rmsDbfs) : reading.rmsDbfs,
      peakDbfs: p ? Math.max(p.peakDbfs, reading.peakDbfs) : reading.peakDbfs,
      clipped: (p?.clipped ?? false) || reading.clipped,
      clipWarning: false,
      noiseFloorDbfs: reading.noiseFloorDbfs,
    };
    if (reading.timeMs - this.lastPushMs < this.intervalMs) return null;
    const out = { ...this.pending, clipWarning: reading.timeMs - this.lastClipMs <= this.clipHoldMs };
    this.pending = null;
    this.lastPushMs = reading.timeMs;
    return out;
  }
}

/** Pushes a capture's levels through a LevelThrottle; returns the unsubscribe function. */
export function feedLevels(
  capture: Pick<AudioCapture, 'on' | 'stream'>,
  source: AudioLevelSource,
  emit: (event: AudioLevelEvent) => void,
  options?: LevelThrottleOptions,
): () => void {
  const throttle = new LevelThrottle(options);
  return capture.on('level', (reading) => {
    const summary = throttle.push(reading);
    if (summary) emit({ source, deviceName: capture.stream?.device.name ?? 'audio input', ...summary });
  });
}
