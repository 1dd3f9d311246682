/**
 * Sustain-pedal decoding (docs/transcription-decoding.md §4 "Pedal"): runs of frames with
 * P(down) >= threshold, at least `pedalMinFrames` long, become CC64 127 / 0 events. The offline
 * function and the streaming tracker produce identical events.
 */
import type { PedalEvent } from '../../shared/performance';
import type { DecodingConfig } from './decoding-config';
import { pedalMinFrames, pedalTime } from './decoding-config';

export const PEDAL_DOWN = 127;
export const PEDAL_UP = 0;

export class StreamingPedalTracker {
  private runLength = 0;
  private down = false;
  private frameIndex = 0;
  private readonly minFrames: number;

  constructor(private readonly config: DecodingConfig) {
    this.minFrames = pedalMinFrames(config);
  }

  /** Feeds the next frame's P(down); returns the event it completes, if any. */
  push(probability: number): PedalEvent | null {
    const t = this.frameIndex++;
    if (probability >= this.config.pedalThreshold) {
      this.runLength++;
      if (!this.down && this.runLength === this.minFrames) {
        this.down = true;
        // Back-dated to the first frame of the run.
        return { timeSec: pedalTime(this.config, t - this.minFrames + 1), value: PEDAL_DOWN };
      }
      return null;
    }
    this.runLength = 0;
    if (this.down) {
      this.down = false;
      return { timeSec: pedalTime(this.config, t), value: PEDAL_UP };
    }
    return null;
  }

  /** Ends the take: releases a pedal still down at the current end time. */
  flush(): PedalEvent | null {
    this.runLength = 0;
    if (!this.down) return null;
    this.down = false;
    return { timeSec: pedalTime(this.config, this.frameIndex), value: PEDAL_UP };
  }

  get isDown(): boolean {
    return this.down;
  }
}

/** Offline pedal events for a whole clip; a pedal still down at the end is released at time(T). */
export function decodePedal(pedal: ArrayLike<number>, config: DecodingConfig): PedalEvent[] {
  const tracker = new StreamingPedalTracker(config);
  const events: PedalEvent[] = [];
  for (let t = 0; t < pedal.length; t++) {
    const event = tracker.push(pedal[t] as number);
    if (event) events.push(event);
  }
  const last = tracker.flush();
  if (last) events.push(last);
  return events;
}
