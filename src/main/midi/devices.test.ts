import { describe, expect, it } from 'vitest';
import type { MidiDeviceList } from '../../shared/api';
import { VirtualMidiSystem } from '../../../test/integration/virtual-midi';
import { DeviceMidiSource } from './device-source';
import { RtMidiSystem, midiUnavailableReason, portIds } from './devices';
import { sameDeviceList, watchDevices } from './hotplug';
import type { TakeEnd } from './source';

describe('MIDI devices', () => {
  it('reports a missing ALSA sequencer clearly and never throws from list()', () => {
    const system = new RtMidiSystem();
    const reason = midiUnavailableReason();
    const list = system.list();
    if (reason) {
      expect(list).toEqual({ available: false, message: 'No MIDI system available: ALSA sequencer /dev/snd/seq not found', devices: [] });
      expect(() => system.open('Piano', () => undefined)).toThrowError(
        expect.objectContaining({ code: 'DEVICE_UNAVAILABLE', message: expect.stringContaining('/dev/snd/seq') }) as Error,
      );
    } else {
      expect(typeof list.available).toBe('boolean');
    }
    expect(midiUnavailableReason('darwin')).toBeNull();
  });

  it('gives identical devices distinct, stable ids', () => {
    expect(portIds(['Piano', 'Pads', 'Piano', 'Piano'])).toEqual(['Piano', 'Pads', 'Piano #2', 'Piano #3']);
  });

  it('hot-plug watcher reports each change once', async () => {
    const system = new VirtualMidiSystem();
    const seen: MidiDeviceList[] = [];
    const watcher = watchDevices(() => system.list(), (l) => seen.push(l), 10);
    await new Promise((r) => setTimeout(r, 40));
    system.devices = ['Digital Piano'];
    await new Promise((r) => setTimeout(r, 40));
    system.devices = [];
    await new Promise((r) => setTimeout(r, 40));
    watcher.dispose();
    expect(seen.map((l) => l.devices.map((d) => d.id))).toEqual([['Digital Piano'], []]);
    expect(sameDeviceList(seen[1]!, system.list())).toBe(true);
  });

  it('a device source delivers bytes and ends the take with a message when unplugged', async () => {
    const system = new VirtualMidiSystem();
    system.devices = ['Digital Piano'];
    const received: number[][] = [];
    const source = new DeviceMidiSource(system, 'Digital Piano', 10);
    const ended = new Promise<TakeEnd>((resolve) => source.start({ bytes: (d) => received.push(Array.from(d)), end: resolve }));
    system.listeners.get('Digital Piano')?.([0x90, 60, 100]);
    system.devices = [];
    const end = await ended;
    expect(received).toEqual([[0x90, 60, 100]]);
    expect(end).toEqual({ reason: 'disconnected', message: expect.stringContaining('"Digital Piano" was disconnected') as string });
    expect(system.listeners.size).toBe(0);
  });
});
