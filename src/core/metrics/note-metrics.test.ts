import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { evaluateTranscription, evaluateTranscriptionVelocity, scoreTranscription } from './evaluate';
import type { EvalNote } from './note-metrics';
import { matchNoteOffsets, matchNoteOnsets, matchNotes, precisionRecallF1Overlap } from './note-metrics';
import { velocityPrecisionRecallF1Overlap } from './velocity-metrics';

const MIR_EVAL_DATA = resolve(process.cwd(), '../shared/data/mir_eval/tests/data');
const TOLERANCE = 1e-6;

/** mir_eval.io.load_delimited: whitespace-separated columns, '#' comment lines. */
function loadRows(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.trim().split(/[\s,]+/).map(Number));
}

function loadNotes(path: string): EvalNote[] {
  return loadRows(path).map(([on, off, pitch, velocity]) => ({
    onsetSec: on as number,
    offsetSec: off as number,
    pitchHz: pitch as number,
    ...(velocity === undefined ? {} : { velocity }),
  }));
}

function fixtureTriples(dir: string, refPrefix: string): Array<[string, string, string]> {
  const files = readdirSync(dir).sort();
  const refs = files.filter((f) => f.startsWith(refPrefix));
  return refs.map((ref) => {
    const id = ref.slice(refPrefix.length, -'.txt'.length);
    return [join(dir, ref), join(dir, `est${id}.txt`), join(dir, `output${id}.json`)];
  });
}

function expectScores(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) {
    expect(Math.abs((actual[key] as number) - (expected[key] as number)), key).toBeLessThanOrEqual(TOLERANCE);
  }
}

describe('mir_eval.transcription regression vectors', () => {
  const dir = join(MIR_EVAL_DATA, 'transcription');
  it('has the fixture files', () => expect(existsSync(dir)).toBe(true));
  for (const [refPath, estPath, scorePath] of fixtureTriples(dir, 'ref')) {
    it(`matches ${scorePath.split('/').pop()}`, () => {
      const expected = JSON.parse(readFileSync(scorePath, 'utf8')) as Record<string, number>;
      expectScores(evaluateTranscription(loadNotes(refPath), loadNotes(estPath)), expected);
    });
  }
});

describe('mir_eval.transcription_velocity regression vectors', () => {
  const dir = join(MIR_EVAL_DATA, 'transcription_velocity');
  for (const [refPath, estPath, scorePath] of fixtureTriples(dir, 'ref')) {
    it(`matches ${scorePath.split('/').pop()}`, () => {
      const expected = JSON.parse(readFileSync(scorePath, 'utf8')) as Record<string, number>;
      expectScores(evaluateTranscriptionVelocity(loadNotes(refPath), loadNotes(estPath)), expected);
    });
  }
});

// Cases below are mir_eval's own unit tests (tests/test_transcription*.py), same inputs and answers.
const note = (onsetSec: number, offsetSec: number, pitchHz: number, velocity?: number): EvalNote => ({
  onsetSec,
  offsetSec,
  pitchHz,
  ...(velocity === undefined ? {} : { velocity }),
});
const REF = [note(0.1, 0.3, 220), note(0.3, 0.4, 246.942), note(0.5, 0.6, 277.183), note(0.55, 0.65, 293.665)];
const EST = [
  note(0.12, 0.29, 225),
  note(0.3, 0.34, 246.942),
  note(0.5, 0.6, 500),
  note(0.55, 0.6, 293.665),
  note(0.56, 0.65, 293.665),
];

describe('matching (mir_eval unit cases)', () => {
  it('matches on onset, pitch and offset, or without offsets', () => {
    expect(matchNotes(REF, EST)).toEqual([[0, 0], [3, 3]]);
    expect(matchNotes(REF, EST, { offsetRatio: null })).toEqual([[0, 0], [1, 1], [3, 3]]);
    expect(matchNotes([note(0, 1, 100)], [note(0.05, 1, 100)], { strict: true })).toEqual([]);
  });
  it('matches onsets and offsets alone, strict or not', () => {
    expect(matchNoteOnsets(REF, EST)).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    expect(matchNoteOnsets(REF, EST, { strict: true })).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    expect(matchNoteOffsets(REF, EST)).toEqual([[0, 0], [2, 2], [3, 3]]);
    expect(matchNoteOffsets(REF, EST, { strict: true })).toEqual([[0, 0], [2, 2], [3, 4]]);
  });
  it('gives the scores of mir_eval.transcription.evaluate', () => {
    const scores = evaluateTranscription(REF, EST);
    expect(scores['Precision']).toBeCloseTo(0.4, 12);
    expect(scores['Average_Overlap_Ratio']).toBeCloseTo(0.675, 12);
    expect(scores['F-measure_no_offset']).toBeCloseTo(2 / 3, 12);
    expect(scores['Average_Overlap_Ratio_no_offset']).toBeCloseTo(7 / 12, 12);
    expect(scores['Onset_F-measure']).toBeCloseTo(8 / 9, 12);
    expect(scores['Offset_F-measure']).toBeCloseTo(2 / 3, 12);
  });
  it('finds a maximum matching where greedy assignment would not', () => {
    // Estimate 0 hits both references; estimate 1 hits only reference 0.
    const ref = [note(1.0, 2, 100), note(1.04, 2, 100)];
    const est = [note(1.03, 2, 100), note(0.99, 2, 100)];
    expect(matchNotes(ref, est, { offsetRatio: null })).toHaveLength(2);
  });
});

describe('scores', () => {
  it('velocity metrics rescale then apply the tolerance', () => {
    const ref = [note(0, 1, 100, 10), note(0.5, 0.7, 110, 90), note(1, 2, 80, 110)];
    const est = [note(0, 1, 100, 10), note(0.5, 0.7, 110, 70), note(1, 2, 80, 110)];
    const strictScores = velocityPrecisionRecallF1Overlap(ref, est);
    expect([strictScores.precision, strictScores.recall, strictScores.fMeasure]).toEqual([2 / 3, 2 / 3, 2 / 3]);
    expect(strictScores.averageOverlapRatio).toBeCloseTo(1, 12);
    expect(velocityPrecisionRecallF1Overlap(ref, est, { velocityTolerance: 0.3 }).fMeasure).toBeCloseTo(1, 12);
  });
  it('returns zeros for empty or disjoint inputs', () => {
    expect(precisionRecallF1Overlap([note(0, 1, 100)], [])).toEqual({ precision: 0, recall: 0, fMeasure: 0, averageOverlapRatio: 0 });
    expect(precisionRecallF1Overlap([note(1, 2, 100)], [note(3, 4, 100)]).fMeasure).toBe(0);
  });
  it('rejects invalid notes with a clear error', () => {
    expect(() => precisionRecallF1Overlap([note(1, 1, 100)], [note(0, 1, 100)])).toThrow(AppError);
    expect(() => precisionRecallF1Overlap([note(0, 1, -5)], [note(0, 1, 100)])).toThrow(/pitch/);
  });
  it('scores PerformedNote lists by MIDI pitch', () => {
    const ref = [
      { pitch: 60, onsetSec: 0, offsetSec: 1, velocity: 80 },
      { pitch: 64, onsetSec: 1, offsetSec: 2, velocity: 60 },
    ];
    const est = [
      { pitch: 60, onsetSec: 0.02, offsetSec: 1.01, velocity: 82 },
      { pitch: 65, onsetSec: 1, offsetSec: 2, velocity: 60 },
    ];
    const scores = scoreTranscription(ref, est);
    expect(scores.onsetF1).toBeCloseTo(0.5, 12);
    expect(scores.withOffsetF1).toBeCloseTo(0.5, 12);
  });
});
