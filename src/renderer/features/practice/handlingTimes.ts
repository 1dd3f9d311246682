/**
 * How long the UI takes to apply each live feedback event (recolour + cursor), kept in a fixed
 * ring so a long session does not grow memory. Diagnostics shows the percentiles.
 */
export class HandlingTimes {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;

  constructor(capacity = 4096) {
    this.samples = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }

  /** p50 / p95 / max over the retained samples, or null when there are none. */
  summary(): { count: number; p50: number; p95: number; max: number } | null {
    if (this.count === 0) return null;
    const sorted = Array.from(this.samples.subarray(0, this.count)).sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { count: this.count, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
  }
}

/** One shared instance: the practice view writes, Diagnostics reads. */
export const feedbackHandlingTimes = new HandlingTimes();
