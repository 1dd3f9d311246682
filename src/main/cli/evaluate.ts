import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { performanceFromMidi } from '../../core/music';
import { evaluatePerformance } from '../services/evaluate';
import { EXIT_OK, UsageError, printJson } from './common';
import { importScoreFile, readInputFile } from './import';

export const EVALUATE_USAGE = 'seminote evaluate --score <musicxml|mid> --performance <mid> [--json]';

function round(value: number | null, digits = 1): number | null {
  return value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
}

export async function runEvaluate(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { score: { type: 'string' }, performance: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (!values.score || !values.performance || positionals.length > 0) {
    throw new UsageError(`--score and --performance are required. Usage: ${EVALUATE_USAGE}`);
  }
  if (!/\.midi?$/i.test(values.performance)) {
    throw new AppError('UNSUPPORTED', `${values.performance}: the performance must be a MIDI file (.mid); audio comes with transcription.`);
  }
  const score = importScoreFile(values.score, await readInputFile(values.score, 'score'));
  const performance = performanceFromMidi(await readInputFile(values.performance, 'performance'));
  if (performance.notes.length === 0) throw new AppError('UNSUPPORTED', `${values.performance}: the performance has no notes.`);
  const { summary, verdicts } = evaluatePerformance(score, performance);
  if (values.json) {
    printJson({
      ok: true,
      score: values.score,
      performance: values.performance,
      scoreNotes: score.notes.length,
      performanceNotes: performance.notes.length,
      summary,
      verdicts,
    });
    return EXIT_OK;
  }
  process.stdout.write(
    [
      `${score.title}: ${score.notes.length} score notes, ${performance.notes.length} played`,
      `correct ${summary.correct}, wrong ${summary.wrong}, missed ${summary.missed}, extra ${summary.extra}`,
      `accuracy ${(summary.accuracy * 100).toFixed(1)} %`,
      `timing error: mean ${round(summary.meanAbsTimingErrorMs) ?? '-'} ms, p90 ${round(summary.p90AbsTimingErrorMs) ?? '-'} ms`,
    ].join('\n') + '\n',
  );
  return EXIT_OK;
}
