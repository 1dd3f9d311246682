/**
 * Offline transcription benchmark: `npm run bench transcription` or
 * `npx tsx bench/transcription.ts [--minutes 10] [--model DIR] [--threads N] [--chunk-sec S] [--no-doc]`.
 *
 * Builds a recording of the requested length by concatenating real performance MIDI
 * (../shared/data/vienna4x22/midi, held out of training) and rendering it with FluidSynth
 * (FluidR3_GM, 44.1 kHz stereo, cached in the OS temp dir), then transcribes it through the same
 * path as the app and the CLI (decode + resample, model in a worker, decoding, chords) and prints
 * model load time, real-time factor, CPU time, peak RSS and, as a sanity check, note-onset F1
 * against the MIDI that was rendered. Writes its section of docs/benchmarks.md (unless --no-doc).
 *
 * CPU time (all threads of the process) is reported beside wall time: on the shared machine the
 * wall time mostly measures the other jobs, while CPU time bounds what an idle machine can do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import tonejsMidi from '@tonejs/midi';
import { performedToEvalNotes, scoreTranscription } from '../src/core/metrics/evaluate';
import { writeSection } from './stats';
import { threadCpuSeconds, threadCpuSince } from './thread-cpu';
import { evaluateMultipitch, notesToMultipitch } from '../src/core/metrics/multipitch';
import type { PerformedNote } from '../src/shared/performance';
import { defaultModelDir } from '../src/main/cli/transcribe';
import { TranscriptionWorker } from '../src/main/inference/transcription-worker';

const { Midi } = tonejsMidi;
const MIDI_DIR = resolve(process.cwd(), '../shared/data/vienna4x22/midi');
const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
const GAP_SEC = 1;

/** Concatenates performances (in name order) until `seconds`, truncating the last one. */
function buildPerformance(seconds: number): { midi: Uint8Array; notes: PerformedNote[] } {
  const files = readdirSync(MIDI_DIR).filter((f) => f.endsWith('.mid')).sort();
  const out = new Midi();
  out.header.setTempo(120);
  const track = out.addTrack();
  const notes: PerformedNote[] = [];
  let offset = 0;
  for (const file of files) {
    if (offset >= seconds) break;
    const source = new Midi(readFileSync(join(MIDI_DIR, file)));
    let end = 0;
    for (const t of source.tracks) {
      for (const n of t.notes) {
        const on = offset + n.time;
        const off = Math.min(seconds, on + n.duration);
        if (on >= seconds || off <= on) continue;
        track.addNote({ midi: n.midi, time: on, duration: off - on, velocity: n.velocity });
        notes.push({ pitch: n.midi, onsetSec: on, offsetSec: off, velocity: Math.round(n.velocity * 127) });
        end = Math.max(end, n.time + n.duration);
      }
      for (const cc of t.controlChanges[64] ?? []) {
        if (offset + cc.time < seconds) track.addCC({ number: 64, value: cc.value, time: offset + cc.time });
      }
    }
    // Release the pedal between pieces.
    track.addCC({ number: 64, value: 0, time: Math.min(seconds, offset + end + 0.01) });
    offset += end + GAP_SEC;
  }
  if (offset < seconds) throw new Error(`only ${offset.toFixed(0)} s of MIDI available in ${MIDI_DIR}`);
  return { midi: out.toArray(), notes: notes.sort((a, b) => a.onsetSec - b.onsetSec) };
}

function render(midiPath: string, wavPath: string, seconds: number): void {
  if (existsSync(wavPath) && statSync(wavPath).size > seconds * 44100 * 4 * 0.9) return;
  if (!existsSync(SOUNDFONT)) throw new Error(`soundfont missing: ${SOUNDFONT} (apt-get install fluid-soundfont-gm)`);
  execFileSync('fluidsynth', ['-ni', '-q', '-g', '0.5', '-r', '44100', '-F', wavPath, SOUNDFONT, midiPath], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      model: { type: 'string' },
      threads: { type: 'string' },
      'chunk-sec': { type: 'string' },
      'no-doc': { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.minutes) * 60;
  const threads = values.threads ? Number(values.threads) : undefined;
  const chunkSec = values['chunk-sec'] ? Number(values['chunk-sec']) : undefined;
  const modelDir = values.model ? resolve(values.model) : defaultModelDir();
  const cache = join(tmpdir(), 'seminote-bench');
  mkdirSync(cache, { recursive: true });
  const midiPath = join(cache, `vienna-${seconds}s.mid`);
  const wavPath = join(cache, `vienna-${seconds}s-fluidr3-44k1.wav`);
  const { midi, notes } = buildPerformance(seconds);
  writeFileSync(midiPath, midi);
  const renderStart = performance.now();
  render(midiPath, wavPath, seconds);
  const renderMs = performance.now() - renderStart;

  const startMs = performance.now();
  const worker = await TranscriptionWorker.start(modelDir, { provider: 'auto', ...(threads ? { intraOpThreads: threads } : {}) });
  const startupMs = performance.now() - startMs;
  try {
    const loadBefore = loadavg()[0] ?? 0;
    const cpuBefore = process.cpuUsage();
    const threadsBefore = threadCpuSeconds();
    const result = await worker.transcribeFile(wavPath, chunkSec ? { chunking: { chunkSec } } : {});
    const busiest = threadCpuSince(threadsBefore, threadCpuSeconds());
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    const t = result.timings;
    const idleEstimate = Math.max(busiest[0] ?? 0, cpuSec / 2);
    const scores = scoreTranscription(notes, result.performance.notes);
    const frames = evaluateMultipitch(
      notesToMultipitch(performedToEvalNotes(notes), 100, t.audioSec),
      notesToMultipitch(performedToEvalNotes(result.performance.notes), 100, t.audioSec),
    );
    const frameF1 = (2 * (frames['Precision'] ?? 0) * (frames['Recall'] ?? 0)) / ((frames['Precision'] ?? 0) + (frames['Recall'] ?? 0) || 1);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) at the end`;
    const settings = `onnxruntime intra-op threads ${threads ?? `${Math.min(2, cpus().length)} (the worker's default)`}, chunks of ${chunkSec ?? 10} s`;
    const lines = [
      `machine: ${cpus().length} CPUs, ${load} — wall times scale with contention`,
      `model: ${modelDir} (${worker.model.name} ${worker.model.version}) on ${worker.model.provider}; ${settings}`,
      `audio: ${wavPath} — ${t.audioSec.toFixed(1)} s, 44.1 kHz stereo (rendered in ${(renderMs / 1000).toFixed(1)} s${renderMs < 1000 ? ', cached' : ''})`,
      `model load: ${worker.model.loadMs.toFixed(0)} ms in the worker (sha256 + session), ${startupMs.toFixed(0)} ms including worker start`,
      `decode + resample: ${(t.decodeMs / 1000).toFixed(2)} s (decode thread, beside inference)`,
      `inference: ${(t.inferenceMs / 1000).toFixed(2)} s (${(t.audioSec / (t.inferenceMs / 1000)).toFixed(1)}x real time)`,
      `notes/pedal/chords: ${(t.postprocessMs / 1000).toFixed(2)} s`,
      `total: ${(t.totalMs / 1000).toFixed(2)} s -> ${t.speedVsRealTime.toFixed(1)}x real time, real-time factor ${t.realTimeFactor.toFixed(4)}`,
      `CPU time: ${cpuSec.toFixed(2)} s over all threads (${(t.audioSec / cpuSec).toFixed(1)}x real time per CPU-second); ` +
        `busiest threads ${busiest.slice(0, 4).map((s) => s.toFixed(2)).join(', ')} s`,
      `idle 2-core estimate: ${idleEstimate.toFixed(2)} s -> ${(t.audioSec / idleEstimate).toFixed(1)}x real time ` +
        `(the larger of the busiest thread's CPU time and half the total: what is left when no other job competes)`,
      `peak RSS (process incl. worker): ${peakRssMb.toFixed(0)} MB`,
      `notes: ${result.performance.notes.length} transcribed vs ${notes.length} rendered; onset F1 ${(scores.onsetF1 * 100).toFixed(1)} % ` +
        `(P ${(scores.onsetPrecision * 100).toFixed(1)}, R ${(scores.onsetRecall * 100).toFixed(1)}), with offsets ${(scores.withOffsetF1 * 100).toFixed(1)} % ` +
        `(offsets not pedal-extended), frame F1 ${(frameF1 * 100).toFixed(1)} %; sanity only: FluidR3 is a training timbre`,
    ];
    if (!values['no-doc']) {
      const command = `npm run bench transcription${threads ? ` -- --threads ${threads}` : ''}`;
      const rows = [
        ['model', `${worker.model.name} ${worker.model.version} (${worker.model.provider})`],
        ['audio', `${t.audioSec.toFixed(1)} s, 44.1 kHz stereo WAV (FluidSynth render of vienna4x22 performances)`],
        ['model load', `${worker.model.loadMs.toFixed(0)} ms (${startupMs.toFixed(0)} ms with worker start)`],
        ['decode + resample (own thread, wall)', `${(t.decodeMs / 1000).toFixed(2)} s`],
        ['inference', `${(t.inferenceMs / 1000).toFixed(2)} s (${(t.audioSec / (t.inferenceMs / 1000)).toFixed(1)}x)`],
        ['total wall time', `${(t.totalMs / 1000).toFixed(2)} s = **${t.speedVsRealTime.toFixed(1)}x real time** (target >= 100x on 2 cores)`],
        ['CPU time, all threads', `${cpuSec.toFixed(2)} s (${(t.audioSec / cpuSec).toFixed(1)}x real time per CPU-second)`],
        ['CPU time, busiest threads', `${busiest.slice(0, 3).map((s) => `${s.toFixed(2)} s`).join(', ')}`],
        ['idle 2-core estimate', `${idleEstimate.toFixed(2)} s = ${(t.audioSec / idleEstimate).toFixed(1)}x real time (max of busiest thread, total CPU / 2)`],
        ['peak RSS', `${peakRssMb.toFixed(0)} MB`],
        ['onset F1 (sanity, training timbre)', `${(scores.onsetF1 * 100).toFixed(1)} %`],
      ];
      writeSection(
        resolve('docs/benchmarks.md'),
        'transcription',
        [
          '## Offline transcription speed (10-minute recording)',
          '',
          `Command: \`${command}\` (bench/transcription.ts). ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
            `${cpus().length} CPUs shared with other jobs (${load}); ${settings}.`,
          '',
          '| | |',
          '| --- | --- |',
          ...rows.map(([k, v]) => `| ${k} | ${v} |`),
          '',
          'Wall times on this shared machine mostly measure the other jobs; CPU time is the steadier figure.',
        ].join('\n'),
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await worker.dispose();
  }
}

await main();
