/**
 * Per-thread CPU time of this process from /proc (Linux), so a benchmark on a shared machine can
 * tell the work on its critical path (the busiest thread) from the wall time the other jobs stretch.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SEC = 100; // USER_HZ on Linux

/** CPU seconds (user + system) of each live thread, by thread id; empty where /proc is missing. */
export function threadCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync('/proc/self/task')) return out;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the ")" that closes the thread name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** CPU seconds each thread used since `before` (threads started since then count from 0), busiest first. */
export function threadCpuSince(before: Map<string, number>, after: Map<string, number>): number[] {
  return [...after].map(([tid, sec]) => sec - (before.get(tid) ?? 0)).filter((sec) => sec > 0.005).sort((a, b) => b - a);
}
