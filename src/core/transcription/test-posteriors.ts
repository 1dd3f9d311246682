/**
 * Builders of synthetic posteriors for the decoder tests: paint a note's onset bump, held frames
 * and release the way a trained model's heads look, without any model.
 */
import type { DecodingConfig } from './decoding-config';
import type { Posteriors } from './posteriors';
import { emptyPosteriors, KEY_COUNT } from './posteriors';

export const TEST_CONFIG: DecodingConfig = {
  frameRateHz: 100,
  onsetThreshold: 0.5,
  frameThreshold: 0.5,
  offsetThreshold: 0.5,
  pedalThreshold: 0.5,
  noteOffFrames: 2,
  minNoteDurationSec: 0.03,
  minRetriggerGapSec: 0.03,
  minPedalDurationSec: 0.05,
  timeOffsetSec: 0,
  // Off in the shared fixture so that each older test keeps exercising one rule; the hold and the
  // harmonic suppression have tests of their own.
  minHoldSec: 0,
  harmonicMaxOnset: 0,
  harmonicWindowSec: 0.02,
  semitoneMaxOnset: 0,
  streamingSuppression: 0,
  pedalTimeOffsetSec: 0,
  frameOnsetMaxPitch: 0,
  frameOnsetLow: 0.2,
  frameOnsetHigh: 0.6,
  frameOnsetRiseFrames: 4,
  frameOnsetConfirmFrames: 10,
  frameOnsetWindowSec: 0.05,
};

/** TEST_CONFIG as a manifest's snake_case `decoding` object, without the keys added later (§2). */
export const TEST_MANIFEST_DECODING = {
  onset_threshold: 0.5,
  frame_threshold: 0.5,
  offset_threshold: 0.5,
  pedal_threshold: 0.5,
  note_off_frames: 2,
  min_note_duration_s: 0.03,
  min_retrigger_gap_s: 0.03,
  min_pedal_duration_s: 0.05,
  time_offset_s: 0,
} as const;

export interface PaintedNote {
  pitch: number;
  /** Integer frame of the onset peak. */
  onFrame: number;
  /** First frame no longer held. */
  offFrame: number;
  /** Velocity posterior at the onset (0..1). */
  velocity?: number;
  /** Onset bump: values at onFrame-1, onFrame, onFrame+1. */
  bump?: [number, number, number];
  /** Paint an offset-head peak at offFrame. */
  offsetPeak?: boolean;
}

export function set(head: Float32Array, frame: number, pitch: number, value: number): void {
  head[frame * KEY_COUNT + (pitch - 21)] = value;
}

export function paintNotes(frameCount: number, notes: readonly PaintedNote[], pedalRuns: Array<[number, number]> = []): Posteriors {
  const p = emptyPosteriors(frameCount);
  for (const n of notes) {
    const [before, peak, after] = n.bump ?? [0.3, 0.9, 0.4];
    if (n.onFrame > 0) set(p.onset, n.onFrame - 1, n.pitch, before);
    set(p.onset, n.onFrame, n.pitch, peak);
    if (n.onFrame + 1 < frameCount) set(p.onset, n.onFrame + 1, n.pitch, after);
    for (let t = n.onFrame + 1; t < n.offFrame && t < frameCount; t++) set(p.frame, t, n.pitch, 0.8);
    set(p.velocity, n.onFrame, n.pitch, n.velocity ?? 0.5);
    if (n.offsetPeak && n.offFrame < frameCount) {
      set(p.offset, n.offFrame, n.pitch, 0.8);
      if (n.offFrame > 0) set(p.offset, n.offFrame - 1, n.pitch, 0.4);
    }
  }
  for (const [start, end] of pedalRuns) for (let t = start; t < end && t < frameCount; t++) p.pedal[t] = 0.9;
  return p;
}
