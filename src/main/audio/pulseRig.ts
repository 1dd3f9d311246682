import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../shared';
import type { Hz, Milliseconds } from '../../shared';

/**
 * Driver for the PulseAudio test rig (scripts/pulse-test-rig.sh): a null sink whose monitor is the
 * default capture source, so sound played into it comes back through PortAudio like a microphone.
 * Used by the audio integration tests and the live-capture benchmark on machines without a sound
 * card; nothing in the app's live path depends on it.
 */

export const RIG_SINK = 'seminote_sink';
export const RIG_RATE: Hz = 48_000;
const execFileAsync = promisify(execFile);

/** Start the rig (idempotent). Returns null when running, or why it cannot run. */
export function startPulseRig(repoRoot: string): string | null {
  try {
    execFileSync('bash', [resolve(repoRoot, 'scripts/pulse-test-rig.sh')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error as Error).message;
  }
}

const RIG_LOCK = join(tmpdir(), 'seminote-pulse-rig.lock');

function lockHolderAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(RIG_LOCK, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Exclusive use of the rig across processes: there is one sink, so two test files (vitest runs
 * files in parallel) or a benchmark playing into it at once hear each other, and the capture test's
 * unplug step takes the sink away from everyone. mkdir is atomic; a lock whose process is gone is
 * taken over. Resolves with the release function.
 */
export async function acquireRigLock(timeoutMs: Milliseconds = 300_000): Promise<() => void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(RIG_LOCK);
      writeFileSync(join(RIG_LOCK, 'pid'), String(process.pid));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(RIG_LOCK, { recursive: true, force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A holder that has not written its pid yet is given a moment before it counts as gone.
    if (!lockHolderAlive()) {
      await new Promise((r) => setTimeout(r, 200));
      if (!lockHolderAlive()) rmSync(RIG_LOCK, { recursive: true, force: true });
      continue;
    }
    if (performance.now() > deadline) throw new AppError('DEVICE_UNAVAILABLE', `The PulseAudio test rig stayed busy for ${timeoutMs} ms (lock ${RIG_LOCK}).`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A pacat playback stream into the rig's sink, kept open so each `play` starts at once instead of
 * paying for a new connection (hundreds of ms on a loaded machine).
 */
export class PulsePlayer {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly clientName: string,
  ) {}

  /** Spawn pacat and wait until its stream exists on the sink. */
  static async open(options: { latencyMs?: Milliseconds; timeoutMs?: Milliseconds } = {}): Promise<PulsePlayer> {
    const clientName = `seminote-player-${process.pid}-${Math.floor(performance.now())}`;
    const child = spawn('pacat', [
      '--playback',
      `--device=${RIG_SINK}`,
      '--format=float32le',
      `--rate=${RIG_RATE}`,
      '--channels=1',
      `--latency-msec=${options.latencyMs ?? 10}`,
      `--client-name=${clientName}`,
    ]);
    child.stderr.resume();
    child.stdout.resume();
    // pacat exits when the sound server goes away: a write then fails with EPIPE, which must not
    // take the process down (it is an unhandled 'error' event otherwise).
    child.stdin.on('error', () => {});
    const deadline = performance.now() + (options.timeoutMs ?? 10_000);
    while (performance.now() < deadline) {
      if (child.exitCode !== null) break;
      const { stdout } = await execFileAsync('pactl', ['list', 'sink-inputs']).catch(() => ({ stdout: '' }));
      if (stdout.includes(clientName)) return new PulsePlayer(child, clientName);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill();
    throw new AppError('DEVICE_UNAVAILABLE', `pacat did not connect to ${RIG_SINK} (is the rig running?)`);
  }

  /**
   * Queue mono float samples at 48 kHz. Returns `performance.now()` taken just before the write,
   * the reference time for latency measurements.
   */
  play(samples: Float32Array): Milliseconds {
    const at = performance.now();
    this.child.stdin.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    return at;
  }

  close(): Promise<void> {
    return new Promise((done) => {
      if (this.child.exitCode !== null) return done();
      this.child.once('exit', () => done());
      this.child.kill();
    });
  }
}
