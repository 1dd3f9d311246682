/**
 * Runs jobs one per event-loop turn (setImmediate), so work that blocks (grading and writing an
 * attempt) never runs back to back: between two jobs the loop reads sockets and MIDI input, and
 * the other takes' live notes go out. `flush()` runs what is left at once (shutdown).
 */
export class DeferredQueue {
  private readonly jobs: (() => void)[] = [];
  private scheduled: NodeJS.Immediate | null = null;

  push(job: () => void): void {
    this.jobs.push(job);
    this.scheduled ??= setImmediate(() => this.runOne());
  }

  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    while (this.jobs.length > 0) this.jobs.shift()?.();
  }

  private runOne(): void {
    this.scheduled = null;
    this.jobs.shift()?.();
    if (this.jobs.length > 0) this.scheduled = setImmediate(() => this.runOne());
  }
}
