/**
 * MIDI input devices through RtMidi (@julusian/midi). Where no MIDI system exists (Linux without
 * the ALSA sequencer, as in containers and CI) every call reports DEVICE_UNAVAILABLE with a clear
 * message instead of crashing; the native module is not even loaded, because RtMidi prints ALSA
 * errors to stderr when it fails to initialise.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MidiDeviceList } from '../../shared/api';
import { AppError } from '../../shared/errors';

export const ALSA_SEQUENCER_PATH = '/dev/snd/seq';

export interface OpenMidiDevice {
  readonly id: string;
  readonly name: string;
  close(): void;
}

export interface MidiSystem {
  list(): MidiDeviceList;
  /** Opens an input; `onBytes` gets every raw message. Throws AppError (DEVICE_UNAVAILABLE, NOT_FOUND). */
  open(deviceId: string, onBytes: (bytes: readonly number[]) => void): OpenMidiDevice;
  /** Releases the driver connection (if any). */
  dispose?(): void;
}

interface RtMidiInput {
  getPortCount(): number;
  getPortName(port: number): string;
  openPort(port: number): void;
  closePort(): void;
  destroy(): void;
  ignoreTypes(sysex: boolean, timing: boolean, activeSensing: boolean): void;
  on(event: 'message', listener: (deltaTime: number, message: number[]) => void): void;
}
interface RtMidiModule {
  Input: new () => RtMidiInput;
}

/** Why no MIDI system is usable here, or null when one may be. */
export function midiUnavailableReason(platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'linux' && !existsSync(ALSA_SEQUENCER_PATH)) {
    return `No MIDI system available: ALSA sequencer ${ALSA_SEQUENCER_PATH} not found`;
  }
  return null;
}

/**
 * Device ids are port names, made unique with " #2", " #3" for identical devices: port indices
 * shift whenever another device is plugged in, names do not.
 */
export function portIds(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} #${n}`;
  });
}

export class RtMidiSystem implements MidiSystem {
  private module: RtMidiModule | null = null;
  private loadError: string | null = null;
  /** One long-lived client for listing: hot-plug polling must not create a client per poll. */
  private lister: RtMidiInput | null = null;

  list(): MidiDeviceList {
    const reason = this.unavailable();
    if (reason) return { available: false, message: reason, devices: [] };
    try {
      const names = this.portNames();
      return { available: true, message: null, devices: portIds(names).map((id, i) => ({ id, name: names[i] ?? id })) };
    } catch (err) {
      return { available: false, message: `MIDI system error: ${(err as Error).message}`, devices: [] };
    }
  }

  open(deviceId: string, onBytes: (bytes: readonly number[]) => void): OpenMidiDevice {
    const reason = this.unavailable();
    if (reason) throw new AppError('DEVICE_UNAVAILABLE', reason);
    const names = this.portNames();
    const port = portIds(names).indexOf(deviceId);
    if (port < 0) throw new AppError('NOT_FOUND', `MIDI device "${deviceId}" is not connected.`);
    const input = this.newInput();
    try {
      input.ignoreTypes(true, true, true);
      input.on('message', (_delta, message) => onBytes(message));
      input.openPort(port);
    } catch (err) {
      input.destroy();
      throw new AppError('DEVICE_UNAVAILABLE', `Cannot open MIDI device "${deviceId}": ${(err as Error).message}`);
    }
    return {
      id: deviceId,
      name: names[port] ?? deviceId,
      close: () => {
        input.closePort();
        input.destroy();
      },
    };
  }

  private unavailable(): string | null {
    const reason = midiUnavailableReason();
    if (reason) return reason;
    if (!this.module && !this.loadError) {
      try {
        this.module = createRequire(import.meta.url)('@julusian/midi') as RtMidiModule;
      } catch (err) {
        this.loadError = `No MIDI system available: cannot load the MIDI driver (${(err as Error).message})`;
      }
    }
    return this.loadError;
  }

  private newInput(): RtMidiInput {
    if (!this.module) throw new AppError('DEVICE_UNAVAILABLE', 'No MIDI system available');
    try {
      return new this.module.Input();
    } catch (err) {
      throw new AppError('DEVICE_UNAVAILABLE', `No MIDI system available: ${(err as Error).message}`);
    }
  }

  private portNames(): string[] {
    this.lister ??= this.newInput();
    const input = this.lister;
    const count = input.getPortCount();
    return Array.from({ length: count }, (_, i) => input.getPortName(i));
  }

  dispose(): void {
    this.lister?.destroy();
    this.lister = null;
  }
}
