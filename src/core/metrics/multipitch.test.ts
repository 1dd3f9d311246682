import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MultipitchSeries } from './multipitch';
import { evaluateMultipitch, notesToMultipitch } from './multipitch';

const DIR = resolve(process.cwd(), '../shared/data/mir_eval/tests/data/multipitch');

/** mir_eval.io.load_ragged_time_series: time then any number of frequencies; '#' comments. */
function loadSeries(path: string): MultipitchSeries {
  const times: number[] = [];
  const frequencies: number[][] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [time, ...rest] = line.trim().split(/\s+/).map(Number);
    times.push(time as number);
    frequencies.push(rest);
  }
  return { times, frequencies };
}

describe('mir_eval.multipitch regression vectors', () => {
  const ids = readdirSync(DIR)
    .filter((f) => f.startsWith('ref'))
    .map((f) => f.slice(3, -4))
    .sort();
  it('has fixtures', () => expect(ids.length).toBeGreaterThan(0));
  for (const id of ids) {
    it(`matches output${id}.json`, () => {
      const expected = JSON.parse(readFileSync(join(DIR, `output${id}.json`), 'utf8')) as Record<string, number>;
      const scores = evaluateMultipitch(loadSeries(join(DIR, `ref${id}.txt`)), loadSeries(join(DIR, `est${id}.txt`)));
      expect(Object.keys(scores).sort()).toEqual(Object.keys(expected).sort());
      for (const key of Object.keys(expected)) {
        expect(Math.abs((scores[key] as number) - (expected[key] as number)), key).toBeLessThanOrEqual(1e-6);
      }
    });
  }
});

describe('notesToMultipitch', () => {
  it('marks a note active from its onset frame up to (not including) its offset', () => {
    const series = notesToMultipitch([{ onsetSec: 0.02, offsetSec: 0.05, pitchHz: 440 }], 100, 0.08);
    expect(series.times).toHaveLength(8);
    expect(series.frequencies.map((f) => f.length)).toEqual([0, 0, 1, 1, 1, 0, 0, 0]);
  });
  it('scores a transcription against itself as perfect and a semitone off as chroma-wrong', () => {
    const ref = notesToMultipitch([{ onsetSec: 0, offsetSec: 0.5, pitchHz: 440 }], 100);
    expect(evaluateMultipitch(ref, ref)['Accuracy']).toBe(1);
    const sharp = notesToMultipitch([{ onsetSec: 0, offsetSec: 0.5, pitchHz: 466.16 }], 100);
    const scores = evaluateMultipitch(ref, sharp);
    expect(scores['Precision']).toBe(0);
    expect(scores['Substitution Error']).toBe(1);
  });
});
