import type { MidiDeviceList } from '../../src/shared/api';
import { AppError } from '../../src/shared/errors';
import { portIds } from '../../src/main/midi/devices';
import type { MidiSystem, OpenMidiDevice } from '../../src/main/midi/devices';

/**
 * A MIDI system whose devices the test plugs, plays and unplugs. There is no ALSA sequencer in
 * CI, so this is the only way to exercise hot-plug and unplug handling; the real RtMidi system is
 * tested for what it must do there (say clearly that no MIDI system exists).
 */
export class VirtualMidiSystem implements MidiSystem {
  devices: string[] = [];
  readonly listeners = new Map<string, (bytes: readonly number[]) => void>();

  list(): MidiDeviceList {
    return { available: true, message: null, devices: portIds(this.devices).map((id, i) => ({ id, name: this.devices[i]! })) };
  }

  open(deviceId: string, onBytes: (bytes: readonly number[]) => void): OpenMidiDevice {
    if (!this.list().devices.some((d) => d.id === deviceId)) throw new AppError('NOT_FOUND', `MIDI device "${deviceId}" is not connected.`);
    this.listeners.set(deviceId, onBytes);
    return { id: deviceId, name: deviceId, close: () => this.listeners.delete(deviceId) };
  }

  /** Sends bytes as the device would. */
  play(deviceId: string, bytes: number[]): void {
    this.listeners.get(deviceId)?.(bytes);
  }
}
