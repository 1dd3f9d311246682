/**
 * Audio file → mono Float32 at the model's sample rate, read in chunks (bounded memory: one file
 * chunk, the decoder's own state and the resampler's left context), with progress and
 * cancellation. WAV is parsed here; FLAC, MP3 and Ogg Vorbis go through WASM decoders.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import type { AudioContainer, ChunkDecoder, DecodedBlock } from './codecs';
import { blockToMono, createChunkDecoder, sniffContainer } from './codecs';
import { StreamingResampler } from './resampler';
import { parseWavHeader, wavBytesToMono } from './wav';

export interface DecodeOptions {
  /** Output sample rate (the model's). */
  targetSampleRate: number;
  /** Bytes read from the file per step. Default 1 MiB. */
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Fraction of the file read so far, 0..1. */
  onProgress?: (fraction: number) => void;
  /**
   * Resample with onnxruntime (conv-resampler.ts: the same filter, about 9x less CPU) where the
   * rate pair allows; for whole files. Loads onnxruntime on first use. Default false.
   */
  fastResampler?: boolean;
}

/** What decoding needs of a resampler: the JS polyphase loop or its onnxruntime twin. */
interface ChunkResampler {
  readonly inputRate: number;
  process(input: Float32Array): Float32Array | Promise<Float32Array>;
  flush(): Float32Array | Promise<Float32Array>;
  dispose?(): Promise<void>;
}

async function createResampler(inputRate: number, outputRate: number, fast: boolean): Promise<ChunkResampler> {
  if (fast && inputRate !== outputRate) {
    const { ConvResampler } = await import('./conv-resampler');
    const conv = await ConvResampler.create(inputRate, outputRate);
    if (conv) return conv;
  }
  return new StreamingResampler(inputRate, outputRate);
}

export interface AudioStreamInfo {
  container: AudioContainer;
  /** Source rate (known once the first block is decoded; 0 before). */
  sourceSampleRate: number;
}

export interface DecodedAudio extends AudioStreamInfo {
  samples: Float32Array;
  sampleRate: number;
  durationSec: number;
}

const HEADER_BYTES = 64 * 1024;

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CONFLICT', 'audio decoding was cancelled');
}

async function openAudio(path: string): Promise<{ handle: FileHandle; size: number }> {
  try {
    const handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      throw new AppError('INVALID_ARGUMENT', `${path}: not a file`);
    }
    return { handle, size: stat.size };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `${path}: no such file`);
    throw new AppError('INVALID_ARGUMENT', `${path}: cannot open (${code ?? String(error)})`);
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * Checks that a file exists and looks like supported audio (container sniffed, WAV header parsed)
 * without decoding it, so callers fail fast before loading a model.
 */
export async function probeAudioFile(path: string): Promise<AudioContainer> {
  const { handle, size } = await openAudio(path);
  try {
    if (size === 0) throw new AppError('PARSE_ERROR', `${path}: the file is empty`);
    const head = await readAt(handle, 0, Math.min(size, HEADER_BYTES));
    const container = sniffContainer(head, path);
    if (container === 'wav') parseWavHeader(head, size, path);
    return container;
  } finally {
    await handle.close();
  }
}

/**
 * Yields mono chunks at `targetSampleRate`, in order. `info` is filled in as soon as it is known.
 * Throws AppError: NOT_FOUND, UNSUPPORTED (unknown or unsupported format), PARSE_ERROR (corrupt
 * or empty audio), CONFLICT (cancelled).
 */
export async function* decodeAudioStream(path: string, options: DecodeOptions, info?: Partial<AudioStreamInfo>): AsyncGenerator<Float32Array> {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const { handle, size } = await openAudio(path);
  let decoder: ChunkDecoder | null = null;
  let activeResampler: ChunkResampler | null = null;
  try {
    if (size === 0) throw new AppError('PARSE_ERROR', `${path}: the file is empty`);
    const head = await readAt(handle, 0, Math.min(size, HEADER_BYTES));
    const container = sniffContainer(head, path);
    if (info) info.container = container;
    let resampler: ChunkResampler | null = null;
    let produced = 0;
    const emit = async (mono: Float32Array, rate: number): Promise<Float32Array> => {
      if (!resampler) {
        if (info) info.sourceSampleRate = rate;
        resampler = await createResampler(rate, options.targetSampleRate, options.fastResampler ?? false);
        activeResampler = resampler;
      } else if (resampler.inputRate !== rate) {
        throw new AppError('UNSUPPORTED', `${path}: the sample rate changes mid-stream (${resampler.inputRate} -> ${rate} Hz)`);
      }
      return rate === options.targetSampleRate ? mono.slice() : await resampler.process(mono);
    };

    if (container === 'wav') {
      const format = parseWavHeader(head, size, path);
      if (format.dataLength === 0) throw new AppError('PARSE_ERROR', `${path}: the WAV file holds no samples`);
      const step = Math.max(format.blockAlign, chunkBytes - (chunkBytes % format.blockAlign));
      for (let pos = 0; pos < format.dataLength; pos += step) {
        throwIfAborted(options.signal);
        const bytes = await readAt(handle, format.dataOffset + pos, Math.min(step, format.dataLength - pos));
        const out = await emit(wavBytesToMono(bytes, format), format.sampleRate);
        produced += out.length;
        if (out.length > 0) yield out;
        options.onProgress?.(Math.min(1, (pos + bytes.length) / format.dataLength));
      }
    } else {
      decoder = await createChunkDecoder(container);
      let firstError: string | null = null;
      let decodedSamples = 0;
      const take = async (block: DecodedBlock | null): Promise<Float32Array | null> => {
        if (!block) return null;
        if (block.errors.length > 0 && firstError === null) firstError = block.errors[0]?.message ?? 'decode error';
        if (block.samplesDecoded === 0) return null;
        decodedSamples += block.samplesDecoded;
        return await emit(blockToMono(block), block.sampleRate);
      };
      for (let pos = 0; pos < size; pos += chunkBytes) {
        throwIfAborted(options.signal);
        const bytes = pos === 0 && head.length >= Math.min(chunkBytes, size) ? head.subarray(0, chunkBytes) : await readAt(handle, pos, chunkBytes);
        const out = await take(await decoder.decode(bytes));
        if (out && out.length > 0) {
          produced += out.length;
          yield out;
        }
        options.onProgress?.(Math.min(1, (pos + bytes.length) / size));
      }
      const tail = await take(await decoder.flush());
      if (tail && tail.length > 0) {
        produced += tail.length;
        yield tail;
      }
      if (decodedSamples === 0) {
        throw new AppError('PARSE_ERROR', `${path}: no audio could be decoded from this ${container} file${firstError ? ` (${firstError})` : ''}`);
      }
    }
    const rest = resampler ? await (resampler as ChunkResampler).flush() : new Float32Array(0);
    if (resampler && (resampler as ChunkResampler).inputRate !== options.targetSampleRate && rest.length > 0) {
      produced += rest.length;
      yield rest;
    }
    if (produced === 0) throw new AppError('PARSE_ERROR', `${path}: no audio samples decoded`);
  } finally {
    decoder?.free();
    await (activeResampler as ChunkResampler | null)?.dispose?.();
    await handle.close();
  }
}

/** Decodes a whole file to one mono Float32Array at the target rate. */
export async function decodeAudioFile(path: string, options: DecodeOptions): Promise<DecodedAudio> {
  const info: Partial<AudioStreamInfo> = {};
  const chunks: Float32Array[] = [];
  let total = 0;
  for await (const chunk of decodeAudioStream(path, options, info)) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const samples = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  return {
    container: info.container ?? 'wav',
    sourceSampleRate: info.sourceSampleRate ?? options.targetSampleRate,
    samples,
    sampleRate: options.targetSampleRate,
    durationSec: total / options.targetSampleRate,
  };
}
