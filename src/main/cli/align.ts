import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { performanceFromMidi } from '../../core/music';
import { alignPerformance, type AlignmentPair } from '../../core/follow/align';
import { EXIT_OK, UsageError, printJson } from './common';
import { importScoreFile, readInputFile } from './import';

export const ALIGN_USAGE = 'seminote align --score <musicxml|mid> --performance <mid> [--json]';

/** Counts of an alignment: matches, score notes left unplayed, extra and abandoned played notes. */
export function alignmentSummary(pairs: AlignmentPair[], scoreNotes: number, performanceNotes: number) {
  let matched = 0;
  let unplayed = 0;
  let unmatchedPlayed = 0;
  let abandoned = 0;
  for (const p of pairs) {
    if (p.scoreNoteId !== null && p.performanceIndex !== null) matched++;
    else if (p.scoreNoteId !== null) unplayed++;
    else if (p.abandoned) abandoned++;
    else unmatchedPlayed++;
  }
  return { scoreNotes, performanceNotes, matched, unplayedScoreNotes: unplayed, unmatchedPerformedNotes: unmatchedPlayed, abandonedPerformedNotes: abandoned };
}

/**
 * `seminote align`: the offline note alignment itself (before grading), one pair per score note
 * and per played note; played notes of an attempt the player went back on are `abandoned`.
 */
export async function runAlign(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { score: { type: 'string' }, performance: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (!values.score || !values.performance || positionals.length > 0) {
    throw new UsageError(`--score and --performance are required. Usage: ${ALIGN_USAGE}`);
  }
  if (!/\.midi?$/i.test(values.performance)) {
    throw new AppError('UNSUPPORTED', `${values.performance}: the performance must be a MIDI file (.mid).`);
  }
  const score = importScoreFile(values.score, await readInputFile(values.score, 'score'));
  const bytes = await readInputFile(values.performance, 'performance');
  let performance;
  try {
    performance = performanceFromMidi(bytes);
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `${values.performance}: ${err.message}`);
    throw err;
  }
  if (performance.notes.length === 0) throw new AppError('UNSUPPORTED', `${values.performance}: the performance has no notes.`);
  const pairs = alignPerformance(score, performance);
  const summary = alignmentSummary(pairs, score.notes.length, performance.notes.length);
  if (values.json) {
    printJson({ ok: true, score: values.score, performance: values.performance, summary, pairs });
    return EXIT_OK;
  }
  process.stdout.write(
    [
      `${score.title}: ${summary.scoreNotes} score notes, ${summary.performanceNotes} played`,
      `matched ${summary.matched}, score notes unplayed ${summary.unplayedScoreNotes}, played notes unmatched ${summary.unmatchedPerformedNotes}, abandoned (replayed later) ${summary.abandonedPerformedNotes}`,
    ].join('\n') + '\n',
  );
  return EXIT_OK;
}
