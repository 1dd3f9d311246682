/**
 * Single-producer / single-consumer ring buffer of Float32 samples.
 *
 * The live path writes from the audio callback and reads from the inference step, possibly in a
 * worker thread, so storage and indices live in a SharedArrayBuffer and the indices move with
 * Atomics: `attachRingBuffer(ring.shared)` in a worker sees the same buffer. Everything is
 * allocated up front; write/read never allocate. When the consumer falls behind, the producer
 * keeps what fits and counts the rest as overflow instead of throwing or overwriting unread data
 * (overwriting would need the producer to move the consumer's index, which breaks SPSC safety).
 *
 * Indices are free-running 32-bit counters (wrapping at 2^32); capacity is a power of two so
 * `index & mask` addresses the storage and `(write - read) >>> 0` is the fill level.
 */

/** Positions in the control array. */
const WRITE = 0;
const READ = 1;
const OVERFLOW_FRAMES = 2;
const OVERFLOW_EVENTS = 3;
const CONTROL_SLOTS = 4;

export interface RingBufferShared {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export class RingBuffer {
  readonly capacity: number;
  readonly shared: RingBufferShared;
  private readonly mask: number;
  private readonly control: Int32Array;
  private readonly data: Float32Array;

  /** @param minCapacity frames; rounded up to the next power of two. */
  constructor(minCapacity: number, shared?: RingBufferShared) {
    if (shared) {
      this.shared = shared;
      this.capacity = shared.data.byteLength / Float32Array.BYTES_PER_ELEMENT;
      if (!isPowerOfTwo(this.capacity) || shared.control.byteLength < CONTROL_SLOTS * 4) {
        throw new RangeError('RingBuffer: shared buffers do not come from a RingBuffer');
      }
    } else {
      if (!Number.isFinite(minCapacity) || minCapacity < 1 || minCapacity > 2 ** 30) {
        throw new RangeError(`RingBuffer: capacity must be 1..2^30 frames, got ${minCapacity}`);
      }
      this.capacity = nextPowerOfTwo(minCapacity);
      this.shared = {
        control: new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT),
        data: new SharedArrayBuffer(this.capacity * Float32Array.BYTES_PER_ELEMENT),
      };
    }
    this.mask = this.capacity - 1;
    this.control = new Int32Array(this.shared.control);
    this.data = new Float32Array(this.shared.data);
  }

  /** Frames waiting to be read. */
  get available(): number {
    return (Atomics.load(this.control, WRITE) - Atomics.load(this.control, READ)) >>> 0;
  }

  /** Frames that can be written without overflow. */
  get free(): number {
    return this.capacity - this.available;
  }

  /** Total frames ever written (mod 2^32): the ring-sequence index of the next written frame. */
  get writeIndex(): number {
    return Atomics.load(this.control, WRITE) >>> 0;
  }

  /** Total frames ever read (mod 2^32): the ring-sequence index of the next frame `read` returns. */
  get readIndex(): number {
    return Atomics.load(this.control, READ) >>> 0;
  }

  /** Frames dropped because the buffer was full. */
  get overflowFrames(): number {
    return Atomics.load(this.control, OVERFLOW_FRAMES) >>> 0;
  }

  /** Number of writes that could not store everything. */
  get overflowEvents(): number {
    return Atomics.load(this.control, OVERFLOW_EVENTS) >>> 0;
  }

  /**
   * Producer side. Copies `source[start, end)`; what does not fit is dropped and counted.
   * @returns frames stored.
   */
  write(source: Float32Array, start = 0, end = source.length): number {
    const wanted = Math.max(0, end - start);
    const writeAt = Atomics.load(this.control, WRITE) >>> 0;
    const readAt = Atomics.load(this.control, READ) >>> 0;
    const room = this.capacity - ((writeAt - readAt) >>> 0);
    const count = Math.min(wanted, room);
    if (count > 0) {
      const offset = writeAt & this.mask;
      const firstPart = Math.min(count, this.capacity - offset);
      this.data.set(source.subarray(start, start + firstPart), offset);
      if (count > firstPart) this.data.set(source.subarray(start + firstPart, start + count), 0);
      // Publish after the samples are in place so the consumer never sees unwritten frames.
      Atomics.store(this.control, WRITE, (writeAt + count) | 0);
      // Wakes a consumer parked in waitForData (a no-op when none is).
      Atomics.notify(this.control, WRITE);
    }
    if (count < wanted) {
      Atomics.add(this.control, OVERFLOW_FRAMES, wanted - count);
      Atomics.add(this.control, OVERFLOW_EVENTS, 1);
    }
    return count;
  }

  /**
   * Consumer side. Moves up to `target.length - start` frames into `target` starting at `start`.
   * @returns frames read.
   */
  read(target: Float32Array, start = 0, maxFrames = target.length - start): number {
    const count = this.peek(target, start, maxFrames);
    if (count > 0) this.skip(count);
    return count;
  }

  /**
   * Consumer side: resolves once frames are waiting, or after `timeoutMs`. Lets a worker react to
   * each block as it lands instead of polling on a timer (the poll period was added latency).
   */
  waitForData(timeoutMs: number): Promise<void> {
    const writeAt = Atomics.load(this.control, WRITE);
    if (((writeAt - Atomics.load(this.control, READ)) >>> 0) > 0) return Promise.resolve();
    // Atomics.waitAsync is in Node >= 16 but not yet in TypeScript's ES2023 lib.
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    const result = waitAsync(this.control, WRITE, writeAt, timeoutMs);
    return result.async ? result.value.then(() => undefined) : Promise.resolve();
  }

  /** Consumer side: copy without consuming (for analysis windows that overlap). */
  peek(target: Float32Array, start = 0, maxFrames = target.length - start): number {
    const readAt = Atomics.load(this.control, READ) >>> 0;
    const writeAt = Atomics.load(this.control, WRITE) >>> 0;
    const count = Math.min(Math.max(0, maxFrames), (writeAt - readAt) >>> 0);
    if (count === 0) return 0;
    const offset = readAt & this.mask;
    const firstPart = Math.min(count, this.capacity - offset);
    target.set(this.data.subarray(offset, offset + firstPart), start);
    if (count > firstPart) target.set(this.data.subarray(0, count - firstPart), start + firstPart);
    return count;
  }

  /** Consumer side: drop up to `frames` unread frames. @returns frames dropped. */
  skip(frames: number): number {
    const readAt = Atomics.load(this.control, READ) >>> 0;
    const count = Math.min(Math.max(0, frames), (Atomics.load(this.control, WRITE) - readAt) >>> 0);
    if (count > 0) Atomics.store(this.control, READ, (readAt + count) | 0);
    return count;
  }
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

/** Open a view on a ring created elsewhere (e.g. in a worker that received `ring.shared`). */
export function attachRingBuffer(shared: RingBufferShared): RingBuffer {
  return new RingBuffer(0, shared);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil(n))));
}
