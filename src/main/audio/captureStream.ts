import naudiodon from 'naudiodon';
import type { IoStreamRead } from 'naudiodon';
import { AppError } from '../../shared';
import type { Hz } from '../../shared';
import type { AudioInputDevice } from './devices';

/** One open PortAudio input stream, reduced to what the capture needs. */
export interface OpenedStream {
  device: AudioInputDevice;
  sampleRate: Hz;
  channelCount: number;
  framesPerBuffer: number;
  stream: IoStreamRead;
}

/**
 * Open (not start) a Float32 input stream. Tries the wanted rate first, then the device's default
 * rate, because a rate the hardware lacks is the common reason an open fails.
 * @throws AppError DEVICE_UNAVAILABLE with PortAudio's reason when no rate works.
 */
export function openInputStream(
  device: AudioInputDevice,
  wantedRate: Hz,
  framesPerBuffer: number,
  channelCount: number,
): OpenedStream {
  const channels = Math.min(Math.max(1, Math.floor(channelCount)), device.maxInputChannels);
  const rates = [wantedRate, device.defaultSampleRate].filter((r, i, all) => r > 0 && all.indexOf(r) === i);
  const failures: string[] = [];
  for (const sampleRate of rates) {
    try {
      const stream = naudiodon.AudioIO({
        inOptions: {
          deviceId: device.id,
          sampleRate,
          channelCount: channels,
          sampleFormat: naudiodon.SampleFormatFloat32,
          framesPerBuffer,
          // One buffer: the Readable otherwise gathers 16 KiB (~170 ms at 48 kHz stereo) per 'data'.
          highwaterMark: framesPerBuffer * channels * Float32Array.BYTES_PER_ELEMENT,
          // PortAudio status flags (an input overflow under load) must not kill the stream; real
          // failures still end it or stop the data, which the capture's watchdog catches.
          closeOnError: false,
          // When the queue to JavaScript is full, naudiodon blocks PortAudio's callback, the
          // driver's buffer overruns and audio is lost. Let it hold ~0.5 s so an event-loop stall
          // (tens of ms are common on a loaded machine) delays blocks instead of dropping them.
          maxQueue: Math.max(8, Math.ceil((0.5 * sampleRate) / framesPerBuffer)),
        },
      });
      return { device, sampleRate, channelCount: channels, framesPerBuffer, stream };
    } catch (error) {
      failures.push(`${sampleRate} Hz: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new AppError(
    'DEVICE_UNAVAILABLE',
    `Could not open audio input "${device.name}" (${device.hostApi}): ${failures.join('; ')}`,
  );
}

/**
 * Stop and close a stream, resolving when PortAudio has let go of it, or with 'timeout' after
 * `timeoutMs` when given (a vanished device could make the close hang inside the driver).
 * Uses `quit`: naudiodon 2.3.6's `abort` passes two arguments to a native method that takes one
 * and throws without closing anything. For an input stream quit and abort cost the same.
 */
export function closeInputStream(stream: IoStreamRead, timeoutMs?: number): Promise<'closed' | 'timeout'> {
  return new Promise((resolve) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve('timeout'), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve('closed');
    };
    try {
      // Typed as void, but it is an async function: a native failure must not become an
      // unhandled rejection.
      const pending = stream.quit(done) as unknown;
      if (pending instanceof Promise) pending.catch(done);
    } catch {
      done();
    }
  });
}

/**
 * View a PortAudio buffer as Float32 samples without copying when it is aligned (it is in
 * practice: naudiodon allocates each buffer fresh); otherwise copy into `scratch`.
 */
export function asFloat32(chunk: Buffer, scratch: { buffer: Float32Array }): Float32Array {
  const length = chunk.byteLength >>> 2;
  if (chunk.byteOffset % Float32Array.BYTES_PER_ELEMENT === 0) {
    return new Float32Array(chunk.buffer, chunk.byteOffset, length);
  }
  if (scratch.buffer.length < length) scratch.buffer = new Float32Array(length);
  const view = scratch.buffer.subarray(0, length);
  new Uint8Array(view.buffer, view.byteOffset, length * 4).set(chunk.subarray(0, length * 4));
  return view;
}

/** Average interleaved channels into `target` (grown only when a larger block arrives). */
export function mixToMono(interleaved: Float32Array, channels: number, scratch: { buffer: Float32Array }): Float32Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  if (scratch.buffer.length < frames) scratch.buffer = new Float32Array(frames);
  const mono = scratch.buffer.subarray(0, frames);
  const scale = 1 / channels;
  for (let f = 0, i = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i++] as number;
    mono[f] = sum * scale;
  }
  return mono;
}
