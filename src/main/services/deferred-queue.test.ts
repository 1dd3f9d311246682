import { describe, expect, it } from 'vitest';
import { DeferredQueue } from './deferred-queue';

describe('DeferredQueue', () => {
  it('runs one job per loop turn, letting other callbacks in between, in order', async () => {
    const q = new DeferredQueue();
    const log: string[] = [];
    q.push(() => log.push('job1'));
    q.push(() => log.push('job2'));
    setImmediate(() => log.push('other'));
    expect(log).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['job1', 'other', 'job2']);
  });

  it('flush() runs what is pending at once and nothing runs twice', async () => {
    const q = new DeferredQueue();
    let runs = 0;
    q.push(() => runs++);
    q.push(() => runs++);
    q.flush();
    expect(runs).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(2);
  });
});
