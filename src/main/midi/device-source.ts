import { performance } from 'node:perf_hooks';
import type { MidiInputSink, MidiInputSource } from './source';
import type { MidiSystem, OpenMidiDevice } from './devices';

/**
 * A hardware MIDI input. Unplugging is noticed by polling the port list (RtMidi just goes
 * silent), and ends the take with a message; the notes already played stay in the take.
 */
export class DeviceMidiSource implements MidiInputSource {
  readonly label: string;
  private device: OpenMidiDevice | null = null;
  private poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly system: MidiSystem,
    private readonly deviceId: string,
    private readonly pollMs = 500,
  ) {
    this.label = `MIDI device "${deviceId}"`;
  }

  private t0 = 0;

  nowSec(): number {
    return (performance.now() - this.t0) / 1000;
  }

  start(sink: MidiInputSink): void {
    const t0 = performance.now();
    this.t0 = t0;
    this.device = this.system.open(this.deviceId, (bytes) => {
      const now = performance.now();
      sink.bytes(bytes, (now - t0) / 1000, now);
    });
    this.poll = setInterval(() => {
      const list = this.system.list();
      if (list.devices.some((d) => d.id === this.deviceId)) return;
      this.stop();
      sink.end({
        reason: 'disconnected',
        message: `MIDI device "${this.deviceId}" was disconnected. The take ended; the notes you played were kept.`,
      });
    }, this.pollMs);
    this.poll.unref();
  }

  stop(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.device?.close();
    this.device = null;
  }
}
