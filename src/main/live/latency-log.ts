/**
 * Per-stage latency records of the live audio path, kept in a fixed ring of the last N entries so a
 * long take cannot grow memory. Diagnostics and bench/live.ts read summaries from it.
 *
 * All stamps are `performance.now()` ms on the main thread's clock (worker stamps are converted).
 */

export interface StageStamps {
  /** Capture time of the newest sample the decision could see (end of the batch). */
  capturedMs: number;
  /** The worker took the samples out of the ring. */
  readMs: number;
  resampledMs: number;
  inferredMs: number;
  decodedMs: number;
  /** The main thread handed the event (or batch) on. */
  sentMs: number;
}

export interface NoteLatencyRecord extends StageStamps {
  kind: 'on' | 'off';
  pitch: number;
  /** Seconds since the take started, on the capture clock (what the sink gets). */
  timeSec: number;
  /** Capture time of the audio at `timeSec`: where the model places the key onset. */
  onsetCapturedMs: number;
}

export const STAGES = ['wait', 'resample', 'infer', 'decode', 'deliver'] as const;
export type Stage = (typeof STAGES)[number];

/** Duration of each stage, ms: captured->read, read->resampled, ... decoded->sent. */
export function stageDurations(s: StageStamps): Record<Stage, number> {
  return {
    wait: s.readMs - s.capturedMs,
    resample: s.resampledMs - s.readMs,
    infer: s.inferredMs - s.resampledMs,
    decode: s.decodedMs - s.inferredMs,
    deliver: s.sentMs - s.decodedMs,
  };
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles; NaN figures for an empty list. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number));
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN };
}

export class RecentRing<T> {
  private readonly items: T[] = [];
  private next = 0;
  total = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.total += 1;
  }

  /** Oldest first. */
  toArray(): T[] {
    return this.items.length < this.capacity ? [...this.items] : [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }

  clear(): void {
    this.items.length = 0;
    this.next = 0;
    this.total = 0;
  }
}

export interface LatencySummary {
  /** Sound captured -> handed to the practice session, per batch of hops (every event sees this). */
  pipeline: Percentiles;
  /** Key onset (as placed by the model) -> note-on handed on: includes the model's look-ahead. */
  onsetToSent: Percentiles;
  byStage: Record<Stage, Percentiles>;
}

export class LatencyLog {
  readonly notes: RecentRing<NoteLatencyRecord>;
  readonly batches: RecentRing<StageStamps>;

  constructor(capacity = 2048) {
    this.notes = new RecentRing(capacity);
    this.batches = new RecentRing(capacity);
  }

  summary(): LatencySummary {
    const batches = this.batches.toArray().filter((b) => b.inferredMs > b.resampledMs);
    const byStage = Object.fromEntries(STAGES.map((stage) => [stage, percentiles(batches.map((b) => stageDurations(b)[stage]))])) as Record<
      Stage,
      Percentiles
    >;
    return {
      pipeline: percentiles(batches.map((b) => b.sentMs - b.capturedMs)),
      onsetToSent: percentiles(
        this.notes
          .toArray()
          .filter((n) => n.kind === 'on')
          .map((n) => n.sentMs - n.onsetCapturedMs),
      ),
      byStage,
    };
  }
}
