/**
 * `seminote transcribe <audio> -o <out.mid> [--json] [--model DIR] [--provider auto|cpu|cuda]`
 * Decodes the recording, runs the model in a worker thread, writes MIDI (notes + CC64 pedal) and
 * prints notes, pedal, chords and timings (JSON on stdout with --json).
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performanceToMidi } from '../../core/transcription/midi-export';
import { AppError } from '../../shared/errors';
import { probeAudioFile } from '../audio/decode/decode-audio';
import type { TranscriptionResult } from '../inference/pipeline';
import { parseProviderPreference } from '../inference/providers';
import { TranscriptionWorker } from '../inference/transcription-worker';
import { EXIT_OK, UsageError, printJson, reportError } from './common';

export const TRANSCRIBE_USAGE = 'seminote transcribe <audio> -o <out.mid> [--json] [--model <dir>] [--provider auto|cpu|cuda]';

/**
 * models/transcription is found by walking up from this module: from the sources it is three
 * levels up, from an electron-vite build (out/main/...) a different number, so no fixed path.
 */
function findModelsRoot(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'models', 'transcription');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(start, 'models', 'transcription');
    dir = parent;
  }
}

const MODELS_ROOT = findModelsRoot(fileURLToPath(new URL('.', import.meta.url)));

function versionKey(version: string): number[] {
  return version.split(/[.-]/).map((part) => (/^\d+$/.test(part) ? Number(part) : -1));
}

function compareVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const diff = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.localeCompare(b);
}

/** $SEMINOTE_MODEL_DIR, else the highest version under models/transcription that has a manifest. */
export function defaultModelDir(env: NodeJS.ProcessEnv = process.env, root = MODELS_ROOT): string {
  const fromEnv = env['SEMINOTE_MODEL_DIR'];
  if (fromEnv) return fromEnv;
  const versions = existsSync(root)
    ? readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'manifest.json')))
        .map((d) => d.name)
        .sort(compareVersions)
    : [];
  const latest = versions[versions.length - 1];
  if (!latest) throw new AppError('NOT_FOUND', `no transcription model found under ${root} (set --model or SEMINOTE_MODEL_DIR)`);
  return join(root, latest);
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

export function transcriptionJson(result: TranscriptionResult, input: string, output: string | null): Record<string, unknown> {
  const t = result.timings;
  return {
    ok: true,
    input,
    output,
    model: result.model,
    source: result.source,
    durationSec: round(result.performance.durationSec, 3),
    notes: result.performance.notes.map((n) => ({ onsetSec: round(n.onsetSec), offsetSec: round(n.offsetSec), pitch: n.pitch, velocity: n.velocity })),
    pedal: result.performance.pedal.map((p) => ({ timeSec: round(p.timeSec), value: p.value })),
    chords: result.chords.map((c) => ({ ...c, startSec: round(c.startSec), endSec: round(c.endSec), confidence: round(c.confidence, 3) })),
    timings: {
      decodeMs: round(t.decodeMs, 1),
      inferenceMs: round(t.inferenceMs, 1),
      postprocessMs: round(t.postprocessMs, 1),
      totalMs: round(t.totalMs, 1),
      audioSec: round(t.audioSec, 3),
      realTimeFactor: round(t.realTimeFactor, 5),
      speedVsRealTime: round(t.speedVsRealTime, 1),
    },
  };
}

const TRANSCRIBE_OPTIONS = {
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean', default: false },
  model: { type: 'string' },
  provider: { type: 'string' },
} as const;

function parseTranscribeArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: TRANSCRIBE_OPTIONS, allowPositionals: true });
  } catch (error) {
    // node:util reports unknown or malformed options as TypeErrors with ERR_PARSE_ARGS_* codes.
    throw new UsageError(`${(error as Error).message}. Usage: ${TRANSCRIBE_USAGE}`);
  }
}

export async function runTranscribe(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  let worker: TranscriptionWorker | null = null;
  try {
    const { values, positionals } = parseTranscribeArgs(argv);
    if (positionals.length !== 1) throw new UsageError(`expected one audio file. Usage: ${TRANSCRIBE_USAGE}`);
    if (!values.output && !values.json) throw new UsageError(`missing -o <out.mid>. Usage: ${TRANSCRIBE_USAGE}`);
    const input = resolve(positionals[0] ?? '');
    const output = values.output ? resolve(values.output) : null;
    const provider = parseProviderPreference(values.provider);
    await probeAudioFile(input); // a bad file fails before the model loads
    const modelDir = values.model ? resolve(values.model) : defaultModelDir();
    worker = await TranscriptionWorker.start(modelDir, { provider });
    const showProgress = !json && process.stderr.isTTY;
    const result = await worker.transcribeFile(input, {
      ...(showProgress ? { onProgress: (stage, f) => process.stderr.write(`\r${stage} ${(f * 100).toFixed(0).padStart(3)}%`) } : {}),
    });
    if (showProgress) process.stderr.write('\r\x1b[K');
    if (output) {
      try {
        await writeFile(output, performanceToMidi(result.performance));
      } catch (error) {
        throw new AppError('INVALID_ARGUMENT', `cannot write ${output}: ${(error as Error).message}`);
      }
    }
    if (json) {
      printJson({ ...transcriptionJson(result, input, output), modelLoadMs: round(worker.model.loadMs, 1) });
    } else {
      const t = result.timings;
      process.stdout.write(
        [
          `${result.performance.notes.length} notes, ${result.performance.pedal.length} pedal events, ${result.chords.length} chord labels over ${t.audioSec.toFixed(1)} s`,
          `chords: ${result.chords.slice(0, 16).map((c) => c.symbol).join(' ')}${result.chords.length > 16 ? ' ...' : ''}`,
          `model ${result.model.name} ${result.model.version} on ${result.model.provider} (loaded in ${worker.model.loadMs.toFixed(0)} ms)`,
          `decode ${t.decodeMs.toFixed(0)} ms, inference ${t.inferenceMs.toFixed(0)} ms, total ${t.totalMs.toFixed(0)} ms: ${t.speedVsRealTime.toFixed(1)}x real time (RTF ${t.realTimeFactor.toFixed(4)})`,
          output ? `wrote ${output}` : '',
        ]
          .filter(Boolean)
          .join('\n') + '\n',
      );
    }
    return EXIT_OK;
  } catch (error) {
    return reportError(error, json);
  } finally {
    await worker?.dispose();
  }
}
