/** Live acoustic-piano input: audio devices the user can pick (contract types, see api.ts). */

export interface AudioInputDeviceInfo {
  /** Stable across hot-plug (PortAudio indices are not): pass it as `deviceName`. */
  name: string;
  hostApi: string;
  maxInputChannels: number;
  defaultSampleRate: number;
  defaultLowInputLatencySec: number;
  isDefault: boolean;
}

export interface AudioHostApiInfo {
  name: string;
  type: string;
  deviceCount: number;
  isDefault: boolean;
}

export interface AudioDeviceList {
  /** False when audio input cannot be used here (no PortAudio, no input device): `message` says why. */
  available: boolean;
  message: string | null;
  devices: AudioInputDeviceInfo[];
  hostApis: AudioHostApiInfo[];
}

/** Nearest-rank percentiles in ms; null figures when there was nothing to measure. */
export interface LatencyPercentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Stages of the live audio path, in order (docs/live-audio.md). */
export type LiveStage = 'wait' | 'resample' | 'infer' | 'decode' | 'deliver';

/** What Diagnostics shows for the latest microphone take (audio.liveLatency). */
export interface LiveLatencyReport {
  /** False before any microphone take in this run of the app. */
  available: boolean;
  label: string | null;
  /** Sound captured -> handed to the practice session, per batch of model hops. */
  pipeline: LatencyPercentiles | null;
  /** Key onset as placed by the model -> note-on handed on (includes the model's look-ahead). */
  onsetToSent: LatencyPercentiles | null;
  byStage: Record<LiveStage, LatencyPercentiles> | null;
  ringOverflowFrames: number;
  maxBacklogMs: number;
  /**
   * The model's own look-ahead, part of onsetToSent: its frame window reaches past the frame, and
   * heads that answer late (manifest time_offset_s < 0) add |offset|. Shown as its own stage.
   */
  modelLookAheadMs?: number | null;
  modelVersion?: string | null;
}

/** Where an `audio.level` reading comes from: a practice take, the device picker's meter, calibration. */
export type AudioLevelSource = 'take' | 'monitor' | 'calibration';

/**
 * Input level pushed to the UI (`audio.level`), at most ~20 a second: the loudest window since the
 * previous push, so a short peak between pushes is not lost.
 */
export interface AudioLevelEvent {
  source: AudioLevelSource;
  deviceName: string;
  rmsDbfs: number;
  peakDbfs: number;
  /** A sample reached full scale since the previous push. */
  clipped: boolean;
  /** Clipped within the last `CLIP_HOLD_MS`: keeps the warning on screen long enough to read. */
  clipWarning: boolean;
  /** Low percentile of recent window RMS (room + preamp noise); null in the first second. */
  noiseFloorDbfs: number | null;
}

/** The device picker's meter: opened on request, closed by `on: false` or when a take opens the device. */
export interface AudioMonitorState {
  running: boolean;
  deviceName: string | null;
  message: string | null;
}

export type CalibrationStep =
  | { step: 'silence'; seconds: number }
  | { step: 'play'; seconds: number; noiseFloorDbfs?: number | null }
  | { step: 'latency'; clicks: number; intervalMs: number };

export type GainAdvice = 'too-quiet' | 'clipping' | 'fine' | 'noisy' | 'no-sound';

/** Piano registers the "check your piano" step reports on (MIDI pitch ranges, inclusive). */
export interface RegisterCheck {
  name: 'low' | 'middle' | 'high';
  fromPitch: number;
  toPitch: number;
  /** Distinct pitches the transcription model detected in this register while the user played. */
  detectedPitches: number[];
  detected: boolean;
}

export interface CalibrationSilenceReport {
  step: 'silence';
  deviceName: string;
  noiseFloorDbfs: number;
  peakDbfs: number;
  /** "quiet room" / "some noise" / "noisy": one sentence for the user. */
  message: string;
}

export interface CalibrationPlayReport {
  step: 'play';
  deviceName: string;
  peakDbfs: number;
  /** Loud part of what was played: 95th percentile of window RMS. */
  loudRmsDbfs: number;
  noiseFloorDbfs: number | null;
  clippedWindows: number;
  /** Struck notes heard by an energy onset detector (independent of the model). */
  onsetsHeard: number;
  /** Note-ons the transcription model produced. */
  notesDetected: number;
  advice: GainAdvice;
  message: string;
  registers: RegisterCheck[];
  modelVersion: string;
}

export interface CalibrationLatencyReport {
  step: 'latency';
  deviceName: string;
  clicks: number;
  /** Clicks answered by a struck note within the search window. */
  matched: number;
  /** Median (struck note heard - click sent), ms: the offset to subtract from live note times. */
  offsetMs: number | null;
  /** Interquartile range of the differences (how steady the measurement was), ms. */
  spreadMs: number | null;
  message: string;
}

export type CalibrationReport = CalibrationSilenceReport | CalibrationPlayReport | CalibrationLatencyReport;

/** The recording of a microphone take, served at `url` (serve mode: token in the query). */
export interface AttemptRecordingInfo {
  attemptId: number;
  available: boolean;
  /** Server path of the WAV (serve mode; the page adds its token as `?token=`), null when the file is gone. */
  path: string | null;
  durationSec: number;
  sampleRate: number;
  message: string | null;
}

/** The user latency offset (ms) subtracted from live note times; settings key. */
export const LATENCY_OFFSET_SETTING = 'audio.latencyOffsetMs';
export const CLIP_HOLD_MS = 1500;
