/**
 * §3.1c frame-rise onsets (docs/transcription-decoding.md): in the bass the onset head often stays
 * under its threshold while the frame head clearly hears the note (model 0.6.0: A0–E1 frame
 * posterior ~0.9 on the second held-out timbre, onsets missed). A key's frame posterior rising
 * from below frameOnsetLow to frameOnsetHigh within frameOnsetRiseFrames, and holding
 * FRAME_ONSET_KEEP x frameOnsetHigh for frameOnsetConfirmFrames, then starts a note — unless an
 * onset peak of the key lies within frameOnsetWindowSec. Offline decoder only: confirming needs
 * frames from after the rise, which the live path would have to wait for.
 */
import type { DecodingConfig } from './decoding-config';

/** Share of frameOnsetHigh the frame posterior keeps through the confirmation frames (decode.py FRAME_ONSET_KEEP). */
export const FRAME_ONSET_KEEP = 0.8;

/** True when the rule is on for this MIDI pitch. */
export function frameRiseOnsetsApply(config: DecodingConfig, pitch: number): boolean {
  return config.frameOnsetMaxPitch > 0 && pitch <= config.frameOnsetMaxPitch;
}

/** Onset frames of one key read from its frame posterior (column[t] = frame t), beside its accepted onset peaks. */
export function frameRiseOnsets(frame: Float32Array, peaks: readonly number[], config: DecodingConfig): number[] {
  const { frameOnsetLow: low, frameOnsetHigh: high, frameOnsetRiseFrames: rise, frameOnsetConfirmFrames: confirm } = config;
  const window = Math.ceil(config.frameOnsetWindowSec * config.frameRateHz - 1e-9);
  const T = frame.length;
  const taken = [...peaks];
  const out: number[] = [];
  const at = (t: number) => frame[t] as number;
  for (let t = rise; t < T; t++) {
    if (at(t) < high) continue;
    let lowest = Infinity;
    for (let u = t - rise; u < t; u++) lowest = Math.min(lowest, at(u));
    if (!(lowest < low)) continue;
    // The note starts at the first frame of the rise that is halfway up.
    let start = t - rise;
    while (start < t && at(start) < (low + high) / 2) start++;
    let held = true;
    for (let u = t; u < Math.min(T, t + confirm); u++) if (at(u) < FRAME_ONSET_KEEP * high) held = false;
    if (held && taken.every((u) => Math.abs(u - start) > window)) {
      out.push(start);
      taken.push(start);
    }
    // One rise, one candidate: wait for the posterior to fall back below `low`.
    while (t < T && at(t) >= low) t++;
  }
  return out;
}

/** A frame-rise onset the streaming form accepted: its (past) frame and the velocity read there. */
export interface AcceptedRise {
  frame: number;
  velocityPosterior: number;
}

/**
 * The streaming form of §3.1c for one key (docs/transcription-decoding.md §4): the same rise, read
 * frame by frame, accepted once the confirmation frames have passed — so its note-on reaches the
 * live path `frameOnsetConfirmFrames` frames late, stamped with the rise's own time. Stricter than
 * the offline form in one way: any onset of the key at or after `start - window` (not only within
 * the window) cancels the rise, because a note already announced cannot be split after the fact.
 */
export class StreamingFrameRise {
  private readonly frames: number[] = [];
  private readonly velocities: number[] = [];
  private waitingForFall = false;
  private pending: { start: number; detected: number; velocityPosterior: number } | null = null;
  private readonly window: number;

  constructor(private readonly config: DecodingConfig) {
    this.window = Math.ceil(config.frameOnsetWindowSec * config.frameRateHz - 1e-9);
  }

  /** Frame t of the key; `lastOnsetFrame` = the key's latest onset (rising edge or accepted rise). */
  push(t: number, frame: number, velocityPosterior: number, lastOnsetFrame: number): AcceptedRise | null {
    const { frameOnsetLow: low, frameOnsetHigh: high, frameOnsetRiseFrames: rise, frameOnsetConfirmFrames: confirm } = this.config;
    let accepted: AcceptedRise | null = null;
    if (this.pending && frame < FRAME_ONSET_KEEP * high) this.pending = null;
    if (this.waitingForFall) {
      if (frame < low) this.waitingForFall = false;
    } else if (t >= rise && frame >= high && Math.min(...this.frames) < low) {
      const window = [...this.frames, frame];
      const offset = window.findIndex((v) => v >= (low + high) / 2);
      const velocities = [...this.velocities, velocityPosterior];
      this.pending = { start: t - rise + offset, detected: t, velocityPosterior: velocities[offset] as number };
      this.waitingForFall = true;
    }
    if (this.pending && t - this.pending.detected + 1 >= confirm) accepted = this.settle(lastOnsetFrame);
    this.frames.push(frame);
    this.velocities.push(velocityPosterior);
    if (this.frames.length > rise) {
      this.frames.shift();
      this.velocities.shift();
    }
    return accepted;
  }

  /** End of the take: a rise still confirming counts if it held so far (the offline form clips at T). */
  flush(lastOnsetFrame: number): AcceptedRise | null {
    return this.pending ? this.settle(lastOnsetFrame) : null;
  }

  private settle(lastOnsetFrame: number): AcceptedRise | null {
    const pending = this.pending!;
    this.pending = null;
    if (lastOnsetFrame >= pending.start - this.window) return null;
    return { frame: pending.start, velocityPosterior: pending.velocityPosterior };
  }
}
