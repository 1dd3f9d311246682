/**
 * Live soak: hours of piano audio through the live path — capture ring -> live worker (resampler,
 * step model with carried state, streaming decoder) -> AudioNoteSource -> PracticeSession with the
 * real follower, feedback events and the attempt save at the end — ACCELERATED: a ReplayCapture
 * writes the audio into the ring as fast as the worker drains it, not at wall-clock pace (the sound
 * card and PulseAudio are the only parts left out). Prints RSS and JS heap every simulated 10
 * minutes so memory flatness can be read, and rewrites its section of docs/live-audio.md.
 *
 *   npx tsx bench/live-soak.ts [--hours 2] [--every-min 10] [--no-write]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultModelDir } from '../src/main/cli/transcribe';
import { AudioNoteSource } from '../src/main/live/audioNoteSource';
import { renderPiano } from '../src/main/live/piano-render';
import type { RenderNote } from '../src/main/live/piano-render';
import { ReplayCapture } from '../src/main/live/replay-capture';
import { createServices } from '../src/main/services';
import { createCoreFollower } from '../src/main/services/core-follower';
import { PracticeSession } from '../src/main/services/practice-session';
import type { PracticeOptions } from '../src/shared/practice';
import { numericOption, writeSection } from './stats';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => numericOption(args, name, fallback);
const HOURS = option('hours', 2);
const EVERY_MIN = option('every-min', 10);
const WRITE = !args.includes('--no-write');
const RATE = 48_000;
const LOOP_SEC = 61.37;
const repoRoot = resolve(import.meta.dirname, '..');
const DOC = resolve(repoRoot, 'docs/live-audio.md');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A minute of varied playing (seeded): single notes and chords over the keyboard, mixed velocities. */
function minuteOfPlaying(): RenderNote[] {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const notes: RenderNote[] = [];
  for (let t = 0.2; t < LOOP_SEC - 1; t += 0.18 + random() * 0.4) {
    const voices = random() < 0.2 ? 3 : 1;
    for (let v = 0; v < voices; v++) notes.push({ pitch: 33 + Math.floor(random() * 60), onsetSec: t, durationSec: 0.15 + random() * 0.8, velocity: 40 + Math.floor(random() * 80) });
  }
  return notes;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seminote-soak-'));
  const services = createServices({ dataDir: join(dir, 'data'), watchMidiDevices: false });
  try {
    const rendered = await renderPiano(dir, minuteOfPlaying(), RATE, 'minute');
    const loop = rendered.subarray(0, Math.round(LOOP_SEC * RATE));
    const modelDir = defaultModelDir();
    const capture = new ReplayCapture(RATE);
    const source = await AudioNoteSource.open({ modelDir, sharedCapture: capture, latencyLogSize: 2048 });
    const profile = await services.handlers['profiles.create']({ name: 'Soak' });
    const piece = (await services.handlers['library.list']({}))[0];
    if (!piece) throw new Error('no starter piece');
    const { score } = await services.handlers['library.getScore']({ pieceId: piece.id });
    // The whole piece looped: the follower keeps following for the whole soak.
    const options: PracticeOptions = { mode: 'play-through', hands: 'both', loop: { fromMeasure: 0, toMeasure: score.measures.length - 1 }, tempoFactor: 1, metronome: false };
    let feedback = 0;
    services.events.on('practice.feedback', () => feedback++);
    const session = new PracticeSession({
      sessionId: 'soak',
      profileId: profile.id,
      pieceId: piece.id,
      score,
      options,
      source,
      follower: createCoreFollower(score, options),
      db: services.db,
      events: services.events,
      defer: (job) => setImmediate(job),
    });
    session.start();

    const total = Math.round(HOURS * 3600 * RATE);
    const every = Math.round(EVERY_MIN * 60 * RATE);
    const lines: string[] = [];
    const header = '| simulated min | wall s | speed (x real time) | RSS MB | JS heap MB | model frames | notes sent | feedback events | ring overflow |';
    console.log(`live soak: ${HOURS} h of audio, ACCELERATED (fed as fast as the worker drains the ring, not wall-clock), model ${source.model.modelVersion} (${source.model.provider}), ${cpus().length} cores`);
    console.log(header);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let fed = 0;
    let nextReport = 0;
    while (fed < total || capture.ring.available > 0) {
      if (fed >= nextReport) {
        global.gc?.();
        const m = process.memoryUsage();
        const wall = (performance.now() - started) / 1000;
        const stats = source.stats();
        const line = `| ${(fed / RATE / 60).toFixed(0)} | ${wall.toFixed(0)} | ${wall > 0 ? (fed / RATE / wall).toFixed(1) : '-'} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${stats.modelFrames} | ${stats.notesSent} | ${feedback} | ${stats.ringOverflowFrames} |`;
        console.log(line);
        lines.push(line);
        nextReport += every;
      }
      if (fed >= total) {
        await sleep(5);
        continue;
      }
      const at = fed % loop.length;
      const wrote = capture.feed(loop, at, Math.min(loop.length, at + (total - fed)));
      fed += wrote;
      // Give the worker's batch and the main loop's note delivery their turn.
      await sleep(wrote === 0 ? 2 : 0);
    }
    await source.finish();
    const wallSec = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const attempt = await session.finish({ reason: 'stopped' });
    const m = process.memoryUsage();
    const stats = source.stats();
    const last = `| ${(fed / RATE / 60).toFixed(0)} (end) | ${wallSec.toFixed(0)} | ${(fed / RATE / wallSec).toFixed(1)} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${stats.modelFrames} | ${stats.notesSent} | ${feedback} | ${stats.ringOverflowFrames} |`;
    console.log(last);
    lines.push(last);
    await source.dispose();
    const summary = [
      `Command: \`npx tsx --expose-gc bench/live-soak.ts --hours ${HOURS}\` on ${cpus().length} shared cores (load ${loadavg()[0]?.toFixed(1)} at the end), model ${source.model.modelVersion} (${source.model.provider}).`,
      '',
      `**Accelerated, not wall-clock:** ${(fed / RATE / 3600).toFixed(2)} h of audio (a rendered ${LOOP_SEC} s FluidSynth minute, looped) written into the capture ring as fast as the live worker drained it, through resampler -> step model -> streaming decoder -> AudioNoteSource -> PracticeSession (follower, feedback events, attempt save) in ${(wallSec / 60).toFixed(1)} min of wall time (${(fed / RATE / wallSec).toFixed(1)}x real time, process CPU ${(((cpu.user + cpu.system) / 1000 / (wallSec * 1000)) * 100).toFixed(0)} % of one core). Memory sampled after a forced GC every simulated ${EVERY_MIN} min:`,
      '',
      header,
      '|---|---|---|---|---|---|---|---|---|',
      ...lines,
      '',
      `Attempt saved at the end: ${attempt ? `${attempt.verdicts.length} verdicts` : 'none (no notes)'}.`,
    ].join('\n');
    if (WRITE) writeSection(DOC, 'live-soak', summary);
  } finally {
    services.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
