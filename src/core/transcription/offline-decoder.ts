/**
 * Offline decoder (docs/transcription-decoding.md §3): onset peak picking with sub-frame
 * interpolation, harmonic suppression across keys, note end at a re-strike, an offset peak, K
 * released frames after the post-attack hold or the clip's end, velocity read at the onset peak,
 * a duration floor; in the bass, onsets read from a rising frame posterior (§3.1c).
 */
import type { PerformedNote } from '../../shared/performance';
import type { DecodingConfig } from './decoding-config';
import { frameTime, harmonicFrames, holdFrames, retriggerFrames, velocityFromPosterior } from './decoding-config';
import { decodePedal } from './pedal';
import { frameRiseOnsets, frameRiseOnsetsApply } from './frame-rise-onsets';
import type { Posteriors } from './posteriors';
import { KEY_COUNT, keyToPitch, validatePosteriors } from './posteriors';
import type { Performance } from '../../shared/performance';

/** Parabolic sub-frame offset of a peak from its two neighbours, in [-0.5, 0.5] (§3.2). */
export function parabolicPeakOffset(before: number, peak: number, after: number): number {
  const den = before - 2 * peak + after;
  if (!(den < 0)) return 0;
  const delta = (0.5 * (before - after)) / den;
  return Math.min(0.5, Math.max(-0.5, delta));
}

/** The key's column of a head as a contiguous array (frame t at index t). */
function keyColumn(head: Float32Array, key: number, frameCount: number): Float32Array {
  const column = new Float32Array(frameCount);
  for (let t = 0, i = key; t < frameCount; t++, i += KEY_COUNT) column[t] = head[i] as number;
  return column;
}

/** Reads column[t] with zero padding outside [0, T). */
function padded(column: Float32Array): (t: number) => number {
  const T = column.length;
  return (t) => (t < 0 || t >= T ? 0 : (column[t] as number));
}

function isPeak(at: (t: number) => number, t: number, threshold: number): boolean {
  const value = at(t);
  return value >= threshold && value > at(t - 1) && value >= at(t + 1);
}

/** Accepted onset peak frames of one key (§3.1). */
function onsetPeakFrames(onset: Float32Array, config: DecodingConfig): number[] {
  const minGap = retriggerFrames(config);
  const threshold = config.onsetThreshold;
  const T = onset.length;
  const frames: number[] = [];
  let lastAccepted = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < T; t++) {
    const value = onset[t] as number;
    if (value < threshold) continue; // the common case, decided without the neighbours
    const before = t > 0 ? (onset[t - 1] as number) : 0;
    const after = t + 1 < T ? (onset[t + 1] as number) : 0;
    if (!(value > before && value >= after)) continue;
    if (t - lastAccepted < minGap) continue;
    frames.push(t);
    lastAccepted = t;
  }
  return frames;
}

/**
 * Key offsets of the keys that can make a peak a ghost (§3.1b): a fundamental an octave, a twelfth
 * or two octaves below (the peak would be its harmonic), or the octave above (a sub-octave ghost).
 */
export const HARMONIC_RELATED = [-12, -19, -24, 12] as const;
/** The neighbour keys whose stronger onset can make a peak semitone leakage (§3.1b). */
export const SEMITONE_RELATED = [-1, 1] as const;

/**
 * §3.1b: drops a peak below harmonicMaxOnset when a harmonically related key has a peak at least
 * as strong within harmonicFrames, and a peak below semitoneMaxOnset when a neighbour key does.
 * Compares against the unsuppressed peaks, so key order does not matter.
 */
function suppressHarmonics(onsetColumns: readonly Float32Array[], peaks: readonly number[][], config: DecodingConfig): number[][] {
  const window = harmonicFrames(config);
  const strongerAt = (key: number, t: number, value: number, offsets: readonly number[]) =>
    offsets.some((d) => {
      const related = key + d;
      if (related < 0 || related >= KEY_COUNT) return false;
      const column = onsetColumns[related] as Float32Array;
      return (peaks[related] as number[]).some((u) => Math.abs(u - t) <= window && (column[u] as number) >= value);
    });
  return peaks.map((keyPeaks, key) =>
    keyPeaks.filter((t) => {
      const value = (onsetColumns[key] as Float32Array)[t] as number;
      if (value < config.harmonicMaxOnset && strongerAt(key, t, value, HARMONIC_RELATED)) return false;
      return !(value < config.semitoneMaxOnset && strongerAt(key, t, value, SEMITONE_RELATED));
    }),
  );
}

function decodeKey(p: Posteriors, key: number, onsetColumn: Float32Array, onsetPeaks: readonly number[], config: DecodingConfig, out: PerformedNote[]): void {
  const T = p.frameCount;
  const frameColumn = keyColumn(p.frame, key, T);
  const rises = frameRiseOnsetsApply(config, keyToPitch(key)) ? frameRiseOnsets(frameColumn, onsetPeaks, config) : [];
  const peaks = rises.length ? [...onsetPeaks, ...rises].sort((a, b) => a - b) : onsetPeaks;
  if (peaks.length === 0) return;
  const onsetAt = padded(onsetColumn);
  const frameAt = padded(frameColumn);
  const offsetAt = padded(keyColumn(p.offset, key, T));
  const held = (t: number) => frameAt(t) >= config.frameThreshold || onsetAt(t) >= config.onsetThreshold;
  const K = config.noteOffFrames;
  const hold = holdFrames(config);
  // A frame-rise onset (§3.1c) is a frame, not a peak: no sub-frame interpolation.
  const onsetTimes = peaks.map((t) => frameTime(config, t + (rises.includes(t) ? 0 : parabolicPeakOffset(onsetAt(t - 1), onsetAt(t), onsetAt(t + 1)))));

  peaks.forEach((t0, index) => {
    const onsetSec = onsetTimes[index] as number;
    const nextPeak = peaks[index + 1];
    let offsetSec = frameTime(config, T);
    for (let t = t0 + 1; t <= T; t++) {
      if (t === nextPeak) {
        offsetSec = onsetTimes[index + 1] as number;
        break;
      }
      if (isPeak(offsetAt, t, config.offsetThreshold)) {
        offsetSec = frameTime(config, t + parabolicPeakOffset(offsetAt(t - 1), offsetAt(t), offsetAt(t + 1)));
        break;
      }
      // Rule 3 only after the post-attack hold: the frame head dips right after the attack.
      let released = t > t0 + hold;
      for (let u = t; released && u < t + K && u < T; u++) {
        if (held(u)) {
          released = false;
          break;
        }
      }
      if (released) {
        offsetSec = frameTime(config, t);
        break;
      }
    }
    out.push({
      pitch: keyToPitch(key),
      onsetSec,
      offsetSec: Math.max(offsetSec, onsetSec + config.minNoteDurationSec),
      velocity: velocityFromPosterior(p.velocity[t0 * KEY_COUNT + key] as number),
    });
  });
}

export function compareNotes(a: PerformedNote, b: PerformedNote): number {
  return a.onsetSec - b.onsetSec || a.pitch - b.pitch;
}

/** Notes of a whole clip, sorted by onset then pitch. */
export function decodeNotes(posteriors: Posteriors, config: DecodingConfig): PerformedNote[] {
  validatePosteriors(posteriors);
  const T = posteriors.frameCount;
  const onsetColumns = Array.from({ length: KEY_COUNT }, (_, key) => keyColumn(posteriors.onset, key, T));
  const peaks = suppressHarmonics(
    onsetColumns,
    onsetColumns.map((column) => onsetPeakFrames(column, config)),
    config,
  );
  const notes: PerformedNote[] = [];
  for (let key = 0; key < KEY_COUNT; key++) decodeKey(posteriors, key, onsetColumns[key] as Float32Array, peaks[key] as number[], config, notes);
  return notes.sort(compareNotes);
}

/** Notes and pedal events of a whole clip, as a Performance. */
export function decodePerformance(posteriors: Posteriors, config: DecodingConfig): Performance {
  return {
    notes: decodeNotes(posteriors, config),
    pedal: decodePedal(posteriors.pedal, config),
    durationSec: frameTime(config, posteriors.frameCount),
  };
}
