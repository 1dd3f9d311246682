/**
 * Decoding constants (docs/transcription-decoding.md §2). They come from the model's
 * manifest.json `decoding` object; nothing is defaulted here, so Python and TS cannot drift.
 */
import { AppError } from '../../shared/errors';
import type { Seconds } from '../../shared/units';

export interface DecodingConfig {
  frameRateHz: number;
  onsetThreshold: number;
  frameThreshold: number;
  offsetThreshold: number;
  pedalThreshold: number;
  /** K: consecutive released frames that end a note. */
  noteOffFrames: number;
  minNoteDurationSec: Seconds;
  minRetriggerGapSec: Seconds;
  minPedalDurationSec: Seconds;
  timeOffsetSec: Seconds;
  /** No release (§3.4 rule 3, §4 step 3) ends a note this soon after its onset frame. */
  minHoldSec: Seconds;
  /** Onset peaks below this may be dropped as harmonics / sub-octave ghosts (§3.1b); 0 = off. */
  harmonicMaxOnset: number;
  /** How close in time the stronger related peak must be (§3.1b). */
  harmonicWindowSec: Seconds;
  /** Onset peaks below this may be dropped as semitone leakage from a stronger neighbour key (§3.1b); 0 = off. */
  semitoneMaxOnset: number;
  /** 1: the streaming decoder uses the causal form of §3.1b (§4 effective onset); 0 = off. */
  streamingSuppression: number;
  /** Added to pedal event times on top of timeOffsetSec: the pedal head's own lag (§1). */
  pedalTimeOffsetSec: Seconds;
  /** §3.1c frame-rise onsets (offline decoder only): highest MIDI pitch they apply to; 0 = off. */
  frameOnsetMaxPitch: number;
  /** §3.1c: the frame posterior rises from below this ... */
  frameOnsetLow: number;
  /** ... to at least this ... */
  frameOnsetHigh: number;
  /** ... within this many frames ... */
  frameOnsetRiseFrames: number;
  /** ... and keeps FRAME_ONSET_KEEP x frameOnsetHigh for this many frames ... */
  frameOnsetConfirmFrames: number;
  /** ... with no onset peak of the key this close. */
  frameOnsetWindowSec: Seconds;
}

const MANIFEST_KEYS = {
  onsetThreshold: 'onset_threshold',
  frameThreshold: 'frame_threshold',
  offsetThreshold: 'offset_threshold',
  pedalThreshold: 'pedal_threshold',
  noteOffFrames: 'note_off_frames',
  minNoteDurationSec: 'min_note_duration_s',
  minRetriggerGapSec: 'min_retrigger_gap_s',
  minPedalDurationSec: 'min_pedal_duration_s',
  timeOffsetSec: 'time_offset_s',
  minHoldSec: 'min_hold_s',
  harmonicMaxOnset: 'harmonic_max_onset',
  harmonicWindowSec: 'harmonic_window_s',
  semitoneMaxOnset: 'semitone_max_onset',
  streamingSuppression: 'streaming_suppression',
  pedalTimeOffsetSec: 'pedal_time_offset_s',
  frameOnsetMaxPitch: 'frame_onset_max_pitch',
  frameOnsetLow: 'frame_onset_low',
  frameOnsetHigh: 'frame_onset_high',
  frameOnsetRiseFrames: 'frame_onset_rise_frames',
  frameOnsetConfirmFrames: 'frame_onset_confirm_frames',
  frameOnsetWindowSec: 'frame_onset_window_s',
} as const satisfies Record<Exclude<keyof DecodingConfig, 'frameRateHz'>, string>;

/**
 * Keys added after the first manifests were written (§2): absent means the rule is off, which is
 * exactly how those manifests were decoded and evaluated, so an old model decodes as before.
 * Every other key is required.
 */
const LATER_KEYS_OFF: Readonly<Record<string, number>> = {
  min_hold_s: 0,
  harmonic_max_onset: 0,
  harmonic_window_s: 0,
  semitone_max_onset: 0,
  streaming_suppression: 0,
  pedal_time_offset_s: 0,
  frame_onset_max_pitch: 0,
  frame_onset_low: 0,
  frame_onset_high: 1,
  frame_onset_rise_frames: 1,
  frame_onset_confirm_frames: 1,
  frame_onset_window_s: 0,
};

/** Reads the manifest's `decoding` object (snake_case keys); throws PARSE_ERROR naming the bad key. */
export function decodingConfigFromManifest(decoding: unknown, frameRateHz: number): DecodingConfig {
  if (typeof decoding !== 'object' || decoding === null) {
    throw new AppError('PARSE_ERROR', 'manifest.decoding is missing or not an object');
  }
  if (!(Number.isFinite(frameRateHz) && frameRateHz > 0)) {
    throw new AppError('PARSE_ERROR', `manifest frame rate must be a positive number, got ${String(frameRateHz)}`);
  }
  const source = decoding as Record<string, unknown>;
  const read = (key: string): number => {
    const value = source[key] === undefined && key in LATER_KEYS_OFF ? LATER_KEYS_OFF[key] : source[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new AppError('PARSE_ERROR', `manifest.decoding.${key} must be a finite number`);
    }
    return value;
  };
  const config = { frameRateHz } as DecodingConfig;
  for (const [field, key] of Object.entries(MANIFEST_KEYS)) {
    config[field as keyof typeof MANIFEST_KEYS] = read(key);
  }
  return validateDecodingConfig(config);
}

export function validateDecodingConfig(config: DecodingConfig): DecodingConfig {
  const probabilities = ['onsetThreshold', 'frameThreshold', 'offsetThreshold', 'pedalThreshold'] as const;
  for (const key of probabilities) {
    if (!(config[key] > 0 && config[key] <= 1)) {
      throw new AppError('INVALID_ARGUMENT', `decoding ${key} must be in (0, 1], got ${config[key]}`);
    }
  }
  if (!(Number.isInteger(config.noteOffFrames) && config.noteOffFrames >= 1)) {
    throw new AppError('INVALID_ARGUMENT', `decoding noteOffFrames must be an integer >= 1, got ${config.noteOffFrames}`);
  }
  for (const key of ['minNoteDurationSec', 'minRetriggerGapSec', 'minPedalDurationSec', 'minHoldSec', 'harmonicWindowSec'] as const) {
    if (!(config[key] >= 0)) throw new AppError('INVALID_ARGUMENT', `decoding ${key} must be >= 0`);
  }
  if (config.streamingSuppression !== 0 && config.streamingSuppression !== 1) {
    throw new AppError('INVALID_ARGUMENT', `decoding streamingSuppression must be 0 or 1, got ${config.streamingSuppression}`);
  }
  if (config.frameOnsetMaxPitch !== 0) {
    if (!(Number.isInteger(config.frameOnsetMaxPitch) && config.frameOnsetMaxPitch >= 21 && config.frameOnsetMaxPitch <= 108)) {
      throw new AppError('INVALID_ARGUMENT', `decoding frameOnsetMaxPitch must be 0 (off) or a piano key 21..108, got ${config.frameOnsetMaxPitch}`);
    }
    if (!(config.frameOnsetLow >= 0 && config.frameOnsetLow < config.frameOnsetHigh && config.frameOnsetHigh <= 1)) {
      throw new AppError('INVALID_ARGUMENT', `decoding needs 0 <= frameOnsetLow < frameOnsetHigh <= 1, got ${config.frameOnsetLow} / ${config.frameOnsetHigh}`);
    }
    for (const key of ['frameOnsetRiseFrames', 'frameOnsetConfirmFrames'] as const) {
      if (!(Number.isInteger(config[key]) && config[key] >= 1)) throw new AppError('INVALID_ARGUMENT', `decoding ${key} must be an integer >= 1, got ${config[key]}`);
    }
    if (!(config.frameOnsetWindowSec >= 0)) throw new AppError('INVALID_ARGUMENT', 'decoding frameOnsetWindowSec must be >= 0');
  }
  for (const key of ['harmonicMaxOnset', 'semitoneMaxOnset'] as const) {
    if (!(config[key] >= 0 && config[key] <= 1)) {
      throw new AppError('INVALID_ARGUMENT', `decoding ${key} must be in [0, 1] (0 = off), got ${config[key]}`);
    }
  }
  return config;
}

/** Derived integers of §2, computed identically in Python. */
export function retriggerFrames(config: DecodingConfig): number {
  return Math.ceil(config.minRetriggerGapSec * config.frameRateHz - 1e-9);
}

export function pedalMinFrames(config: DecodingConfig): number {
  return Math.max(1, Math.ceil(config.minPedalDurationSec * config.frameRateHz - 1e-9));
}

/** Frames after the onset frame in which no release is detected (§2 hold_frames). */
export function holdFrames(config: DecodingConfig): number {
  return Math.ceil(config.minHoldSec * config.frameRateHz - 1e-9);
}

/** Frame distance within which a stronger related onset peak suppresses a weaker one (§2 harmonic_frames). */
export function harmonicFrames(config: DecodingConfig): number {
  return Math.ceil(config.harmonicWindowSec * config.frameRateHz - 1e-9);
}

/**
 * time(x) of §1: seconds of a (possibly fractional) frame position, never before 0. A negative
 * time_offset_s (heads that answer late) would put the first frames before the clip starts; those
 * answers are about its first instant, so they are clamped to 0 rather than left negative.
 */
export function frameTime(config: DecodingConfig, frame: number): Seconds {
  return Math.max(0, frame / config.frameRateHz + config.timeOffsetSec);
}

/** pedal_time(x) of §1: a pedal event's time, with the pedal head's own offset added; never before 0. */
export function pedalTime(config: DecodingConfig, frame: number): Seconds {
  return Math.max(0, frame / config.frameRateHz + config.timeOffsetSec + config.pedalTimeOffsetSec);
}

/** Velocity at a frame (§3.3): clamp(round(v·127), 1, 127), with v clamped to [0, 1] first. */
export function velocityFromPosterior(value: number): number {
  const v = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  return Math.min(127, Math.max(1, Math.round(v * 127)));
}
