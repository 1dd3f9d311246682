/**
 * A live MIDI input: raw bytes with their arrival time, and an end. A hardware device and the
 * `.mid` replay both implement it, so a practice session cannot tell them apart.
 */

export type TakeEnd =
  | { reason: 'finished' }
  | { reason: 'stopped' }
  | { reason: 'disconnected'; message: string };

export interface MidiInputSink {
  /**
   * Raw MIDI bytes. `timeSec`: seconds since the take started on the input's clock;
   * `receivedMs`: performance.now() when the bytes reached us (latency stamps).
   */
  bytes(data: ArrayLike<number>, timeSec: number, receivedMs: number): void;
  /** Called once when the input ends by itself (replay done, device unplugged). */
  end(end: TakeEnd): void;
}

export interface MidiInputSource {
  readonly label: string;
  start(sink: MidiInputSink): void;
  /** The input's clock now (same scale as the times given to the sink), once started. */
  nowSec(): number;
  /** Stops delivering; does not call `sink.end`. Safe to call twice. */
  stop(): void;
}
