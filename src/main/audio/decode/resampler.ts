/**
 * Streaming polyphase windowed-sinc resampler (Kaiser window) for any pair of integer rates.
 *
 * Output sample n sits at input position n·M/L, where L/M = outRate/inRate reduced. Each of the
 * L fractional phases has its own tap set, computed once. The low-pass cutoff is a little under
 * the lower Nyquist so downsampling does not alias; each phase's taps are normalised to sum to 1
 * so DC and low frequencies keep their amplitude exactly.
 */
import { AppError } from '../../../shared/errors';

export interface ResamplerOptions {
  /** Zero crossings of the sinc on each side (quality vs cost). Default 16. */
  zeroCrossings?: number;
  /** Cutoff as a fraction of the lower Nyquist. Default 0.94. */
  rolloff?: number;
  /** Kaiser window beta (sidelobe attenuation ≈ 80 dB at 8). Default 8. */
  kaiserBeta?: number;
}

/** Zeroth-order modified Bessel function of the first kind (series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The filter bank: output n reads input base - halfTaps + 1 + i (i < tapCount) with row n·down mod up. */
export interface PolyphaseFilter {
  up: number;
  down: number;
  /** taps[phase * tapCount + i]. */
  taps: Float32Array;
  tapCount: number;
  halfTaps: number;
}

export class StreamingResampler {
  readonly inputRate: number;
  readonly outputRate: number;
  private readonly up: number;
  private readonly down: number;
  /** taps[phase * tapCount + i] weights input sample (base - halfTaps + 1 + i). */
  private readonly taps: Float32Array;
  private readonly tapCount: number;
  private readonly halfTaps: number;
  /** Pending input; pending[0] is absolute input index `pendingStart`. */
  private pending = new Float32Array(0);
  private pendingStart = 0;
  private inputSeen = 0;
  private outputIndex = 0;
  private flushed = false;

  constructor(inputRate: number, outputRate: number, options: ResamplerOptions = {}) {
    if (!(Number.isInteger(inputRate) && inputRate > 0 && Number.isInteger(outputRate) && outputRate > 0)) {
      throw new AppError('INVALID_ARGUMENT', `sample rates must be positive integers, got ${inputRate} -> ${outputRate}`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const g = gcd(inputRate, outputRate);
    this.up = outputRate / g;
    this.down = inputRate / g;
    const zeroCrossings = options.zeroCrossings ?? 16;
    const rolloff = options.rolloff ?? 0.94;
    const beta = options.kaiserBeta ?? 8;
    // Cutoff in cycles per input sample.
    const cutoff = (0.5 * rolloff * Math.min(inputRate, outputRate)) / inputRate;
    const halfWidth = zeroCrossings / (2 * cutoff);
    this.halfTaps = Math.ceil(halfWidth);
    this.tapCount = 2 * this.halfTaps;
    this.taps = new Float32Array(this.up * this.tapCount);
    const i0Beta = besselI0(beta);
    for (let phase = 0; phase < this.up; phase++) {
      const frac = phase / this.up;
      let sum = 0;
      const row = new Float64Array(this.tapCount);
      for (let i = 0; i < this.tapCount; i++) {
        const x = i - this.halfTaps + 1 - frac; // distance from the output position, in input samples
        const r = x / halfWidth;
        if (Math.abs(r) >= 1) continue;
        const arg = 2 * cutoff * x;
        const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
        const w = (2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - r * r))) / i0Beta;
        row[i] = w;
        sum += w;
      }
      for (let i = 0; i < this.tapCount; i++) this.taps[phase * this.tapCount + i] = (row[i] as number) / sum;
    }
  }

  /** The precomputed filter bank (for other implementations of the same filter: conv-resampler.ts). */
  get filter(): PolyphaseFilter {
    return { up: this.up, down: this.down, taps: this.taps, tapCount: this.tapCount, halfTaps: this.halfTaps };
  }

  /** Output samples that `inputLength` input samples produce in total. */
  outputLengthFor(inputLength: number): number {
    return Math.ceil((inputLength * this.up) / this.down);
  }

  /** Feeds input; returns every output sample whose support is now fully available. */
  process(input: Float32Array): Float32Array {
    if (this.flushed) throw new AppError('INVALID_ARGUMENT', 'resampler already flushed');
    const merged = new Float32Array(this.pending.length + input.length);
    merged.set(this.pending);
    merged.set(input, this.pending.length);
    this.pending = merged;
    this.inputSeen += input.length;
    return this.drain(this.inputSeen);
  }

  /** Ends the stream: zero-pads the right edge and returns the remaining outputs. */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    const total = this.outputLengthFor(this.inputSeen);
    const out = this.drain(Number.POSITIVE_INFINITY, total);
    this.pending = new Float32Array(0);
    return out;
  }

  /** Produces outputs while input up to `availableEnd` covers them (zeros past the end on flush). */
  private drain(availableEnd: number, limit = Number.POSITIVE_INFINITY): Float32Array {
    const { up, down, tapCount, halfTaps, taps, pending, pendingStart } = this;
    const reachable = Math.min(limit, Math.ceil((Math.min(availableEnd, 1e15) * up) / down) + 1);
    const results = new Float32Array(Math.max(0, reachable - this.outputIndex));
    let produced = 0;
    let n = this.outputIndex;
    // Output n reads input from base = floor(n·down / up) with tap row `phase` = n·down mod up;
    // both advance incrementally (no division per sample).
    let base = Math.floor((n * down) / up);
    let phase = n * down - base * up;
    const baseStep = Math.floor(down / up);
    const phaseStep = down - baseStep * up;
    // Locals only in this loop: it runs once per output sample.
    for (; n < limit; n++) {
      if (base + halfTaps >= availableEnd) break; // rightmost input needed is not here yet
      const row = phase * tapCount;
      const start = base - halfTaps + 1 - pendingStart;
      let acc = 0;
      if (start >= 0 && start + tapCount <= pending.length) {
        // Hot path: the whole window is buffered. Four partial sums shorten the add chain.
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let r = row;
        let x = start;
        const unrolledEnd = row + tapCount - 3;
        for (; r < unrolledEnd; r += 4, x += 4) {
          a0 += (pending[x] as number) * (taps[r] as number);
          a1 += (pending[x + 1] as number) * (taps[r + 1] as number);
          a2 += (pending[x + 2] as number) * (taps[r + 2] as number);
          a3 += (pending[x + 3] as number) * (taps[r + 3] as number);
        }
        for (const rowEnd = row + tapCount; r < rowEnd; r++, x++) a0 += (pending[x] as number) * (taps[r] as number);
        acc = a0 + a1 + (a2 + a3);
      } else {
        for (let i = 0; i < tapCount; i++) {
          const idx = start + i;
          if (idx < 0 || idx >= pending.length) continue; // before the start or past the end: zeros
          acc += (pending[idx] as number) * (taps[row + i] as number);
        }
      }
      results[produced++] = acc;
      base += baseStep;
      phase += phaseStep;
      if (phase >= up) {
        phase -= up;
        base++;
      }
    }
    this.outputIndex = n;
    // Keep only the left context the next output needs.
    const nextFirst = Math.floor((this.outputIndex * down) / up) - halfTaps + 1;
    const drop = Math.max(0, Math.min(this.pending.length, nextFirst - this.pendingStart));
    if (drop > 0) {
      this.pending = this.pending.slice(drop);
      this.pendingStart += drop;
    }
    return results.subarray(0, produced);
  }
}

/** One-shot resampling of a whole signal. */
export function resample(input: Float32Array, inputRate: number, outputRate: number, options?: ResamplerOptions): Float32Array {
  if (inputRate === outputRate) return input.slice();
  const resampler = new StreamingResampler(inputRate, outputRate, options);
  const head = resampler.process(input);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
