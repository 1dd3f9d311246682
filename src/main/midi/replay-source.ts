import { performance } from 'node:perf_hooks';
import type { Performance } from '../../shared/performance';
import { SUSTAIN_PEDAL_CC, encodeControlChange, encodeNote } from './parser';
import type { MidiInputSink, MidiInputSource } from './source';

interface TimedBytes {
  timeSec: number;
  bytes: Uint8Array;
}

/** The performance as the byte messages a keyboard would send, in time order (offs before ons). */
export function performanceToMessages(perf: Performance): TimedBytes[] {
  const out: (TimedBytes & { order: number })[] = [];
  for (const n of perf.notes) {
    out.push({ timeSec: n.onsetSec, bytes: encodeNote('on', n.pitch, n.velocity), order: 2 });
    out.push({ timeSec: Math.max(n.offsetSec, n.onsetSec), bytes: encodeNote('off', n.pitch, 0), order: 0 });
  }
  for (const p of perf.pedal) out.push({ timeSec: p.timeSec, bytes: encodeControlChange(SUSTAIN_PEDAL_CC, p.value), order: 1 });
  out.sort((a, b) => a.timeSec - b.timeSec || a.order - b.order);
  return out.map(({ timeSec, bytes }) => ({ timeSec, bytes }));
}

/**
 * Replays a performance as MIDI bytes, `speed` times faster than written, driven by a timer
 * that re-reads the clock each tick so delays do not accumulate. Times given to the sink are on
 * the performance's own clock, so grading is the same at any replay speed.
 */
export class ReplayMidiSource implements MidiInputSource {
  readonly label = 'MIDI file replay';
  private readonly messages: TimedBytes[];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    performance: Performance,
    private readonly speed: number,
  ) {
    if (!(speed > 0)) throw new RangeError('speed must be > 0');
    this.messages = performanceToMessages(performance);
  }

  private t0 = 0;
  private next = 0;

  /**
   * The replay clock, never past the next message not yet delivered: when the timer runs late
   * (a busy machine), the follower must not decide that a note was missed before it was sent.
   */
  nowSec(): number {
    const wall = ((performance.now() - this.t0) / 1000) * this.speed;
    const pending = this.messages[this.next];
    return pending ? Math.min(wall, pending.timeSec) : wall;
  }

  start(sink: MidiInputSink): void {
    const t0 = performance.now();
    this.t0 = t0;
    this.next = 0;
    const tick = (): void => {
      this.timer = null;
      if (this.stopped) return;
      const due = ((performance.now() - t0) / 1000) * this.speed;
      while (this.next < this.messages.length && (this.messages[this.next]?.timeSec ?? Infinity) <= due) {
        const message = this.messages[this.next++];
        if (message) sink.bytes(message.bytes, message.timeSec, performance.now());
        if (this.stopped) return;
      }
      const upcoming = this.messages[this.next];
      if (!upcoming) {
        sink.end({ reason: 'finished' });
        return;
      }
      const waitMs = (upcoming.timeSec / this.speed) * 1000 - (performance.now() - t0);
      this.timer = setTimeout(tick, Math.max(0, waitMs));
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
