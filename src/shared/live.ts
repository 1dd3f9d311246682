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
