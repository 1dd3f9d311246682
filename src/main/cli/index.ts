/**
 * `seminote <command>`: bin/seminote.js calls main() through tsx. Each command's module is
 * imported only when used, so one command's missing dependency never breaks the others.
 */
import { AppError } from '../../shared/errors';
import { EXIT_OK, EXIT_USAGE, UsageError, reportError } from './common';

const USAGE = `Seminote — offline piano-practice studio

Usage:
  seminote serve [--port N] [--token T] [--data-dir D] [--open]
      Serve the app on http://127.0.0.1 (random port and token unless given).
      Data dir defaults to $SEMINOTE_DATA_DIR or ~/.seminote; the built UI is read from
      out/renderer (run \`npm run build\` first) or $SEMINOTE_RENDERER_DIR.
  seminote import <file.musicxml|.xml|.mxl|.mid> [--json]
      Parse a score and print its summary (parts, measures, notes, key/time signatures).
  seminote evaluate --score <musicxml|mid> --performance <mid|wav|flac|mp3|ogg> [--json] [--model <dir>]
      Grade a performance against a score (recordings are transcribed first): correct/wrong/
      missed/extra, timing, per-bar results, ranked feedback, tempo per bar, verdicts.
  seminote align --score <musicxml|mid> --performance <mid> [--json]
      Note alignment of a MIDI performance to a score: pairs (score note id, played note index).
  seminote transcribe <audio> -o <out.mid> [--json]
      Transcribe a piano recording to MIDI.
  seminote help
      Show this text.

Exit codes: 0 success, 1 internal error, 2 bad usage or bad input.
`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve')).runServe,
  import: async () => (await import('./import')).runImport,
  evaluate: async () => (await import('./evaluate')).runEvaluate,
  align: async () => (await import('./align')).runAlign,
  transcribe: async () => {
    // Owned by the transcription work; the specifier is a variable so type-checking and the other
    // commands do not depend on that file existing.
    const specifier = './transcribe';
    let mod: { runTranscribe?: Command };
    try {
      mod = (await import(specifier)) as { runTranscribe?: Command };
    } catch (err) {
      throw new AppError('UNSUPPORTED', `The transcribe command is not available in this build (${(err as Error).message}).`);
    }
    if (typeof mod.runTranscribe !== 'function') throw new AppError('UNSUPPORTED', 'The transcribe command is not available in this build.');
    return mod.runTranscribe;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const json = rest.includes('--json');
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`seminote: unknown command "${name}".\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (err) {
    // parseArgs reports unknown or malformed options with these codes: a usage error, not a crash.
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      return reportError(new UsageError(`${(err as Error).message}\nRun "seminote help" for usage.`), json);
    }
    return reportError(err, json);
  }
}
