/**
 * A stand-in for the microphone for benchmarks that must run faster than real time (the 2-hour
 * soak): writes given audio into the same SharedArrayBuffer ring AudioCapture fills, as fast as the
 * live worker drains it, so ring -> worker -> resampler -> step model -> decoder -> follower run
 * exactly as live. No PortAudio and no capture clock: stamps are write times, not capture times,
 * so its latency figures mean nothing. Nothing in the app uses it.
 */
import type { AudioInputDevice } from '../audio/devices';
import { RingBuffer } from '../audio/ringBuffer';
import type { LiveCapture } from './audioNoteSource';

const DEVICE: AudioInputDevice = { id: -1, name: 'accelerated replay', hostApi: 'none', maxInputChannels: 1, defaultSampleRate: 48_000, defaultLowInputLatency: 0, isDefault: false };

export class ReplayCapture implements LiveCapture {
  readonly ring: RingBuffer;
  private written = 0;
  private lastWriteMs = performance.now();

  constructor(readonly sampleRate: number, ringSeconds = 2) {
    this.ring = new RingBuffer(Math.round(ringSeconds * sampleRate));
  }

  get stream() {
    return { device: DEVICE, sampleRate: this.sampleRate, channelCount: 1, framesPerBuffer: 0 };
  }

  frameTimeMs(): number {
    return this.lastWriteMs;
  }

  /** Only 'state' and 'block' exist on a real capture; a replay never fails and is not recorded. */
  on(): () => void {
    return () => {};
  }

  whenRunning(): Promise<void> {
    return Promise.resolve();
  }

  get framesWritten(): number {
    return this.written;
  }

  /**
   * Writes as much of `samples` as fits while keeping the ring at most half full (the worker reads
   * whole backlogs, so half a ring is plenty of batch); returns how many frames went in.
   */
  feed(samples: Float32Array, start: number, end: number): number {
    const fill = (this.ring.writeIndex - this.ring.readIndex) >>> 0;
    const room = Math.max(0, Math.floor(this.ring.capacity / 2) - fill);
    const count = Math.min(room, end - start);
    if (count <= 0) return 0;
    this.ring.write(samples, start, start + count);
    this.written += count;
    this.lastWriteMs = performance.now();
    return count;
  }
}
