import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { importScore, summarizeScore } from '../../core/music';
import { EXIT_OK, UsageError, printJson } from './common';

export const IMPORT_USAGE = 'seminote import <file.musicxml|.xml|.mxl|.mid> [--json]';

export async function readInputFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new AppError('NOT_FOUND', `Cannot read ${what} ${path}: ${why}`);
  }
}

/** Errors name the file they are about, whatever the parser said. */
export function importScoreFile(path: string, bytes: Uint8Array) {
  try {
    return importScore(basename(path), bytes);
  } catch (err) {
    if (err instanceof AppError && !err.message.includes(basename(path))) throw new AppError(err.code, `${path}: ${err.message}`);
    throw err;
  }
}

export async function runImport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`expected one file. Usage: ${IMPORT_USAGE}`);
  const path = positionals[0] ?? '';
  const score = importScoreFile(path, await readInputFile(path, 'score'));
  const summary = summarizeScore(score);
  if (values.json) {
    printJson({ ok: true, file: path, summary });
    return EXIT_OK;
  }
  const lines = [
    `${summary.title}${summary.composer ? ` — ${summary.composer}` : ''} (${summary.source})`,
    `parts: ${summary.parts.map((p) => `${p.name || p.id} (${p.staves} staff${p.staves === 1 ? '' : 's'})`).join(', ')}`,
    `measures: ${summary.measures}, notes: ${summary.notes} (right hand ${summary.hands.right}, left hand ${summary.hands.left})`,
    `key signatures (fifths): ${summary.keySignatures.join(', ') || '-'}; time signatures: ${summary.timeSignatures.join(', ') || '-'}`,
    `duration: ${summary.durationSec.toFixed(1)} s`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT_OK;
}
