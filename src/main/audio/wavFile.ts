import { open } from 'node:fs/promises';
import { AppError } from '../../shared';
import type { Hz, Seconds } from '../../shared';

export type WavSampleFormat = 'float32' | 'pcm16';

export interface WavLayout {
  format: WavSampleFormat;
  sampleRate: Hz;
  channels: number;
  bytesPerFrame: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Offsets of the size fields that must be rewritten as the file grows. */
  riffSizeOffset: number;
  dataSizeOffset: number;
  /** The fact chunk's frame count (float files only). */
  factFramesOffset: number | null;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;

/**
 * A RIFF/WAVE header for a file whose data chunk comes last and grows. Float files carry a fact
 * chunk (the spec asks for it on non-PCM data; some readers insist).
 */
export function buildWavHeader(
  format: WavSampleFormat,
  sampleRate: Hz,
  channels: number,
  dataBytes: number,
): { header: Buffer; layout: WavLayout } {
  const isFloat = format === 'float32';
  const bytesPerSample = isFloat ? 4 : 2;
  const bytesPerFrame = bytesPerSample * channels;
  const fmtSize = isFloat ? 18 : 16;
  const factSize = isFloat ? 12 : 0;
  const headerSize = 12 + 8 + fmtSize + factSize + 8;
  const header = Buffer.alloc(headerSize);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(headerSize - 8 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(fmtSize, 16);
  header.writeUInt16LE(isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * bytesPerFrame, 28);
  header.writeUInt16LE(bytesPerFrame, 32);
  header.writeUInt16LE(bytesPerSample * 8, 34);
  let at = 20 + fmtSize;
  if (isFloat) {
    header.writeUInt16LE(0, 36); // cbSize: no extension
    header.write('fact', at, 'ascii');
    header.writeUInt32LE(4, at + 4);
    header.writeUInt32LE(Math.floor(dataBytes / bytesPerFrame), at + 8);
    at += 12;
  }
  header.write('data', at, 'ascii');
  header.writeUInt32LE(dataBytes, at + 4);
  return {
    header,
    layout: {
      format,
      sampleRate,
      channels,
      bytesPerFrame,
      dataOffset: headerSize,
      riffSizeOffset: 4,
      dataSizeOffset: at + 4,
      factFramesOffset: isFloat ? 20 + fmtSize + 8 : null,
    },
  };
}

export interface WavInspection {
  layout: WavLayout;
  /** What the header says. */
  declaredDataBytes: number;
  /** What the file holds, in whole frames (the declared size when other chunks follow the data). */
  actualDataBytes: number;
  /** False when a valid chunk follows the data chunk: then the declared size is trusted. */
  dataIsLast: boolean;
  frames: number;
  duration: Seconds;
}

/**
 * Read a WAV header and compare its sizes with the file's length.
 * @throws AppError PARSE_ERROR when the file is not a PCM16/float32 WAV.
 */
export async function inspectWav(path: string): Promise<WavInspection> {
  const file = await open(path, 'r').catch((error: unknown) => {
    throw new AppError('NOT_FOUND', `Cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await file.read(head, 0, head.length, 0);
    const info = parseHeader(head, size, path);
    const declaredEnd = info.layout.dataOffset + info.declaredDataBytes + (info.declaredDataBytes & 1);
    if (info.declaredDataBytes > 0 && declaredEnd + 8 <= size) {
      // Stale sizes from a crash leave raw samples after the declared end; a well-formed file
      // may instead have another chunk (LIST, id3) there, which must not be swallowed as audio.
      const next = Buffer.alloc(8);
      await file.read(next, 0, 8, declaredEnd);
      const looksLikeChunk = /^[A-Za-z0-9 _]{4}$/.test(next.toString('latin1', 0, 4)) && declaredEnd + 8 + next.readUInt32LE(4) <= size;
      if (looksLikeChunk) {
        const frames = Math.floor(info.declaredDataBytes / info.layout.bytesPerFrame);
        return { ...info, actualDataBytes: frames * info.layout.bytesPerFrame, frames, duration: frames / info.layout.sampleRate, dataIsLast: false };
      }
    }
    return info;
  } finally {
    await file.close();
  }
}

function parseHeader(head: Buffer, fileSize: number, path: string): WavInspection {
  const bad = (why: string) => new AppError('PARSE_ERROR', `${path} is not a readable WAV file: ${why}`);
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw bad('no RIFF/WAVE signature');
  }
  let at = 12;
  let fmt: Omit<WavLayout, 'dataOffset' | 'riffSizeOffset' | 'dataSizeOffset' | 'factFramesOffset'> | null = null;
  let factFramesOffset: number | null = null;
  while (at + 8 <= head.length) {
    const id = head.toString('ascii', at, at + 4);
    const size = head.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      if (at + 24 > head.length) throw bad('truncated fmt chunk');
      const tag = head.readUInt16LE(at + 8);
      const channels = head.readUInt16LE(at + 10);
      const sampleRate = head.readUInt32LE(at + 12);
      const bits = head.readUInt16LE(at + 22);
      const format: WavSampleFormat | null =
        tag === WAVE_FORMAT_IEEE_FLOAT && bits === 32 ? 'float32' : tag === WAVE_FORMAT_PCM && bits === 16 ? 'pcm16' : null;
      if (!format) throw bad(`unsupported sample format (tag ${tag}, ${bits} bits)`);
      if (channels < 1 || sampleRate < 1) throw bad('zero channels or sample rate');
      fmt = { format, sampleRate, channels, bytesPerFrame: (bits / 8) * channels };
    } else if (id === 'fact') {
      factFramesOffset = at + 8;
    } else if (id === 'data') {
      if (!fmt) throw bad('data chunk before fmt chunk');
      const dataOffset = at + 8;
      const available = Math.max(0, fileSize - dataOffset);
      // A header written before a crash may claim 0 or more than exists; the file length decides.
      const wholeFrames = Math.floor(available / fmt.bytesPerFrame);
      const actualDataBytes = wholeFrames * fmt.bytesPerFrame;
      return {
        layout: { ...fmt, dataOffset, riffSizeOffset: 4, dataSizeOffset: at + 4, factFramesOffset },
        declaredDataBytes: size,
        actualDataBytes,
        dataIsLast: true,
        frames: wholeFrames,
        duration: wholeFrames / fmt.sampleRate,
      };
    }
    at += 8 + size + (size & 1);
  }
  throw bad('no data chunk');
}

export interface WavRepair {
  repaired: boolean;
  frames: number;
  duration: Seconds;
}

/**
 * Make a WAV whose writer died mid-take readable: set the RIFF, data and fact sizes from the file
 * length and cut a trailing partial frame. A file that is already consistent is left untouched.
 */
export async function repairWav(path: string): Promise<WavRepair> {
  const info = await inspectWav(path);
  const { layout, actualDataBytes, frames, duration } = info;
  if (!info.dataIsLast) return { repaired: false, frames, duration };
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    const expectedSize = layout.dataOffset + actualDataBytes;
    const header = Buffer.alloc(4);
    const riffSize = expectedSize - 8;
    const current = Buffer.alloc(4);
    await file.read(current, 0, 4, layout.riffSizeOffset);
    let factFrames = frames;
    if (layout.factFramesOffset !== null) {
      const fact = Buffer.alloc(4);
      await file.read(fact, 0, 4, layout.factFramesOffset);
      factFrames = fact.readUInt32LE(0);
    }
    const consistent =
      info.declaredDataBytes === actualDataBytes && current.readUInt32LE(0) === riffSize && factFrames === frames && size === expectedSize;
    if (consistent) return { repaired: false, frames, duration };
    if (size > expectedSize) await file.truncate(expectedSize);
    header.writeUInt32LE(actualDataBytes, 0);
    await file.write(header, 0, 4, layout.dataSizeOffset);
    header.writeUInt32LE(riffSize, 0);
    await file.write(header, 0, 4, layout.riffSizeOffset);
    if (layout.factFramesOffset !== null) {
      header.writeUInt32LE(frames, 0);
      await file.write(header, 0, 4, layout.factFramesOffset);
    }
    await file.datasync();
    return { repaired: true, frames, duration };
  } finally {
    await file.close();
  }
}
