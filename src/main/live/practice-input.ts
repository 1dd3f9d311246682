/**
 * The services' entry points into the live audio path: list audio inputs, and open an
 * AudioNoteSource for a practice take ({ kind: 'audio-device' } input). Loaded on first use, so the
 * app starts without loading PortAudio or onnxruntime.
 */
import type { AudioDeviceList } from '../../shared/live';
import type { PracticeInput } from '../../shared/practice';
import { listHostApis, listInputDevices } from '../audio/devices';
import { defaultModelDir } from '../cli/transcribe';
import { AudioNoteSource } from './audioNoteSource';

export function listAudioDevices(): AudioDeviceList {
  try {
    const devices = listInputDevices().map((d) => ({
      name: d.name,
      hostApi: d.hostApi,
      maxInputChannels: d.maxInputChannels,
      defaultSampleRate: d.defaultSampleRate,
      defaultLowInputLatencySec: d.defaultLowInputLatency,
      isDefault: d.isDefault,
    }));
    const hostApis = listHostApis().map((h) => ({ name: h.name, type: h.type, deviceCount: h.deviceCount, isDefault: h.isDefault }));
    if (devices.length === 0) {
      return { available: false, message: 'No audio input was found. Connect a microphone or audio interface.', devices, hostApis };
    }
    return { available: true, message: null, devices, hostApis };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { available: false, message: `Audio input is unavailable on this machine: ${why}`, devices: [], hostApis: [] };
  }
}

/** A take's note source from the microphone; released (capture and worker) when the take stops. */
export async function openAudioNoteSource(input: Extract<PracticeInput, { kind: 'audio-device' }>, modelDir = defaultModelDir()): Promise<AudioNoteSource> {
  return AudioNoteSource.open({
    modelDir,
    capture: {
      ...(input.deviceName ? { device: input.deviceName } : {}),
      ...(input.sampleRate ? { sampleRate: input.sampleRate } : {}),
      ...(input.bufferFrames ? { framesPerBuffer: input.bufferFrames } : {}),
    },
    releaseOnStop: true,
  });
}
