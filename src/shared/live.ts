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
}
