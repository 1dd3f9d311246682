import type { Milliseconds, MidiPitch, Ratio, Seconds, Velocity, EpochMs } from './units';
import type { NoteVerdictKind, AttemptSummary, NoteVerdict } from './evaluation';
import type { Hand } from './score';

/** Wait mode: the cursor waits for the right notes. Play-through: time goes on and everything is graded. */
export type PracticeMode = 'wait' | 'play-through';
export type HandsSelection = 'both' | Hand;

export interface PracticeOptions {
  mode: PracticeMode;
  hands: HandsSelection;
  /** Inclusive measure-index range to loop, or null for the whole piece. */
  loop: { fromMeasure: number; toMeasure: number } | null;
  /** Multiplies the written tempo: 0.5 = half speed. */
  tempoFactor: number;
  metronome: boolean;
}

/** Where live notes come from. */
export type PracticeInput =
  | { kind: 'midi-device'; deviceId: string }
  /** Replays a .mid performance through the same live path (tests and "demo" mode). */
  | { kind: 'replay'; midiBase64: string; speed: number }
  /**
   * A microphone or audio interface, transcribed live (src/main/live). `deviceName` as listed by
   * audio.listDevices (default input when omitted); `bufferFrames` is the capture block size.
   */
  | { kind: 'audio-device'; deviceName?: string; sampleRate?: number; bufferFrames?: number };

/** Pushed to the UI for every decision the follower makes (the latency-critical event). */
export interface FeedbackEvent {
  sessionId: string;
  /** Score note id, null for an extra note. */
  scoreNoteId: string | null;
  pitch: MidiPitch;
  velocity: Velocity;
  verdict: NoteVerdictKind;
  /** Played minus expected, ms; negative = early. null when not applicable. */
  timingErrorMs: Milliseconds | null;
  /** Follower position after this note, in beats (a correction: where the corrected note is). */
  positionBeats: number;
  measureIndex: number;
  /**
   * True when this verdict corrects one sent earlier for the same score note (or, for an extra,
   * the same key press): the follower settled it a few notes later. Re-colour, do not count again.
   */
  correction?: boolean;
  /** Stamps (performance.now() ms on the main side) for latency measurement. */
  stamps: { receivedMs: number; decidedMs: number };
}

export interface PracticeProgress {
  sessionId: string;
  positionBeats: number;
  measureIndex: number;
  /** In wait mode: score note ids the cursor waits for. */
  waitingFor: string[];
  elapsedSec: Seconds;
}

export interface AttemptRecord {
  id: number;
  profileId: number;
  pieceId: number;
  startedAt: EpochMs;
  finishedAt: EpochMs;
  mode: PracticeMode;
  hands: HandsSelection;
  tempoFactor: number;
  accuracy: Ratio;
  summary: AttemptSummary;
}

export interface AttemptDetail extends AttemptRecord {
  verdicts: NoteVerdict[];
}
