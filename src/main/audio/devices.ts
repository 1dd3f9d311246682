import naudiodon from 'naudiodon';
import { AppError } from '../../shared';
import type { Hz, Seconds } from '../../shared';

/** An input-capable device as PortAudio reports it. */
export interface AudioInputDevice {
  /** PortAudio device index: valid only until devices change (hot-plug); match by name after. */
  id: number;
  name: string;
  hostApi: string;
  maxInputChannels: number;
  defaultSampleRate: Hz;
  defaultLowInputLatency: Seconds;
  /** The default input of its host API. */
  isDefault: boolean;
}

export interface AudioHostApi {
  id: number;
  name: string;
  type: string;
  deviceCount: number;
  isDefault: boolean;
}

/**
 * PortAudio's device list. Each call re-initialises PortAudio, so it sees devices plugged in since
 * the last call; it costs tens to hundreds of milliseconds (ALSA probes its plugins), so do not
 * call it on the live path.
 */
export function listInputDevices(): AudioInputDevice[] {
  const hostApis = naudiodon.getHostAPIs().HostAPIs;
  const defaultInputNames = new Set<string>();
  const devices = naudiodon.getDevices();
  for (const api of hostApis) {
    // defaultInput is an index within the host API's own device list, in PortAudio's order.
    const ofApi = devices.filter((d) => d.hostAPIName === api.name);
    const def = ofApi[api.defaultInput];
    if (def) defaultInputNames.add(`${api.name}\u0000${def.name}`);
  }
  return devices
    .filter((d) => d.maxInputChannels > 0)
    .map((d) => ({
      id: d.id,
      name: d.name,
      hostApi: d.hostAPIName,
      maxInputChannels: d.maxInputChannels,
      defaultSampleRate: d.defaultSampleRate,
      defaultLowInputLatency: d.defaultLowInputLatency,
      isDefault: defaultInputNames.has(`${d.hostAPIName}\u0000${d.name}`),
    }));
}

export function listHostApis(): AudioHostApi[] {
  const { defaultHostAPI, HostAPIs } = naudiodon.getHostAPIs();
  return HostAPIs.map((api, index) => ({
    id: api.id,
    name: api.name,
    type: api.type,
    deviceCount: api.deviceCount,
    isDefault: index === defaultHostAPI,
  }));
}

/**
 * Pick the input device to open: by name (stable across hot-plug), by PortAudio index, or the
 * default input of the default host API when nothing is asked for.
 * @throws AppError DEVICE_UNAVAILABLE when there is no input device or the asked one is gone.
 */
export function resolveInputDevice(
  wanted: string | number | undefined,
  devices: AudioInputDevice[] = listInputDevices(),
): AudioInputDevice {
  if (devices.length === 0) {
    throw new AppError(
      'DEVICE_UNAVAILABLE',
      'No audio input device found. Connect a microphone or audio interface (and check that the sound server is running), then try again.',
    );
  }
  if (wanted === undefined) {
    // Each PortAudio query re-probes ALSA (slow, noisy), so ask for the host APIs only here.
    const defaultApi = listHostApis().find((api) => api.isDefault)?.name;
    return (
      devices.find((d) => d.isDefault && d.hostApi === defaultApi) ?? devices.find((d) => d.isDefault) ?? firstOf(devices)
    );
  }
  const found = typeof wanted === 'number' ? devices.find((d) => d.id === wanted) : devices.find((d) => d.name === wanted);
  if (!found) {
    const names = devices.map((d) => `"${d.name}"`).join(', ');
    throw new AppError(
      'DEVICE_UNAVAILABLE',
      `Audio input device ${typeof wanted === 'number' ? `#${wanted}` : `"${wanted}"`} is not available (unplugged?). Available inputs: ${names}.`,
    );
  }
  return found;
}

function firstOf(devices: AudioInputDevice[]): AudioInputDevice {
  const first = devices[0];
  if (!first) throw new AppError('DEVICE_UNAVAILABLE', 'No audio input device found.');
  return first;
}
