/**
 * Container sniffing and the compressed-audio decoders (WASM, from npm: mpg123-decoder,
 * @wasm-audio-decoders/flac, @wasm-audio-decoders/ogg-vorbis). All three decode incrementally,
 * so a file is fed in chunks and never held whole in memory.
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { AppError } from '../../../shared/errors';
import { looksLikeWav } from './wav';

export type AudioContainer = 'wav' | 'flac' | 'mp3' | 'ogg-vorbis';

export interface DecodedBlock {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: Array<{ message: string }>;
}

/** A streaming decoder for one file. */
export interface ChunkDecoder {
  decode(chunk: Uint8Array): Promise<DecodedBlock>;
  /** Returns what the decoder still buffers at the end of the input. */
  flush(): Promise<DecodedBlock | null>;
  free(): void;
}

function text(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function includesAscii(bytes: Uint8Array, needle: string): boolean {
  return text(bytes, 0, bytes.length).includes(needle);
}

/** Identifies the container from the file's first bytes (≥ 64 recommended). */
export function sniffContainer(head: Uint8Array, label: string): AudioContainer {
  if (looksLikeWav(head)) return 'wav';
  if (head.length >= 4 && text(head, 0, 4) === 'fLaC') return 'flac';
  if (head.length >= 4 && text(head, 0, 4) === 'OggS') {
    if (includesAscii(head, 'vorbis')) return 'ogg-vorbis';
    const codec = includesAscii(head, 'OpusHead') ? 'Opus' : includesAscii(head, 'FLAC') ? 'FLAC' : 'unknown';
    throw new AppError('UNSUPPORTED', `${label}: Ogg ${codec} audio is not supported (Ogg Vorbis is)`);
  }
  if (head.length >= 3 && text(head, 0, 3) === 'ID3') return 'mp3';
  // MPEG audio frame sync: 11 set bits, a valid version and a layer that is not "reserved".
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0) return 'mp3';
  throw new AppError('UNSUPPORTED', `${label}: not a recognised audio file (expected WAV, FLAC, MP3 or Ogg Vorbis)`);
}

function toBlock(result: DecodedBlock): DecodedBlock {
  return { channelData: result.channelData, samplesDecoded: result.samplesDecoded, sampleRate: result.sampleRate, errors: result.errors };
}

export async function createChunkDecoder(container: Exclude<AudioContainer, 'wav'>): Promise<ChunkDecoder> {
  switch (container) {
    case 'mp3': {
      const decoder = new MPEGDecoder();
      await decoder.ready;
      return {
        decode: (chunk) => Promise.resolve(toBlock(decoder.decode(chunk))),
        flush: () => Promise.resolve(null),
        free: () => decoder.free(),
      };
    }
    case 'flac': {
      const decoder = new FLACDecoder();
      await decoder.ready;
      return {
        decode: async (chunk) => toBlock(await decoder.decode(chunk)),
        flush: async () => toBlock(await decoder.flush()),
        free: () => decoder.free(),
      };
    }
    case 'ogg-vorbis': {
      const decoder = new OggVorbisDecoder();
      await decoder.ready;
      return {
        decode: async (chunk) => toBlock(await decoder.decode(chunk)),
        flush: async () => toBlock(await decoder.flush()),
        free: () => decoder.free(),
      };
    }
  }
}

/** Channel average of a decoded block. */
export function blockToMono(block: DecodedBlock): Float32Array {
  const channels = block.channelData.length;
  const n = block.samplesDecoded;
  const first = block.channelData[0];
  if (!first || channels === 0) return new Float32Array(0);
  if (channels === 1) return first.subarray(0, n);
  const out = new Float32Array(n);
  for (const data of block.channelData) for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (data[i] as number);
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / channels;
  return out;
}
