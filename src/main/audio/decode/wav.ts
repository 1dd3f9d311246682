/**
 * WAV (RIFF/WAVE) reading: header parsing and PCM → mono float conversion, so large files can be
 * read in chunks. Integer PCM 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE.
 * Also a small 16-bit/float writer, used by tests and the benchmark.
 */
import { AppError } from '../../../shared/errors';

export interface WavFormat {
  encoding: 'int' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes per frame (all channels). */
  blockAlign: number;
  dataOffset: number;
  /** Bytes of sample data (clamped to the file size for truncated or streaming-written files). */
  dataLength: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

export function looksLikeWav(head: Uint8Array): boolean {
  return head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE';
}

/**
 * Parses the chunks before the sample data. `head` must hold the file's first bytes up to the
 * start of the 'data' chunk (64 KiB is plenty in practice); `fileSize` clamps the data length.
 */
export function parseWavHeader(head: Uint8Array, fileSize: number, label = 'WAV file'): WavFormat {
  if (!looksLikeWav(head)) throw new AppError('PARSE_ERROR', `${label}: not a RIFF/WAVE file`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let offset = 12;
  let format: Omit<WavFormat, 'dataOffset' | 'dataLength'> | null = null;
  while (offset + 8 <= head.length) {
    const id = ascii(head, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.length) throw new AppError('PARSE_ERROR', `${label}: truncated fmt chunk`);
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 26 > head.length) throw new AppError('PARSE_ERROR', `${label}: truncated extensible fmt chunk`);
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      const encoding = tag === WAVE_FORMAT_PCM ? 'int' : tag === WAVE_FORMAT_IEEE_FLOAT ? 'float' : null;
      if (!encoding) throw new AppError('UNSUPPORTED', `${label}: WAV encoding ${tag} is not supported (PCM or IEEE float only)`);
      const validBits = encoding === 'int' ? [8, 16, 24, 32] : [32, 64];
      if (!validBits.includes(bitsPerSample)) {
        throw new AppError('UNSUPPORTED', `${label}: ${bitsPerSample}-bit ${encoding} WAV is not supported`);
      }
      if (channels < 1 || sampleRate < 1 || blockAlign !== (channels * bitsPerSample) / 8) {
        throw new AppError('PARSE_ERROR', `${label}: inconsistent fmt chunk (channels ${channels}, rate ${sampleRate}, block ${blockAlign})`);
      }
      format = { encoding, channels, sampleRate, bitsPerSample, blockAlign };
    } else if (id === 'data') {
      if (!format) throw new AppError('PARSE_ERROR', `${label}: data chunk before fmt chunk`);
      const available = Math.max(0, fileSize - body);
      // 0 or 0xFFFFFFFF: a writer that never patched the size; read to the end of the file.
      const declared = size === 0 || size === 0xffffffff ? available : size;
      const length = Math.min(declared, available);
      return { ...format, dataOffset: body, dataLength: length - (length % format.blockAlign) };
    }
    offset = body + size + (size % 2);
  }
  throw new AppError('PARSE_ERROR', `${label}: no data chunk found`);
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An aligned typed view over 16-bit int or 32/64-bit float samples, when the host allows one. */
function fastSamples(bytes: Uint8Array, format: WavFormat, frames: number): Int16Array | Float32Array | Float64Array | null {
  if (!LITTLE_ENDIAN_HOST) return null;
  const count = frames * format.channels;
  const { bitsPerSample, encoding } = format;
  if (encoding === 'int' && bitsPerSample === 16 && bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, count);
  if (encoding === 'float' && bitsPerSample === 32 && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  if (encoding === 'float' && bitsPerSample === 64 && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, count);
  return null;
}

/** Converts whole frames of sample data to mono (channel average) floats in [-1, 1]. */
export function wavBytesToMono(bytes: Uint8Array, format: WavFormat): Float32Array {
  const frames = Math.floor(bytes.length / format.blockAlign);
  const out = new Float32Array(frames);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { channels, bitsPerSample, encoding } = format;
  const bytesPerSample = bitsPerSample / 8;
  const read = (pos: number): number => {
    if (encoding === 'float') return bitsPerSample === 32 ? view.getFloat32(pos, true) : view.getFloat64(pos, true);
    switch (bitsPerSample) {
      case 8:
        return (view.getUint8(pos) - 128) / 128;
      case 16:
        return view.getInt16(pos, true) / 32768;
      case 24: {
        const value = view.getUint8(pos) | (view.getUint8(pos + 1) << 8) | (view.getInt8(pos + 2) << 16);
        return value / 8388608;
      }
      default:
        return view.getInt32(pos, true) / 2147483648;
    }
  };
  const fast = fastSamples(bytes, format, frames);
  if (fast) {
    // Typed-array view of the interleaved samples: no per-sample DataView calls.
    const scale = encoding === 'float' ? 1 : 1 / 2 ** (bitsPerSample - 1);
    for (let f = 0, i = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += fast[i++] as number;
      out[f] = (sum * scale) / channels;
    }
    return out;
  }
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const base = f * format.blockAlign;
    for (let c = 0; c < channels; c++) sum += read(base + c * bytesPerSample);
    out[f] = sum / channels;
  }
  return out;
}

/** Encodes channels (equal lengths) as a WAV file: 16/24-bit integer or 32-bit float. */
export function encodeWav(channelData: readonly Float32Array[], sampleRate: number, bitsPerSample: 16 | 24 | 32 = 16, float = false): Uint8Array {
  const channels = channelData.length;
  const frames = channelData[0]?.length ?? 0;
  const bytesPerSample = bitsPerSample / 8;
  const blockAlign = channels * bytesPerSample;
  const dataLength = frames * blockAlign;
  const out = new Uint8Array(44 + dataLength);
  const view = new DataView(out.buffer);
  const writeAscii = (pos: number, text: string) => [...text].forEach((ch, i) => view.setUint8(pos + i, ch.charCodeAt(0)));
  writeAscii(0, 'RIFF');
  view.setUint32(4, 36 + dataLength, true);
  writeAscii(8, 'WAVE');
  writeAscii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bitsPerSample, true);
  writeAscii(36, 'data');
  view.setUint32(40, dataLength, true);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) {
      const x = Math.max(-1, Math.min(1, channelData[c]?.[f] ?? 0));
      const pos = 44 + f * blockAlign + c * bytesPerSample;
      if (float) view.setFloat32(pos, x, true);
      else if (bitsPerSample === 16) view.setInt16(pos, Math.round(x * 32767), true);
      else if (bitsPerSample === 24) {
        const v = Math.round(x * 8388607);
        view.setUint8(pos, v & 0xff);
        view.setUint8(pos + 1, (v >> 8) & 0xff);
        view.setUint8(pos + 2, (v >> 16) & 0xff);
      } else view.setInt32(pos, Math.round(x * 2147483647), true);
    }
  }
  return out;
}
