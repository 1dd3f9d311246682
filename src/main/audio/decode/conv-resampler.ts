/**
 * The resampler's polyphase filter (resampler.ts, same taps, same output) run by onnxruntime as one
 * strided convolution: every `down` input samples yield `up` outputs, one output channel per phase,
 * so the multiply-adds run in onnxruntime's vectorised GEMM instead of a scalar JS loop. It does
 * about `down·up/tapCount`/`up` more multiplies than the polyphase loop (zeros around each phase's
 * taps) and still takes a fraction of its time (bench/transcription.ts). For whole files, where
 * throughput matters; live capture keeps the JS loop (small blocks, no session).
 */
import * as ort from 'onnxruntime-node';
import { AppError } from '../../../shared/errors';
import { onnxModel } from './onnx-proto';
import { StreamingResampler } from './resampler';
import type { ResamplerOptions } from './resampler';

/** 4 M floats (16 MB): 44.1 -> 16 kHz needs 85 k. */
const MAX_WEIGHTS = 4 << 20;

export class ConvResampler {
  /** Unconsumed input, prefixed at the start by halfTaps - 1 zeros; u[0] starts the next block. */
  private pending: Float32Array;
  private inputSeen = 0;
  private outputsDone = 0;
  private flushed = false;
  private released = false;

  private constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    private readonly up: number,
    private readonly down: number,
    private readonly kernel: number,
    halfTaps: number,
    private readonly session: ort.InferenceSession,
  ) {
    this.pending = new Float32Array(halfTaps - 1);
  }

  /**
   * The conv resampler for this rate pair, or null where its weight matrix (up x kernel) would be
   * too large: rates with a small common divisor (say 44101 Hz) need the polyphase loop.
   */
  static async create(inputRate: number, outputRate: number, options?: ResamplerOptions): Promise<ConvResampler | null> {
    const { up, down, taps, tapCount, halfTaps } = new StreamingResampler(inputRate, outputRate, options).filter;
    // Output j of a block starts floor(j·down/up) samples into the block's window.
    const kernel = Math.floor(((up - 1) * down) / up) + tapCount;
    if (up * kernel > MAX_WEIGHTS) return null;
    const weights = new Float32Array(up * kernel);
    for (let j = 0; j < up; j++) {
      const shift = Math.floor((j * down) / up);
      const phase = (j * down) % up;
      weights.set(taps.subarray(phase * tapCount, (phase + 1) * tapCount), j * kernel + shift);
    }
    const model = onnxModel({
      name: 'polyphase-resampler',
      nodes: [
        { opType: 'Conv', inputs: ['audio', 'weights'], outputs: ['phases'], ints: { strides: [down], kernel_shape: [kernel] } },
        { opType: 'Transpose', inputs: ['phases'], outputs: ['resampled'], ints: { perm: [0, 2, 1] } },
      ],
      initializers: [{ name: 'weights', dims: [up, 1, kernel], data: weights }],
      inputs: [{ name: 'audio', shape: [1, 1, 'samples'] }],
      outputs: [{ name: 'resampled' }],
    });
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    return new ConvResampler(inputRate, outputRate, up, down, kernel, halfTaps, session);
  }

  /** Feeds input; returns every output whose support is now fully available (whole blocks). */
  async process(input: Float32Array): Promise<Float32Array> {
    if (this.flushed) throw new AppError('INVALID_ARGUMENT', 'resampler already flushed');
    this.inputSeen += input.length;
    const merged = new Float32Array(this.pending.length + input.length);
    merged.set(this.pending);
    merged.set(input, this.pending.length);
    this.pending = merged;
    const blocks = merged.length >= this.kernel ? Math.floor((merged.length - this.kernel) / this.down) + 1 : 0;
    return this.run(blocks, blocks * this.up);
  }

  /** Ends the stream: zero-pads the right edge and returns the remaining outputs. */
  async flush(): Promise<Float32Array> {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    const remaining = Math.ceil((this.inputSeen * this.up) / this.down) - this.outputsDone;
    if (remaining <= 0) return new Float32Array(0);
    const blocks = Math.ceil(remaining / this.up);
    const needed = (blocks - 1) * this.down + this.kernel;
    if (this.pending.length < needed) {
      const padded = new Float32Array(needed);
      padded.set(this.pending);
      this.pending = padded;
    }
    const out = (await this.run(blocks, remaining)).slice();
    await this.dispose();
    return out;
  }

  /** Releases the session (after flush, or when decoding stops early). */
  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }

  private async run(blocks: number, keep: number): Promise<Float32Array> {
    if (blocks === 0) return new Float32Array(0);
    const length = (blocks - 1) * this.down + this.kernel;
    const audio = new ort.Tensor('float32', this.pending.subarray(0, length), [1, 1, length]);
    const { resampled } = await this.session.run({ audio });
    if (!resampled || !(resampled.data instanceof Float32Array) || resampled.data.length !== blocks * this.up) {
      throw new AppError('INTERNAL', `resampler graph returned ${resampled?.data.length ?? 'no'} samples, expected ${blocks * this.up}`);
    }
    this.pending = this.pending.slice(blocks * this.down);
    this.outputsDone += keep;
    return resampled.data.subarray(0, keep);
  }
}
