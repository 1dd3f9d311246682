/**
 * §3.1c against the Python decoder on real posteriors: windows of model 0.6.0's output on
 * validation clips where the frame-rise rule fires (fixtures/frame-rise-parity.json, written by
 * models/training/make_decoder_fixture.py). The parity clip beside the model has no such note.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PerformedNote } from '../../shared/performance';
import { decodingConfigFromManifest } from './decoding-config';
import { decodeNotes } from './offline-decoder';
import type { Posteriors } from './posteriors';
import { emptyPosteriors, KEY_COUNT, posteriorFrameAt } from './posteriors';
import { notesFromEvents, StreamingNoteDecoder } from './streaming-decoder';

interface FixtureNote {
  pitch: number;
  onset_s: number;
  offset_s: number;
  velocity: number;
}
interface Fixture {
  keys: number;
  frames: number;
  scale: number;
  decoding: Record<string, number>;
  cases: { source: string; heads: Record<'onset' | 'frame' | 'offset' | 'velocity', string>; notes: FixtureNote[]; streaming_notes: FixtureNote[] }[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'frame-rise-parity.json'), 'utf8')) as Fixture;
const config = decodingConfigFromManifest(fixture.decoding, 100);

function posteriorsOf(c: Fixture['cases'][number]): Posteriors {
  const p = emptyPosteriors(fixture.frames);
  for (const head of ['onset', 'frame', 'offset', 'velocity'] as const) {
    const bytes = Buffer.from(c.heads[head], 'base64');
    for (let t = 0; t < fixture.frames; t++) {
      for (let k = 0; k < fixture.keys; k++) p[head][t * KEY_COUNT + k] = (bytes[t * fixture.keys + k] as number) / fixture.scale;
    }
  }
  return p;
}

function expectSameNotes(ours: PerformedNote[], theirs: FixtureNote[]): void {
  expect(ours.map((n) => [n.pitch, n.velocity])).toEqual(theirs.map((n) => [n.pitch, n.velocity]));
  ours.forEach((n, i) => {
    expect(n.onsetSec).toBeCloseTo(theirs[i]!.onset_s, 9);
    expect(n.offsetSec).toBeCloseTo(theirs[i]!.offset_s, 9);
  });
}

describe('frame-rise onsets on real posteriors: TS decoders equal decode.py', () => {
  it('the fixture exercises the rule: each window has notes only the rule finds', () => {
    for (const c of fixture.cases) {
      const without = decodeNotes(posteriorsOf(c), { ...config, frameOnsetMaxPitch: 0 });
      expect(c.notes.length, c.source).toBeGreaterThan(without.length);
    }
  });

  it.each(fixture.cases.map((c) => [c.source, c] as const))('offline, %s', (_, c) => {
    expectSameNotes(decodeNotes(posteriorsOf(c), config), c.notes);
  });

  it.each(fixture.cases.map((c) => [c.source, c] as const))('streaming, %s', (_, c) => {
    const p = posteriorsOf(c);
    const decoder = new StreamingNoteDecoder(config);
    const events = [];
    for (let t = 0; t < p.frameCount; t++) events.push(...decoder.push(posteriorFrameAt(p, t)).notes);
    events.push(...decoder.flush().notes);
    const ours = notesFromEvents(events);
    expectSameNotes(ours, c.streaming_notes);
  });
});
