/**
 * `npm run bench` runs every benchmark; `npm run bench <name>` runs one (midi, midi-concurrent, serve, transcription, live, live-capture, live-soak).
 * Each prints its figures and rewrites its own section of docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { writeSection } from './stats';

const DOC = resolve('docs/benchmarks.md');

const BENCHES: Record<string, () => Promise<void>> = {
  midi: async () => {
    const { runMidiLatency } = await import('./midi-latency');
    const r = await runMidiLatency();
    console.log(r.markdown);
    writeSection(DOC, 'midi', r.markdown);
  },
  // 16 takes at 4x each: the note rate of 64 players at once through one serve-mode process.
  'midi-concurrent': async () => {
    const { runMidiLatency } = await import('./midi-latency');
    const r = await runMidiLatency({ sessions: 16, speed: 4 });
    console.log(r.markdown);
    writeSection(DOC, 'midi-concurrent', r.markdown);
  },
  serve: async () => {
    const { runServeStart } = await import('./serve-start');
    const r = await runServeStart();
    console.log(r.markdown);
    writeSection(DOC, 'serve', r.markdown);
  },
  // Scripts of their own (they render audio, load the model, drive the PulseAudio rig); each runs
  // as a child so its exit is its own. They write their figures into their own docs.
  transcription: () => runScript('bench/transcription.ts'),
  live: () => runScript('bench/live.ts'),
  'live-capture': () => runScript('bench/live-capture.ts'),
  // Accelerated hours of audio through the live path; options after `--` (e.g. -- --hours 2).
  'live-soak': () => runScript('bench/live-soak.ts', ['--expose-gc'], process.argv.slice(2).filter((a) => a.startsWith('--') || /^[\d.]+$/.test(a))),
};

function runScript(path: string, nodeFlags: string[] = [], scriptArgs: string[] = []): Promise<void> {
  const r = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', path, ...scriptArgs], { stdio: 'inherit' });
  if (r.status !== 0) return Promise.reject(new Error(`${path} exited ${r.status}`));
  return Promise.resolve();
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--') && !/^[\d.]+$/.test(a));
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  console.log(`\n=== bench ${name} ===`);
  try {
    await BENCHES[name]!();
  } catch (err) {
    failed = true;
    console.error(`bench ${name} failed: ${(err as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
