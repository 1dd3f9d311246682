import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Midi } from '@tonejs/midi';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { importScore } from './import';
import { parseMxl } from './mxl';
import { summarizeScore } from './summary';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(REPO_ROOT, 'test/fixtures/scores', name)));

const CONTAINER = `<?xml version="1.0" encoding="UTF-8"?>
<container><rootfiles><rootfile full-path="score/piece.musicxml" media-type="application/vnd.recordare.musicxml+xml"/></rootfiles></container>`;

function catchAppError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected AppError, got ${String(error)}`);
  }
  throw new Error('expected an error');
}

describe('parseMxl', () => {
  it('reads the root file named by META-INF/container.xml', () => {
    const zip = zipSync({
      'META-INF/container.xml': strToU8(CONTAINER),
      'score/piece.musicxml': fixtureBytes('features.musicxml'),
      'other.musicxml': strToU8('<not-a-score/>'),
    });
    const score = parseMxl(zip);
    expect(score.title).toBe('Feature Study');
    expect(score.notes.length).toBeGreaterThan(5);
  });

  it('names a missing container, a missing root file and a broken zip', () => {
    expect(catchAppError(() => parseMxl(zipSync({ 'piece.musicxml': fixtureBytes('features.musicxml') }))).message).toMatch(
      /no META-INF\/container.xml/,
    );
    expect(catchAppError(() => parseMxl(zipSync({ 'META-INF/container.xml': strToU8(CONTAINER) }))).message).toMatch(
      /lacks its root file score\/piece.musicxml/,
    );
    const zip = zipSync({ 'META-INF/container.xml': strToU8(CONTAINER) });
    expect(catchAppError(() => parseMxl(zip.subarray(0, 30))).code).toBe('PARSE_ERROR');
  });
});

describe('importScore', () => {
  it('dispatches by extension', () => {
    expect(importScore('features.musicxml', fixtureBytes('features.musicxml')).source).toBe('musicxml');
    expect(importScore('features.XML', fixtureBytes('features.musicxml')).source).toBe('musicxml');
    const midi = new Midi();
    midi.addTrack().addNote({ midi: 60, ticks: 0, durationTicks: 480 });
    const fromMidi = importScore('path/to/My Tune.mid', midi.toArray());
    expect(fromMidi.source).toBe('midi');
    expect(fromMidi.title).toBe('My Tune');
  });

  it('sniffs content when the extension says nothing, and names the title after the file', () => {
    const score = importScore('download', fixtureBytes('pickup-dacapo.musicxml'));
    expect(score.source).toBe('musicxml');
    expect(score.title).toBe('download');
  });

  it('gives clear AppErrors for bad files', () => {
    expect(catchAppError(() => importScore('a.mid', strToU8('garbage bytes here'))).message).toMatch(/header MThd missing/);
    expect(catchAppError(() => importScore('a.mxl', strToU8('garbage bytes here'))).message).toMatch(/zip signature/);
    expect(catchAppError(() => importScore('a.musicxml', new Uint8Array(0))).message).toMatch(/empty/);
    expect(catchAppError(() => importScore('a.pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2, 3]))).code).toBe('UNSUPPORTED');
    const garbage = new Uint8Array(256).map((_, i) => (i * 37 + 11) % 256);
    expect(catchAppError(() => importScore('noise.xml', garbage)).code).toBe('PARSE_ERROR');
    const truncated = fixtureBytes('repeats-voltas.musicxml').subarray(0, 700);
    expect(catchAppError(() => importScore('cut.musicxml', truncated)).message).toMatch(/malformed XML at line \d+/);
  });
});

describe('summarizeScore', () => {
  it('summarises the features fixture', () => {
    const summary = summarizeScore(importScore('features.musicxml', fixtureBytes('features.musicxml')));
    expect(summary).toMatchObject({
      title: 'Feature Study',
      composer: 'Test Writer',
      measures: 2,
      keySignatures: [1, 2],
      timeSignatures: ['4/4', '3/4'],
      hands: { right: 9, left: 2 },
    });
    expect(summary.notes).toBe(11);
    // 4 beats at 90 qpm and 3 beats at 60 qpm.
    expect(summary.durationSec).toBeCloseTo(4 * (60 / 90) + 3, 3);
  });
});
