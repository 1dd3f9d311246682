/**
 * Hot-plug detection by polling: RtMidi has no device-change callback on every platform, and a
 * port listing costs well under a millisecond, so a timer that compares lists is simplest.
 */
import type { MidiDeviceList } from '../../shared/api';

export function sameDeviceList(a: MidiDeviceList, b: MidiDeviceList): boolean {
  if (a.available !== b.available || a.message !== b.message || a.devices.length !== b.devices.length) return false;
  return a.devices.every((d, i) => d.id === b.devices[i]?.id && d.name === b.devices[i]?.name);
}

export interface DeviceWatcher {
  current(): MidiDeviceList;
  dispose(): void;
}

/** Calls `onChange` with the new list whenever `list()` returns something different. */
export function watchDevices(
  list: () => MidiDeviceList,
  onChange: (devices: MidiDeviceList) => void,
  intervalMs = 1000,
): DeviceWatcher {
  let last = list();
  const timer = setInterval(() => {
    const next = list();
    if (sameDeviceList(last, next)) return;
    last = next;
    onChange(next);
  }, intervalMs);
  timer.unref();
  return { current: () => last, dispose: () => clearInterval(timer) };
}
