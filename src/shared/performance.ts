import type { MidiPitch, Seconds, Velocity } from './units';

/** One played note (from a MIDI keyboard, a .mid file, or the transcription model). */
export interface PerformedNote {
  pitch: MidiPitch;
  onsetSec: Seconds;
  offsetSec: Seconds;
  velocity: Velocity;
}

export interface PedalEvent {
  timeSec: Seconds;
  /** 0..127 controller value (CC64 sustain). */
  value: number;
}

export interface Performance {
  notes: PerformedNote[];
  pedal: PedalEvent[];
  durationSec: Seconds;
}

/** A live note event as it arrives from an input (MIDI device, replay, or audio transcription). */
export interface LiveNoteEvent {
  kind: 'on' | 'off';
  pitch: MidiPitch;
  velocity: Velocity;
  /** Seconds since the take started, on the input's clock. */
  timeSec: Seconds;
}
