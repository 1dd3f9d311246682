import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TakeRecorder } from './recorder';
import { buildWavHeader, inspectWav, repairWav } from './wavFile';

const RATE = 48_000;
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seminote-rec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function signal(frames: number): Float32Array {
  return Float32Array.from({ length: frames }, (_, i) => 0.6 * Math.sin((2 * Math.PI * 330 * i) / RATE) * Math.cos(i / 5000));
}

async function readSamples(path: string): Promise<Float32Array> {
  const info = await inspectWav(path);
  const bytes = await readFile(path);
  const data = bytes.subarray(info.layout.dataOffset, info.layout.dataOffset + info.actualDataBytes);
  if (info.layout.format === 'float32') return new Float32Array(Uint8Array.from(data).buffer);
  return Float32Array.from({ length: data.length / 2 }, (_, i) => data.readInt16LE(i * 2) / 32767);
}

describe('TakeRecorder', () => {
  it('writes a float32 take bit-exactly, in capture-sized appends', async () => {
    const path = join(dir, 'take.wav');
    const recorder = await TakeRecorder.create({ path, sampleRate: RATE });
    const source = signal(Math.round(1.3 * RATE) + 17);
    for (let start = 0; start < source.length; start += 256) recorder.append(source.subarray(start, start + 256));
    const summary = await recorder.stop();
    expect(summary.frames).toBe(source.length);
    expect(summary.droppedFrames).toBe(0);
    const info = await inspectWav(path);
    expect(info.declaredDataBytes).toBe(source.length * 4);
    expect(info.layout.sampleRate).toBe(RATE);
    expect(await readSamples(path)).toEqual(source);
    expect((await repairWav(path)).repaired).toBe(false);
  });

  it('writes pcm16 within one quantisation step', async () => {
    const path = join(dir, 'take16.wav');
    const recorder = await TakeRecorder.create({ path, sampleRate: RATE, format: 'pcm16' });
    const source = signal(RATE);
    source[100] = 1.5; // over full scale: clamped, not wrapped
    recorder.append(source);
    await recorder.stop();
    const back = await readSamples(path);
    expect(back).toHaveLength(source.length);
    expect(back[100]).toBe(1);
    let worst = 0;
    for (let i = 0; i < source.length; i++) if (i !== 100) worst = Math.max(worst, Math.abs((back[i] as number) - (source[i] as number)));
    expect(worst).toBeLessThan(1 / 32767);
  });

  it('keeps the header in step with the data while the take is running', async () => {
    const path = join(dir, 'live.wav');
    const recorder = await TakeRecorder.create({ path, sampleRate: RATE, blockSeconds: 0.1 });
    recorder.append(signal(Math.round(0.35 * RATE)));
    // Wait for the three full blocks to reach the disk (the partial fourth stays in memory).
    for (let i = 0; i < 100 && recorder.framesOnDisk < 3 * 4800; i++) await new Promise((r) => setTimeout(r, 10));
    const info = await inspectWav(path);
    expect(info.declaredDataBytes).toBe(3 * 4800 * 4);
    expect(info.actualDataBytes).toBe(info.declaredDataBytes);
    await recorder.stop();
    expect((await inspectWav(path)).frames).toBe(Math.round(0.35 * RATE));
  });

  it('never overwrites an existing take', async () => {
    const path = join(dir, 'exists.wav');
    await writeFile(path, 'x');
    await expect(TakeRecorder.create({ path, sampleRate: RATE })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(TakeRecorder.create({ path: join(dir, 'a.wav'), sampleRate: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('repairWav', () => {
  it('fixes stale header sizes and cuts a partial trailing frame', async () => {
    const path = join(dir, 'crashed.wav');
    const { header } = buildWavHeader('float32', RATE, 1, 0); // sizes as at the start of a take
    const samples = signal(12_345);
    await writeFile(path, Buffer.concat([header, Buffer.from(samples.buffer), Buffer.from([1, 2])]));
    const before = await inspectWav(path);
    expect(before.declaredDataBytes).toBe(0);
    expect(before.frames).toBe(12_345);
    const result = await repairWav(path);
    expect(result).toMatchObject({ repaired: true, frames: 12_345 });
    expect(result.duration).toBeCloseTo(12_345 / RATE, 9);
    expect((await stat(path)).size).toBe(header.length + 12_345 * 4);
    const after = await inspectWav(path);
    expect(after.declaredDataBytes).toBe(12_345 * 4);
    expect(await readSamples(path)).toEqual(samples);
    expect((await repairWav(path)).repaired).toBe(false);
  });

  it('does not swallow a chunk that follows the data into the audio', async () => {
    const path = join(dir, 'list.wav');
    const { header } = buildWavHeader('pcm16', RATE, 1, 200);
    const list = Buffer.alloc(8 + 10);
    list.write('LIST', 0, 'ascii');
    list.writeUInt32LE(10, 4);
    await writeFile(path, Buffer.concat([header, Buffer.alloc(200), list]));
    expect(await repairWav(path)).toMatchObject({ repaired: false, frames: 100 });
    expect((await stat(path)).size).toBe(header.length + 200 + 18);
  });

  it('rejects files that are not WAV with PARSE_ERROR and missing files with NOT_FOUND', async () => {
    const path = join(dir, 'not.wav');
    await writeFile(path, 'hello, this is not audio at all');
    await expect(inspectWav(path)).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    const { header } = buildWavHeader('float32', RATE, 1, 0);
    header.writeUInt16LE(24, 34); // 24-bit float is not a format we write or read
    const odd = join(dir, 'odd.wav');
    await writeFile(odd, header);
    await appendFile(odd, Buffer.alloc(12));
    await expect(repairWav(odd)).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    await expect(inspectWav(join(dir, 'missing.wav'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
