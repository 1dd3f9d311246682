/**
 * Unit aliases used in signatures so a reader knows what a number means.
 * They are plain numbers at run time (no branding), in the spirit of Tone.js's Units.ts.
 */

/** Time in seconds. */
export type Seconds = number;
/** Time in milliseconds. */
export type Milliseconds = number;
/** Time in quarter-note beats from the start of the score (in playing order). */
export type Beats = number;
/** Frequency in hertz. */
export type Hz = number;
/** MIDI note number, 0..127 (piano: 21..108). */
export type MidiPitch = number;
/** MIDI velocity, 0..127. */
export type Velocity = number;
/** Unix epoch time in milliseconds. */
export type EpochMs = number;
/** A ratio in [0, 1]. */
export type Ratio = number;

export const PIANO_LOWEST_PITCH: MidiPitch = 21;
export const PIANO_HIGHEST_PITCH: MidiPitch = 108;
export const PIANO_KEY_COUNT = 88;
