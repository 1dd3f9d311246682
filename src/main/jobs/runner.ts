/**
 * Background jobs: one running at a time per kind (transcription is CPU-bound; two at once would
 * only make both slower), the rest queued in order. Each job gets an AbortSignal; cancel() aborts
 * a running job or drops a queued one. A failing job never stops the queue.
 */
export type JobOutcome = { status: 'done' } | { status: 'failed'; error: string } | { status: 'cancelled' };

export interface JobContext {
  signal: AbortSignal;
}

export interface JobSpec {
  /** Jobs of one kind run one after another; different kinds run side by side. */
  kind: string;
  /** Unique among queued and running jobs (e.g. "lesson:12"). */
  key: string;
  run(context: JobContext): Promise<void>;
  /** Called once when the job ends, however it ends (also when cancelled while queued). */
  onEnd?(outcome: JobOutcome): void;
}

interface Entry {
  spec: JobSpec;
  controller: AbortController;
  done: Promise<JobOutcome>;
  settle: (outcome: JobOutcome) => void;
}

export class JobRunner {
  private readonly queues = new Map<string, Entry[]>();
  private readonly running = new Map<string, Entry>();
  private readonly byKey = new Map<string, Entry>();
  private stopped = false;

  /** Queues the job; the promise resolves with its outcome (never rejects). */
  enqueue(spec: JobSpec): Promise<JobOutcome> {
    if (this.stopped) return Promise.resolve({ status: 'cancelled' });
    if (this.byKey.has(spec.key)) throw new Error(`job ${spec.key} is already queued or running`);
    let settle!: (outcome: JobOutcome) => void;
    const done = new Promise<JobOutcome>((resolve) => (settle = resolve));
    const entry: Entry = { spec, controller: new AbortController(), done, settle };
    this.byKey.set(spec.key, entry);
    const queue = this.queues.get(spec.kind) ?? [];
    queue.push(entry);
    this.queues.set(spec.kind, queue);
    this.pump(spec.kind);
    return done;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  isRunning(key: string): boolean {
    const entry = this.byKey.get(key);
    return entry !== undefined && this.running.get(entry.spec.kind) === entry;
  }

  /** Aborts a running job (it ends when its work notices the signal) or drops a queued one. */
  cancel(key: string): Promise<JobOutcome> | null {
    const entry = this.byKey.get(key);
    if (!entry) return null;
    if (this.running.get(entry.spec.kind) === entry) {
      entry.controller.abort();
    } else {
      const queue = this.queues.get(entry.spec.kind) ?? [];
      queue.splice(queue.indexOf(entry), 1);
      this.finish(entry, { status: 'cancelled' });
    }
    return entry.done;
  }

  /** Cancels everything; later enqueues end at once as cancelled. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    const pending = [...this.byKey.keys()].map((key) => this.cancel(key));
    await Promise.all(pending);
  }

  private pump(kind: string): void {
    if (this.running.has(kind)) return;
    const entry = this.queues.get(kind)?.shift();
    if (!entry) return;
    this.running.set(kind, entry);
    void this.execute(entry).then((outcome) => {
      this.running.delete(kind);
      this.finish(entry, outcome);
      this.pump(kind);
    });
  }

  private async execute(entry: Entry): Promise<JobOutcome> {
    const { signal } = entry.controller;
    try {
      await entry.spec.run({ signal });
      return signal.aborted ? { status: 'cancelled' } : { status: 'done' };
    } catch (err) {
      // A job aborted mid-way usually throws; that is a cancellation, not a failure.
      if (signal.aborted) return { status: 'cancelled' };
      return { status: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
  }

  private finish(entry: Entry, outcome: JobOutcome): void {
    this.byKey.delete(entry.spec.key);
    try {
      entry.spec.onEnd?.(outcome);
    } catch (err) {
      console.error(`seminote: job ${entry.spec.key} end handler failed:`, err);
    }
    entry.settle(outcome);
  }
}
