import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { decodeAudioFile, decodeAudioStream } from './decode-audio';
import { measureSine, sine } from './signal-test-utils';
import { encodeWav } from './wav';

const FIXTURES = resolve(__dirname, 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'seminote-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTemp(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function expectAppError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

describe('decodeAudioFile: WAV', () => {
  const cases = [
    { name: '16-bit stereo 44.1 kHz', rate: 44100, bits: 16 as const, float: false },
    { name: '24-bit stereo 48 kHz', rate: 48000, bits: 24 as const, float: false },
    { name: '32-bit int stereo 22.05 kHz', rate: 22050, bits: 32 as const, float: false },
    { name: '32-bit float stereo 96 kHz', rate: 96000, bits: 32 as const, float: true },
  ];
  for (const c of cases) {
    it(`decodes ${c.name} to mono 16 kHz keeping frequency and the channel-average amplitude`, async () => {
      const left = sine(440, c.rate, 1, 0.6);
      const right = sine(440, c.rate, 1, 0.2);
      const path = writeTemp(`${c.name.replace(/\W+/g, '-')}.wav`, encodeWav([left, right], c.rate, c.bits, c.float));
      const audio = await decodeAudioFile(path, { targetSampleRate: 16000, chunkBytes: 10000 });
      expect(audio).toMatchObject({ container: 'wav', sourceSampleRate: c.rate, sampleRate: 16000 });
      expect(audio.samples.length).toBe(16000);
      const m = measureSine(audio.samples, 16000, 0.1, 0.9);
      expect(m.frequencyHz).toBeCloseTo(440, 2);
      expect(m.amplitude).toBeCloseTo(0.4, 3);
    });
  }

  it('decodes a real 8 kHz mono file from the research data without resampling artefacts', async () => {
    const path = resolve(process.cwd(), '../shared/data/partitura_testdata/wav/example_linear_equal_temperament_sr8000.wav');
    const audio = await decodeAudioFile(path, { targetSampleRate: 16000 });
    expect(audio.sourceSampleRate).toBe(8000);
    expect(audio.durationSec).toBeCloseTo(4, 3);
    const peak = audio.samples.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(peak).toBeGreaterThan(0.01);
    expect(peak).toBeLessThan(1.1);
  });
});

describe('decodeAudioFile: compressed formats', () => {
  // Expected amplitude: 0.4 as encoded, except the MP3 whose encoder lowered it (lame --decode
  // of the same file measures 0.380 peak).
  for (const [file, container, expected, tolerance] of [
    ['sine440-44k1-stereo.flac', 'flac', 0.4, 0.002],
    ['sine440-44k1-stereo.ogg', 'ogg-vorbis', 0.4, 0.01],
    ['sine440-44k1-stereo.mp3', 'mp3', 0.38, 0.005],
  ] as const) {
    it(`decodes ${container} (stereo 44.1 kHz) to mono 16 kHz`, async () => {
      const audio = await decodeAudioFile(join(FIXTURES, file), { targetSampleRate: 16000, chunkBytes: 4096 });
      expect(audio.container).toBe(container);
      expect(audio.sourceSampleRate).toBe(44100);
      expect(audio.durationSec).toBeGreaterThan(0.95);
      expect(audio.durationSec).toBeLessThan(1.1);
      const m = measureSine(audio.samples, 16000, 0.2, 0.8);
      expect(m.frequencyHz).toBeCloseTo(440, 1);
      expect(Math.abs(m.amplitude - expected)).toBeLessThan(tolerance);
    });
  }
});

describe('decodeAudioFile: bad input', () => {
  it('reports a missing file, an empty file, an unknown format and corrupt data clearly', async () => {
    await expectAppError(decodeAudioFile(join(dir, 'nope.wav'), { targetSampleRate: 16000 }), 'NOT_FOUND', /no such file/);
    await expectAppError(decodeAudioFile(writeTemp('empty.mp3', new Uint8Array(0)), { targetSampleRate: 16000 }), 'PARSE_ERROR', /empty/);
    await expectAppError(
      decodeAudioFile(writeTemp('notes.txt', new TextEncoder().encode('just some text, not audio')), { targetSampleRate: 16000 }),
      'UNSUPPORTED',
      /not a recognised audio file/,
    );
    const garbage = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
    garbage.set([0x66, 0x4c, 0x61, 0x43]); // "fLaC" then noise
    await expectAppError(decodeAudioFile(writeTemp('corrupt.flac', garbage), { targetSampleRate: 16000 }), 'PARSE_ERROR', /no audio could be decoded/);
    const wav = encodeWav([sine(440, 16000, 0.1, 0.5)], 16000);
    await expectAppError(decodeAudioFile(writeTemp('truncated.wav', wav.subarray(0, 30)), { targetSampleRate: 16000 }), 'PARSE_ERROR', /fmt chunk/);
    const adpcm = wav.slice();
    adpcm[20] = 2; // format tag 2 = MS ADPCM
    await expectAppError(decodeAudioFile(writeTemp('adpcm.wav', adpcm), { targetSampleRate: 16000 }), 'UNSUPPORTED', /encoding 2/);
  });

  it('stops with CONFLICT when cancelled and reports progress up to 1', async () => {
    const path = writeTemp('long.wav', encodeWav([sine(440, 16000, 5, 0.5)], 16000));
    const progress: number[] = [];
    const audio = await decodeAudioFile(path, { targetSampleRate: 16000, chunkBytes: 16000, onProgress: (f) => progress.push(f) });
    expect(audio.samples.length).toBe(80000);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress[progress.length - 1]).toBe(1);
    const controller = new AbortController();
    const stream = decodeAudioStream(path, { targetSampleRate: 16000, chunkBytes: 16000, signal: controller.signal });
    const first = await stream.next();
    expect(first.done).toBe(false);
    controller.abort();
    await expectAppError(stream.next(), 'CONFLICT', /cancelled/);
  });
});
