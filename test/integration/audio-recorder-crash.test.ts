import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectWav, repairWav } from '../../src/main/audio/wavFile';

const RATE = 48_000;
const BLOCK = 960; // 20 ms, appended every 20 ms like a live capture
const repoRoot = resolve(import.meta.dirname, '../..');

/** The recorded signal; the child and this test compute the same float32 values. */
const SIGNAL_SOURCE = `(k) => Math.fround(0.5 * Math.sin((2 * Math.PI * 440 * k) / ${RATE}) + 0.25 * ((k % 4801) / 4801))`;
const signalAt = new Function(`return ${SIGNAL_SOURCE}`)() as (k: number) => number;

/** Child: record in real time, print progress after each append, wait to be killed. */
function childSource(path: string): string {
  return `
    import { TakeRecorder } from ${JSON.stringify(join(repoRoot, 'src/main/audio/recorder.ts'))};
    const signalAt = ${SIGNAL_SOURCE};
    const recorder = await TakeRecorder.create({ path: ${JSON.stringify(path)}, sampleRate: ${RATE} });
    const block = new Float32Array(${BLOCK});
    let next = 0;
    setInterval(() => {
      for (let i = 0; i < block.length; i++) block[i] = signalAt(next + i);
      recorder.append(block);
      next += block.length;
      process.stdout.write('appended ' + next + '\\n');
    }, 20);
  `;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seminote-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recording survives SIGKILL mid-take', () => {
  it('leaves a WAV that opens (after repair) with all but at most the last second', async () => {
    const path = join(dir, 'take.wav');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childSource(path)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let appendedAtKill = 0;
    await new Promise<void>((done, fail) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const frames = Number(/^appended (\d+)$/.exec(line)?.[1] ?? Number.NaN);
        if (frames >= 2.7 * RATE && appendedAtKill === 0) {
          appendedAtKill = frames;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`child exited without being killed (${signal ?? _code})`))));
    });

    const before = await inspectWav(path);
    const repair = await repairWav(path);
    const after = await inspectWav(path);
    console.log(
      `killed at ${appendedAtKill} frames appended; header said ${before.declaredDataBytes / 4}, file held ${before.frames}; repaired: ${repair.repaired}`,
    );
    expect(after.declaredDataBytes).toBe(after.actualDataBytes);
    // Killed mid-block (2.7 s is not a multiple of the 0.5 s disk block): the partial block is lost.
    // The child may have appended a block or two more between its last line and the kill.
    expect(after.frames).toBeLessThanOrEqual(appendedAtKill + 2 * BLOCK);
    expect(after.frames).toBeGreaterThanOrEqual(appendedAtKill - RATE);
    expect(after.duration).toBeGreaterThan(1.5);

    const bytes = await readFile(path);
    const samples = new Float32Array(Uint8Array.from(bytes.subarray(after.layout.dataOffset)).buffer);
    expect(samples).toHaveLength(after.frames);
    let mismatches = 0;
    for (let k = 0; k < samples.length; k++) if (samples[k] !== signalAt(k)) mismatches++;
    expect(mismatches).toBe(0);
  });
});
