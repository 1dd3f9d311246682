import type { Hz, Milliseconds } from '../../shared';

/**
 * Maps captured frame positions to times on the process's monotonic clock (`performance.now()`).
 *
 * naudiodon hands each block to JavaScript some time after its samples were captured, and that
 * delay jitters (thread hand-offs, event-loop work, bursts). It also truncates PortAudio's own
 * timestamp to whole seconds, so that is no use. But a block can never arrive before its last
 * sample exists, so for every block `arrival - (frameEnd / sampleRate)` is an upper bound on the
 * true offset between the frame counter and the clock; the smallest bound seen is the best
 * estimate. The estimate is allowed to creep up slowly (`driftPpm`) so the audio clock drifting
 * against the system clock does not leave it stuck on an old minimum.
 *
 * What this does NOT include: latency before PortAudio's callback (ADC, driver, sound server);
 * the capture time is when the frame became available to the process, at the earliest.
 */
export class CaptureClock {
  private readonly msPerFrame: Milliseconds;
  private readonly driftPerMs: number;
  private offsetMs = Number.POSITIVE_INFINITY;
  private lastArrivalMs = Number.NaN;

  constructor(
    readonly sampleRate: Hz,
    /** Allowed upward creep of the estimate, parts per million of elapsed time. */
    driftPpm = 200,
  ) {
    if (!(sampleRate > 0)) throw new RangeError('CaptureClock: sampleRate must be positive');
    this.msPerFrame = 1000 / sampleRate;
    this.driftPerMs = driftPpm / 1e6;
  }

  /**
   * Record that frames up to `frameEnd` (exclusive, counted from the stream's first frame) had
   * arrived by `arrivalMs`. Returns the capture time of frame `frameEnd - blockFrames`.
   */
  observe(frameEnd: number, blockFrames: number, arrivalMs: Milliseconds): Milliseconds {
    const bound = arrivalMs - frameEnd * this.msPerFrame;
    if (Number.isFinite(this.offsetMs) && Number.isFinite(this.lastArrivalMs)) {
      this.offsetMs += (arrivalMs - this.lastArrivalMs) * this.driftPerMs;
    }
    if (bound < this.offsetMs) this.offsetMs = bound;
    this.lastArrivalMs = arrivalMs;
    return this.frameTimeMs(frameEnd - blockFrames);
  }

  /** Capture time of a frame position; NaN before the first block. */
  frameTimeMs(frame: number): Milliseconds {
    return Number.isFinite(this.offsetMs) ? this.offsetMs + frame * this.msPerFrame : Number.NaN;
  }

  /** Forget everything (after a reopen the frame counter restarts). */
  reset(): void {
    this.offsetMs = Number.POSITIVE_INFINITY;
    this.lastArrivalMs = Number.NaN;
  }
}
