/**
 * Mutation tests: damaged versions of valid files must either import into a well-formed score
 * or fail with an AppError, never with a TypeError or another raw exception.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Midi } from '@tonejs/midi';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { importScore } from './import';
import { findScoreProblem } from './validate';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** Small deterministic generator (mulberry32) so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBER_REPLACEMENTS = ['0', '-1', '1e9', 'abc', '', '2.5', '99999999999'];

/** One structural damage to MusicXML text: drop an element, garble a number, or cut the file. */
function mutateXml(xml: string, next: () => number): string {
  const choice = Math.floor(next() * 4);
  if (choice === 0) {
    const tags = [...xml.matchAll(/<([a-z-]+)[^>]*>[^<]*<\/\1>|<[a-z-]+[^>]*\/>/g)];
    const hit = tags[Math.floor(next() * tags.length)];
    if (hit?.index !== undefined) return xml.slice(0, hit.index) + xml.slice(hit.index + hit[0].length);
  }
  if (choice === 1 || choice === 2) {
    const numbers = [...xml.matchAll(/>(-?\d+(?:\.\d+)?)</g)];
    const hit = numbers[Math.floor(next() * numbers.length)];
    if (hit?.index !== undefined) {
      const replacement = NUMBER_REPLACEMENTS[Math.floor(next() * NUMBER_REPLACEMENTS.length)] as string;
      return `${xml.slice(0, hit.index + 1)}${replacement}${xml.slice(hit.index + hit[0].length - 1)}`;
    }
  }
  const attrs = [...xml.matchAll(/="([^"]*)"/g)];
  const hit = attrs[Math.floor(next() * attrs.length)];
  if (choice === 3 && hit?.index !== undefined) {
    const replacement = ['', '0', 'yes', 'x', '-5', '1, 2, 3'][Math.floor(next() * 6)] as string;
    return `${xml.slice(0, hit.index + 2)}${replacement}${xml.slice(hit.index + hit[0].length - 1)}`;
  }
  return xml.slice(0, Math.floor(next() * xml.length));
}

function outcome(fileName: string, bytes: Uint8Array): string | null {
  try {
    const problem = findScoreProblem(importScore(fileName, bytes));
    return problem === null ? null : `imported but ${problem}`;
  } catch (error) {
    return error instanceof AppError ? null : `raw ${String(error)}`;
  }
}

const FIXTURES = ['features.musicxml', 'repeats-voltas.musicxml', 'pickup-dacapo.musicxml', 'two-parts.musicxml'];

describe('damaged input never crashes the importer', () => {
  it('survives 400 mutations of the MusicXML fixtures (1 to 3 damages each)', () => {
    const next = random(20261127);
    const failures: string[] = [];
    for (let round = 0; round < 400; round++) {
      const name = FIXTURES[round % FIXTURES.length] as string;
      let xml = readFileSync(resolve(REPO_ROOT, 'test/fixtures/scores', name), 'utf8');
      const damages = 1 + Math.floor(next() * 3);
      for (let d = 0; d < damages; d++) xml = mutateXml(xml, next);
      const problem = outcome(name, strToU8(xml));
      if (problem) failures.push(`round ${round} (${name}): ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('survives byte corruption of MIDI and MXL files', () => {
    const next = random(42);
    const midi = new Midi();
    const track = midi.addTrack();
    for (let i = 0; i < 40; i++) track.addNote({ midi: 48 + (i % 24), ticks: i * 240, durationTicks: 240 });
    track.addCC({ number: 64, ticks: 100, value: 1 });
    const midiBytes = midi.toArray();
    const mxlBytes = zipSync({
      'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="a.xml"/></rootfiles></container>'),
      'a.xml': new Uint8Array(readFileSync(resolve(REPO_ROOT, 'test/fixtures/scores/features.musicxml'))),
    });
    const failures: string[] = [];
    for (let round = 0; round < 300; round++) {
      const [name, original] = round % 2 === 0 ? ['take.mid', midiBytes] : ['score.mxl', mxlBytes];
      const bytes = original.slice();
      const flips = 1 + Math.floor(next() * 8);
      for (let f = 0; f < flips; f++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const cut = next() < 0.3 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
      const problem = outcome(name, cut);
      if (problem) failures.push(`round ${round} (${name}): ${problem}`);
    }
    expect(failures).toEqual([]);
  });
});
