import { describe, expect, it } from 'vitest';
import { JobRunner } from './runner';
import type { JobOutcome } from './runner';

/** Work that ends when released or when aborted (as real cancellable work does). */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  const work = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      void opened.then(resolve);
    });
  return { release, work };
}

describe('JobRunner', () => {
  it('runs one job per kind at a time, in order, and kinds side by side', async () => {
    const runner = new JobRunner();
    const log: string[] = [];
    const a = gate();
    const b = gate();
    const first = runner.enqueue({ kind: 'cpu', key: 'a', run: async ({ signal }) => {
        log.push('a start');
        await a.work(signal);
        log.push('a end');
      },
    });
    const second = runner.enqueue({ kind: 'cpu', key: 'b', run: async () => void log.push('b start') });
    const other = runner.enqueue({ kind: 'io', key: 'c', run: async ({ signal }) => {
        log.push('c start');
        await b.work(signal);
      },
    });
    await Promise.resolve();
    expect(log).toEqual(['a start', 'c start']);
    expect(runner.isRunning('a') && !runner.isRunning('b')).toBe(true);
    a.release();
    b.release();
    expect(await first).toEqual({ status: 'done' });
    expect(await second).toEqual({ status: 'done' });
    expect(await other).toEqual({ status: 'done' });
    expect(log).toEqual(['a start', 'c start', 'a end', 'b start']);
  });

  it('survives a failing job: it ends failed with its message and the next one runs', async () => {
    const runner = new JobRunner();
    const ends: JobOutcome[] = [];
    const failing = runner.enqueue({ kind: 'cpu', key: 'x', run: () => Promise.reject(new Error('bad file')), onEnd: (o) => ends.push(o) });
    const next = runner.enqueue({ kind: 'cpu', key: 'y', run: async () => undefined });
    expect(await failing).toEqual({ status: 'failed', error: 'bad file' });
    expect(await next).toEqual({ status: 'done' });
    expect(ends).toEqual([{ status: 'failed', error: 'bad file' }]);
    expect(runner.has('x')).toBe(false);
  });

  it('cancels a running job through its signal and drops a queued one without running it', async () => {
    const runner = new JobRunner();
    const g = gate();
    let queuedRan = false;
    const running = runner.enqueue({ kind: 'cpu', key: 'r', run: ({ signal }) => g.work(signal) });
    const queued = runner.enqueue({ kind: 'cpu', key: 'q', run: async () => void (queuedRan = true) });
    expect(await runner.cancel('q')).toEqual({ status: 'cancelled' });
    expect(await runner.cancel('r')).toEqual({ status: 'cancelled' });
    expect(await running).toEqual({ status: 'cancelled' });
    expect(await queued).toEqual({ status: 'cancelled' });
    expect(queuedRan).toBe(false);
    expect(runner.cancel('r')).toBeNull();
  });

  it('refuses a duplicate key and cancels everything on stopAll', async () => {
    const runner = new JobRunner();
    const g = gate();
    const job = runner.enqueue({ kind: 'cpu', key: 'k', run: ({ signal }) => g.work(signal) });
    expect(() => runner.enqueue({ kind: 'cpu', key: 'k', run: async () => undefined })).toThrow(/already queued/);
    await runner.stopAll();
    expect(await job).toEqual({ status: 'cancelled' });
    expect(await runner.enqueue({ kind: 'cpu', key: 'late', run: async () => undefined })).toEqual({ status: 'cancelled' });
  });
});
