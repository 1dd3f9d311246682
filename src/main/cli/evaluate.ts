/**
 * `seminote evaluate --score <file> --performance <mid|wav|flac|mp3|ogg> [--json] [--model DIR]`
 * A MIDI performance is graded as it is; a recording is first transcribed by the inference worker
 * (the same worker lessons use), then aligned and graded. Prints the breakdown, the ranked
 * feedback and the per-bar tempo (the lesson review), as JSON with --json.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import type { Performance } from '../../shared/performance';
import { performanceFromMidi } from '../../core/music';
import { probeAudioFile } from '../audio/decode/decode-audio';
import { computeReview } from '../services/lessons-review';
import { lessonSourceKind } from '../services/lessons';
import { EXIT_OK, UsageError, printJson } from './common';
import { importScoreFile, readInputFile } from './import';

export const EVALUATE_USAGE = 'seminote evaluate --score <musicxml|mid> --performance <mid|wav|flac|mp3|ogg> [--json] [--model <dir>]';

function round(value: number | null, digits = 1): number | null {
  return value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
}

interface Transcribed {
  performance: Performance;
  transcription: Record<string, unknown>;
}

/** Audio → notes in the inference worker; the model is loaded for this one file and released. */
async function transcribeRecording(path: string, modelOption: string | undefined, progress: boolean): Promise<Transcribed> {
  await probeAudioFile(path); // a bad file fails before the model loads
  const { defaultModelDir } = await import('./transcribe');
  const { TranscriptionWorker } = await import('../inference/transcription-worker');
  const worker = await TranscriptionWorker.start(modelOption ? resolve(modelOption) : defaultModelDir());
  try {
    const result = await worker.transcribeFile(path, progress ? { onProgress: (stage, f) => process.stderr.write(`\r${stage} ${(f * 100).toFixed(0).padStart(3)}%`) } : {});
    if (progress) process.stderr.write('\r\x1b[K');
    return {
      performance: result.performance,
      transcription: {
        model: result.model,
        notes: result.performance.notes.length,
        audioSec: round(result.timings.audioSec, 3),
        totalMs: round(result.timings.totalMs, 1),
        modelLoadMs: round(worker.model.loadMs, 1),
      },
    };
  } finally {
    await worker.dispose();
  }
}

export async function runEvaluate(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { score: { type: 'string' }, performance: { type: 'string' }, json: { type: 'boolean', default: false }, model: { type: 'string' } },
    allowPositionals: true,
  });
  if (!values.score || !values.performance || positionals.length > 0) {
    throw new UsageError(`--score and --performance are required. Usage: ${EVALUATE_USAGE}`);
  }
  let kind: 'midi' | 'audio';
  try {
    kind = lessonSourceKind(values.performance);
  } catch {
    throw new AppError('UNSUPPORTED', `${values.performance}: the performance must be MIDI (.mid) or audio (.wav, .flac, .mp3, .ogg).`);
  }
  const score = importScoreFile(values.score, await readInputFile(values.score, 'score'));
  let performance: Performance;
  let transcription: Record<string, unknown> | null = null;
  if (kind === 'midi') {
    performance = performanceFromMidi(await readInputFile(values.performance, 'performance'));
  } else {
    const path = resolve(values.performance);
    await readInputFile(path, 'performance'); // the same "no such file" message as for MIDI
    ({ performance, transcription } = await transcribeRecording(path, values.model, !values.json && process.stderr.isTTY));
  }
  // A MIDI file without notes is a wrong file; a recording in which nothing was heard is graded
  // (every note missed), which is what happened as far as the app can tell.
  if (performance.notes.length === 0 && kind === 'midi') throw new AppError('UNSUPPORTED', `${values.performance}: the performance has no notes.`);
  const { evaluation, feedback, tempoByBar, writtenQpm } = computeReview(score, performance);
  const { summary, verdicts } = evaluation;
  if (values.json) {
    printJson({
      ok: true,
      score: values.score,
      performance: values.performance,
      performanceKind: kind,
      transcription,
      scoreNotes: score.notes.length,
      performanceNotes: performance.notes.length,
      summary,
      feedback,
      tempoByBar,
      writtenQpm,
      verdicts,
    });
    return EXIT_OK;
  }
  process.stdout.write(
    [
      `${score.title}: ${score.notes.length} score notes, ${performance.notes.length} played${kind === 'audio' ? ' (transcribed)' : ''}`,
      `correct ${summary.correct}, wrong ${summary.wrong}, missed ${summary.missed}, extra ${summary.extra}`,
      `accuracy ${(summary.accuracy * 100).toFixed(1)} %`,
      `timing error: mean ${round(summary.meanAbsTimingErrorMs) ?? '-'} ms, p90 ${round(summary.p90AbsTimingErrorMs) ?? '-'} ms`,
      ...feedback.slice(0, 8).map((f) => `- ${f.text}`),
    ].join('\n') + '\n',
  );
  return EXIT_OK;
}
