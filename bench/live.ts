/**
 * Live acoustic-piano benchmark on the PulseAudio rig (no sound card needed):
 *   npx tsx bench/live.ts [--repeats 4] [--minutes 0.5] [--block 256] [--no-write]
 *
 * Piano audio rendered with FluidSynth (a held note under moving ones, repeated) is played into
 * the rig's null sink, captured through naudiodon and transcribed live by AudioNoteSource with the
 * real model (worker: resampler, step model, streaming decoder).
 *  1. Latency from each key onset in the injected audio to the first batch that can carry its
 *     note-on (the model decides frame t once its window, ending 10 ms after t, is in), p50/p95/p99,
 *     split by stage; and onset -> note-on sent for events that match a played note.
 *  2. CPU of the process (capture, worker, onnxruntime threads) while live.
 *  3. Onset F1 against the rendered notes: live streaming vs the offline model (model.onnx, offline
 *     decoder) on the same captured audio.
 *  4. Memory over a run of --minutes.
 * Figures print as Markdown and replace the bench section of docs/live-audio.md.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { onsetPrecisionRecallF1, midiToHz } from '../src/core/metrics/note-metrics';
import type { DecodingConfig } from '../src/core/transcription/decoding-config';
import { decodeNotes } from '../src/core/transcription/offline-decoder';
import { notesFromEvents } from '../src/core/transcription/streaming-decoder';
import type { PerformedNote } from '../src/shared/performance';
import { resample } from '../src/main/audio/decode/resampler';
import { RIG_RATE, acquireRigLock, startPulseRig } from '../src/main/audio/pulseRig';
import { TranscriptionModel } from '../src/main/inference/transcription-model';
import { STAGES, percentiles } from '../src/main/live/latency-log';
import type { Percentiles } from '../src/main/live/latency-log';
import { runLiveTake } from '../src/main/live/live-run';
import type { LiveRunResult } from '../src/main/live/live-run';
import { offlineStreamingDecode } from '../src/main/live/offline-reference';
import { SOUNDFONT, heldNotePhrase, renderPiano } from '../src/main/live/piano-render';
import type { RenderNote } from '../src/main/live/piano-render';
import { numericOption, writeSection } from './stats';
import { defaultModelDir } from '../src/main/cli/transcribe';
import { loadManifest } from '../src/main/inference/manifest';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => numericOption(args, name, fallback);
const REPEATS = Math.round(option('repeats', 4));
const MINUTES = option('minutes', 0.5);
const BLOCK = Math.round(option('block', 256));
const repoRoot = resolve(import.meta.dirname, '..');
const MODEL_DIR = defaultModelDir();
const DOC = resolve(repoRoot, 'docs/live-audio.md');
/**
 * Same probe threshold as test/integration/live-audio.test.ts, for the early 0.1.0 checkpoint only
 * (it decodes almost nothing at its manifest threshold); later models run with their manifest.
 */
const PROBE: Partial<DecodingConfig> = { onsetThreshold: 0.008 };
/** Not a multiple of the 10 ms hop: each repeat's onsets land at a different place in their hop. */
const PHRASE_SEC = 3.2037;

function tiled(phrase: readonly RenderNote[], repeats: number): RenderNote[] {
  return Array.from({ length: repeats }, (_, r) => phrase.map((n) => ({ ...n, onsetSec: n.onsetSec + r * PHRASE_SEC }))).flat();
}

function onsetF1(truth: readonly RenderNote[], shiftSec: number, notes: readonly PerformedNote[]): number {
  const ref = truth.map((n) => ({ onsetSec: n.onsetSec + shiftSec, offsetSec: n.onsetSec + shiftSec + n.durationSec, pitchHz: midiToHz(n.pitch) }));
  const est = notes.map((n) => ({ onsetSec: n.onsetSec, offsetSec: Math.max(n.offsetSec, n.onsetSec + 0.01), pitchHz: midiToHz(n.pitch) }));
  return onsetPrecisionRecallF1(ref, est).fMeasure;
}

const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const row = (label: string, p: Percentiles) => `| ${label} | ${p.count} | ${f(p.p50)} | ${f(p.p95)} | ${f(p.p99)} | ${f(p.max)} |`;

/** Per key onset: the first batch whose newest sample covers the onset's decision frame. */
function onsetLatencies(run: LiveRunResult, truth: readonly RenderNote[], shiftSec: number) {
  const { frameRateHz, decoding, lookAheadSec } = run.source.model;
  // The frame that fires for a note at T stands for T - time_offset_s and exists once its hop is
  // captured, one frame later: the onset is decidable lookAheadSec after T (whole frames).
  const windowFrames = Math.round((lookAheadSec + decoding.timeOffsetSec) * frameRateHz);
  const t0 = run.source.takeStartMs;
  const batches = run.source.latency.batches.toArray().filter((b) => b.inferredMs > b.resampledMs);
  const split: Record<string, number[]> = { total: [], lookahead: [], ...Object.fromEntries(STAGES.map((s) => [s, []])) };
  for (const n of truth) {
    const onsetSec = n.onsetSec + shiftSec;
    const decisionSec = (Math.round((onsetSec - decoding.timeOffsetSec) * frameRateHz) + windowFrames) / frameRateHz;
    const batch = batches.find((b) => (b.capturedMs - t0) / 1000 >= decisionSec);
    if (!batch) continue;
    const onsetMs = t0 + onsetSec * 1000;
    split.total?.push(batch.sentMs - onsetMs);
    split.lookahead?.push(batch.capturedMs - onsetMs);
    split.wait?.push(batch.readMs - batch.capturedMs);
    split.resample?.push(batch.resampledMs - batch.readMs);
    split.infer?.push(batch.inferredMs - batch.resampledMs);
    split.decode?.push(batch.decodedMs - batch.inferredMs);
    split.deliver?.push(batch.sentMs - batch.decodedMs);
  }
  // Note-ons the model placed within 50 ms of a played note of the same pitch.
  const matched = run.source.latency.notes
    .toArray()
    .filter((e) => e.kind === 'on')
    .flatMap((e) => {
      const hit = truth.find((n) => n.pitch === e.pitch && Math.abs(n.onsetSec + shiftSec - e.timeSec) <= 0.05);
      return hit ? [e.sentMs - (t0 + (hit.onsetSec + shiftSec) * 1000)] : [];
    });
  return { split, matched };
}

async function offlineF1(run: LiveRunResult, truth: readonly RenderNote[], shiftSec: number, configs: DecodingConfig[]): Promise<number[]> {
  const model = await TranscriptionModel.load(MODEL_DIR, { mode: 'overlap' });
  try {
    const audio = resample(run.captured, RIG_RATE, model.sampleRate);
    const posteriors = await model.transcribe(audio);
    return configs.map((c) => onsetF1(truth, shiftSec, decodeNotes(posteriors, c)));
  } finally {
    await model.dispose();
  }
}

async function main(): Promise<void> {
  const missing = [SOUNDFONT, join(MODEL_DIR, 'manifest.json')].filter((p) => !existsSync(p));
  const rigProblem = missing.length ? `missing ${missing.join(', ')}` : startPulseRig(repoRoot);
  if (rigProblem) throw new Error(`cannot run: ${rigProblem}`);
  const dir = await mkdtemp(join(tmpdir(), 'seminote-bench-live-'));
  const releaseRig = await acquireRigLock(30 * 60_000);
  try {
    const truth = tiled(heldNotePhrase(), REPEATS);
    const signal = await renderPiano(dir, truth, RIG_RATE);

    // 1-3: latency, CPU, F1 on one take.
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const manifest = await loadManifest(MODEL_DIR);
    const early = manifest.version === '0.1.0';
    const run = await runLiveTake({ modelDir: MODEL_DIR, signal, ...(early ? { decoding: PROBE } : {}), latencyLogSize: 100_000, framesPerBuffer: BLOCK });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100;
    const shiftSec = run.signalOnsetTakeSec - run.signalOnsetSignalSec;
    const { split, matched } = onsetLatencies(run, truth, shiftSec);
    const manifestConfig = manifest.decoding;
    const probeConfig = run.source.model.decoding;
    const liveProbeF1 = onsetF1(truth, shiftSec, notesFromEvents([...run.events, ...run.flushed]));
    const streamManifest = await offlineStreamingDecode(MODEL_DIR, run.captured, RIG_RATE, run.modelFramesTotal, manifestConfig);
    const liveManifestF1 = onsetF1(truth, shiftSec, notesFromEvents(streamManifest.events));
    const [offManifestF1, offProbeF1] = await offlineF1(run, truth, shiftSec, [manifestConfig, probeConfig]);
    const pipeline = run.source.latency.summary().pipeline;
    const lookAheadMs = run.source.model.lookAheadSec * 1000;

    // 4: memory over a longer run (no audio kept, digests off).
    const longSignal = await renderPiano(dir, tiled(heldNotePhrase(), Math.max(1, Math.round((MINUTES * 60) / PHRASE_SEC))), RIG_RATE, 'long');
    const memory: Array<{ sec: number; rssMb: number; heapMb: number }> = [];
    const longStart = performance.now();
    const longCpu = process.cpuUsage();
    const longRun = await runLiveTake({
      modelDir: MODEL_DIR,
      signal: longSignal,
      keepAudio: false,
      framesPerBuffer: BLOCK,
      onSecond: () => {
        const m = process.memoryUsage();
        memory.push({ sec: (performance.now() - longStart) / 1000, rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 });
      },
    });
    const longCpuUsage = process.cpuUsage(longCpu);
    const longCpuPercent = ((longCpuUsage.user + longCpuUsage.system) / 1000 / (performance.now() - longStart)) * 100;
    const settled = memory.filter((m) => m.sec >= 10);
    const firstM = settled[0] ?? memory[0];
    const lastM = settled[settled.length - 1] ?? memory[memory.length - 1];
    const maxRss = Math.max(...memory.map((m) => m.rssMb));

    const md = [
      `Command: \`npx tsx bench/live.ts --repeats ${REPEATS} --minutes ${MINUTES} --block ${BLOCK}\` on ${cpus().length} cores (load ${loadavg()[0]?.toFixed(1)} at the end), model ${manifest.version} (time_offset_s ${manifest.decoding.timeOffsetSec}) ${run.source.model.provider} ` +
        `${run.source.model.sampleRate} Hz hop ${run.source.model.hop}; capture 48 kHz, ${BLOCK}-frame blocks, the worker wakes on each captured block.`,
      '',
      `Take: ${f(run.captured.length / RIG_RATE)} s captured, ${truth.length} key onsets, ${run.modelFramesTotal} model frames, ` +
        `ring overflow ${run.stats.ringOverflowFrames} frames, largest backlog ${f((run.stats.maxBacklogFrames / RIG_RATE) * 1000)} ms.`,
      '',
      '**Key onset in the injected audio -> first batch that can carry its note-on, handed to the session (ms)**',
      '',
      '| stage | n | p50 | p95 | p99 | max |',
      '|---|---|---|---|---|---|',
      row('total (onset -> sent)', percentiles(split.total ?? [])),
      `| model look-ahead (one hop + heads answering late; part of the next row) | - | ${f(lookAheadMs)} | ${f(lookAheadMs)} | ${f(lookAheadMs)} | ${f(lookAheadMs)} |`,
      row('model look-ahead + hop phase + block (onset -> newest sample captured)', percentiles(split.lookahead ?? [])),
      ...STAGES.map((s) => row(s, percentiles(split[s] ?? []))),
      row('every batch: captured -> sent', pipeline),
      row(`matched note-ons: onset -> sent (${early ? 'probe threshold' : 'manifest decoding'})`, percentiles(matched)),
      '',
      `CPU while live (whole process: capture, worker, onnxruntime): ${f(cpuPercent)} % of one core on the short take, ${f(longCpuPercent)} % on the long run.`,
      '',
      `**Onset F1 against the rendered notes, same captured audio** (model ${manifest.version}${early ? ': early checkpoint, ~0 expected, not a quality figure' : ''})`,
      '',
      '| decoding | live streaming | offline (model.onnx, offline decoder) |',
      '|---|---|---|',
      `| manifest thresholds (onset ${manifest.decoding.onsetThreshold}) | ${f(liveManifestF1, 3)} | ${f(offManifestF1 ?? Number.NaN, 3)} |`,
      ...(early ? [`| probe threshold (onset ${PROBE.onsetThreshold}) | ${f(liveProbeF1, 3)} | ${f(offProbeF1 ?? Number.NaN, 3)} |`] : []),
      '',
      `Memory over ${f(MINUTES * 60, 0)} s of live audio (${longRun.modelFramesTotal} model frames, overflow ${longRun.stats.ringOverflowFrames}): ` +
        `RSS ${f(firstM?.rssMb ?? Number.NaN)} MB at 10 s -> ${f(lastM?.rssMb ?? Number.NaN)} MB at the end (max ${f(maxRss)} MB); ` +
        `JS heap ${f(firstM?.heapMb ?? Number.NaN)} -> ${f(lastM?.heapMb ?? Number.NaN)} MB.`,
    ].join('\n');
    console.log(md);
    if (!args.includes('--no-write')) writeSection(DOC, 'live', md);
  } finally {
    releaseRig();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
