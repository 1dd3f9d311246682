import { describe, expect, it } from 'vitest';
import { attachRingBuffer, RingBuffer } from './ringBuffer';

function ramp(start: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => start + i);
}

describe('RingBuffer', () => {
  it('rounds capacity up to a power of two and rejects nonsense sizes', () => {
    expect(new RingBuffer(1000).capacity).toBe(1024);
    expect(new RingBuffer(1024).capacity).toBe(1024);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(Number.NaN)).toThrow(RangeError);
  });

  it('returns frames in order across the wrap of the storage', () => {
    const ring = new RingBuffer(8);
    const out = new Float32Array(8);
    let next = 0;
    let expected = 0;
    // Writes of 5 and reads of 3 walk the indices around the 8-frame storage many times; the
    // fill level never exceeds 2 + 5 frames, so nothing overflows.
    for (let round = 0; round < 20; round++) {
      expect(ring.write(ramp(next, 5))).toBe(5);
      next += 5;
      while (ring.available >= 3) {
        expect(ring.read(out, 0, 3)).toBe(3);
        expect(Array.from(out.subarray(0, 3))).toEqual([expected, expected + 1, expected + 2]);
        expected += 3;
      }
    }
    expect(ring.overflowFrames).toBe(0);
  });

  it('keeps what fits on overflow and counts the rest', () => {
    const ring = new RingBuffer(8);
    expect(ring.write(ramp(0, 6))).toBe(6);
    expect(ring.write(ramp(6, 5))).toBe(2);
    expect(ring.overflowFrames).toBe(3);
    expect(ring.overflowEvents).toBe(1);
    expect(ring.free).toBe(0);
    const out = new Float32Array(10);
    expect(ring.read(out)).toBe(8);
    // The oldest data survives; the newest frames that did not fit are the ones lost.
    expect(Array.from(out.subarray(0, 8))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ring.write(ramp(100, 2))).toBe(2);
    expect(ring.overflowEvents).toBe(1);
  });

  it('peek leaves frames in place and skip drops them', () => {
    const ring = new RingBuffer(16);
    ring.write(ramp(10, 6));
    const out = new Float32Array(4);
    expect(ring.peek(out)).toBe(4);
    expect(ring.available).toBe(6);
    expect(ring.skip(4)).toBe(4);
    expect(ring.read(out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([14, 15]);
    expect(ring.skip(5)).toBe(0);
  });

  it('writes a sub-range of the source and reads into an offset of the target', () => {
    const ring = new RingBuffer(8);
    expect(ring.write(ramp(0, 10), 3, 7)).toBe(4);
    const out = new Float32Array(6).fill(-1);
    expect(ring.read(out, 2)).toBe(4);
    expect(Array.from(out)).toEqual([-1, -1, 3, 4, 5, 6]);
  });

  it('keeps working when the free-running 32-bit indices wrap', () => {
    const ring = new RingBuffer(8);
    // Put both indices just below 2^32, as after ~25 hours of capture at 48 kHz.
    const control = new Int32Array(ring.shared.control);
    control[0] = -3;
    control[1] = -3;
    expect(ring.available).toBe(0);
    expect(ring.write(ramp(0, 7))).toBe(7);
    expect(ring.available).toBe(7);
    expect(ring.writeIndex).toBe(4);
    const out = new Float32Array(7);
    expect(ring.read(out)).toBe(7);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(ring.readIndex).toBe(4);
  });

  it('a view attached to the shared buffers sees the same frames (how a worker consumes)', () => {
    const producer = new RingBuffer(32);
    const consumer = attachRingBuffer(producer.shared);
    expect(consumer.capacity).toBe(32);
    producer.write(ramp(1, 5));
    const out = new Float32Array(5);
    expect(consumer.read(out)).toBe(5);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5]);
    expect(producer.available).toBe(0);
    expect(() => attachRingBuffer({ control: new SharedArrayBuffer(16), data: new SharedArrayBuffer(12) })).toThrow(
      RangeError,
    );
  });

  it('wakes a waiting consumer when frames are written, and times out when none come', async () => {
    const ring = new RingBuffer(16);
    let woke = false;
    const waiting = ring.waitForData(10_000).then(() => {
      woke = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    ring.write(ramp(0, 4));
    await waiting;
    expect(woke).toBe(true);
    // Data already waiting: resolves at once.
    await ring.waitForData(10_000);
    ring.skip(4);
    const started = performance.now();
    await ring.waitForData(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});

