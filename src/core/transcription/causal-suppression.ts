/**
 * The streaming decoder's effective onset (docs/transcription-decoding.md §4): the causal form of
 * the offline harmonic / semitone suppression (§3.1b). A key's onset counts as 0 on a frame where
 * it is weaker than a related key that fired (onset >= threshold) at least as strongly within the
 * last harmonicFrames frames. Reads frames up to the current one only: no added latency.
 */
import type { DecodingConfig } from './decoding-config';
import { harmonicFrames } from './decoding-config';
import { HARMONIC_RELATED, SEMITONE_RELATED } from './offline-decoder';
import { KEY_COUNT } from './posteriors';

export class CausalOnsetSuppressor {
  /** Firing onsets (0 below threshold) of the last harmonicFrames + 1 frames, newest at `next - 1`. */
  private readonly ring: Float32Array[];
  private next = 0;
  private readonly recent = new Float32Array(KEY_COUNT);
  private readonly out = new Float32Array(KEY_COUNT);

  constructor(private readonly config: DecodingConfig) {
    this.ring = Array.from({ length: harmonicFrames(config) + 1 }, () => new Float32Array(KEY_COUNT));
  }

  get enabled(): boolean {
    return this.config.streamingSuppression === 1;
  }

  /** Effective onsets of this frame (a view reused by the next call); the input when disabled. */
  apply(onset: ArrayLike<number>): ArrayLike<number> {
    if (!this.enabled) return onset;
    const c = this.config;
    const slot = this.ring[this.next % this.ring.length] as Float32Array;
    this.next++;
    for (let k = 0; k < KEY_COUNT; k++) {
      const o = onset[k] as number;
      slot[k] = o >= c.onsetThreshold ? o : 0;
    }
    this.recent.fill(0);
    for (const frame of this.ring) for (let k = 0; k < KEY_COUNT; k++) if ((frame[k] as number) > (this.recent[k] as number)) this.recent[k] = frame[k] as number;
    for (let k = 0; k < KEY_COUNT; k++) {
      const o = onset[k] as number;
      const drop = (o < c.harmonicMaxOnset && this.firedBeside(k, o, HARMONIC_RELATED)) || (o < c.semitoneMaxOnset && this.firedBeside(k, o, SEMITONE_RELATED));
      this.out[k] = drop ? 0 : o;
    }
    return this.out;
  }

  /** A key `offsets` away from k fired at least as strongly as `o` in the window (no allocation: runs per frame). */
  private firedBeside(k: number, o: number, offsets: readonly number[]): boolean {
    for (const d of offsets) {
      const j = k + d;
      if (j >= 0 && j < KEY_COUNT && (this.recent[j] as number) >= o) return true;
    }
    return false;
  }

  reset(): void {
    for (const frame of this.ring) frame.fill(0);
    this.next = 0;
  }
}
