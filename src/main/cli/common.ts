/** Shared CLI plumbing: exit codes, error printing, data/renderer locations. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad usage or bad input file. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['SEMINOTE_DATA_DIR'] || join(homedir(), '.seminote');
}

/** The built renderer (`npm run build`); $SEMINOTE_RENDERER_DIR overrides it (tests, packaging). */
export function defaultRendererDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['SEMINOTE_RENDERER_DIR'] || fileURLToPath(new URL('../../../out/renderer', import.meta.url));
}

/** Prints an error (as JSON on stdout when --json, else on stderr) and returns the exit code. */
export function reportError(err: unknown, json: boolean): number {
  const code = err instanceof AppError ? err.code : err instanceof UsageError ? 'INVALID_ARGUMENT' : 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  if (json) process.stdout.write(JSON.stringify({ ok: false, error: { code, message } }, null, 2) + '\n');
  else process.stderr.write(`seminote: ${message}\n`);
  return code === 'INTERNAL' ? EXIT_FAILURE : EXIT_USAGE;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
