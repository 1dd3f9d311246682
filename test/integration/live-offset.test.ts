/**
 * The user's latency offset (calibration, settings key audio.latencyOffsetMs) shifts the note times
 * the practice session receives, and nothing else: the same audio through the real live worker and
 * model twice, once with a 250 ms offset, gives the same notes 250 ms earlier. The audio goes in
 * through ReplayCapture (the capture ring without PortAudio), so both takes see identical samples.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelDir } from '../../src/main/cli/transcribe';
import { AudioNoteSource } from '../../src/main/live/audioNoteSource';
import { SOUNDFONT, heldNotePhrase, renderPiano } from '../../src/main/live/piano-render';
import { ReplayCapture } from '../../src/main/live/replay-capture';
import { loadManifest } from '../../src/main/inference/manifest';
import { REPO_ROOT, tempDir } from './helpers';

const RATE = 48_000;
const missing = [SOUNDFONT, resolve(REPO_ROOT, 'models/transcription')].filter((p) => !existsSync(p));
if (missing.length) console.warn(`SKIPPING live offset test: missing ${missing.join(', ')}`);
const dir = tempDir('live-offset');
afterAll(() => dir.remove());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Received = { bytes: number[]; timeSec: number };

async function take(signal: Float32Array, userOffsetSec: number, timeOffsetSec?: number): Promise<Received[]> {
  const capture = new ReplayCapture(RATE);
  const source = await AudioNoteSource.open({
    modelDir: defaultModelDir(),
    sharedCapture: capture,
    userOffsetSec,
    ...(timeOffsetSec !== undefined ? { decoding: { timeOffsetSec } } : {}),
  });
  const received: Received[] = [];
  try {
    source.start({ bytes: (data, timeSec) => received.push({ bytes: Array.from(data), timeSec }), end: () => {} });
    // The worker says where the take starts before audio counts; give it that moment.
    await sleep(200);
    for (let fed = 0; fed < signal.length; ) {
      fed += capture.feed(signal, fed, signal.length);
      await sleep(5);
    }
    while (capture.ring.available > 0) await sleep(10);
    await sleep(200);
    await source.finish();
  } finally {
    await source.dispose();
  }
  return received;
}

describe.skipIf(missing.length > 0)('user latency offset on the live path', () => {
  it('moves every note time by the offset and changes nothing else', { timeout: 120_000 }, async () => {
    const signal = await renderPiano(dir.path, heldNotePhrase(), RATE);
    const plain = await take(signal, 0);
    const shifted = await take(signal, 0.25);
    expect(plain.length).toBeGreaterThan(0);
    expect(shifted.map((r) => r.bytes)).toEqual(plain.map((r) => r.bytes));
    shifted.forEach((r, i) => expect(r.timeSec).toBeCloseTo((plain[i] as Received).timeSec - 0.25, 6));
  });

  it("places live notes with the model's time_offset_s (heads answering late are not a timing error)", { timeout: 120_000 }, async () => {
    // The plain take decodes with the manifest's offset; moving it 20 ms earlier moves every note.
    const manifest = await loadManifest(defaultModelDir());
    const signal = await renderPiano(dir.path, heldNotePhrase(), RATE, 'phrase2');
    const plain = await take(signal, 0);
    const earlier = await take(signal, 0, manifest.decoding.timeOffsetSec - 0.02);
    expect(plain.length).toBeGreaterThan(0);
    expect(earlier.map((r) => r.bytes)).toEqual(plain.map((r) => r.bytes));
    earlier.forEach((r, i) => expect(r.timeSec).toBeCloseTo((plain[i] as Received).timeSec - 0.02, 6));
  });
});
