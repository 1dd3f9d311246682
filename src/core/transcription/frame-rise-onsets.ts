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
