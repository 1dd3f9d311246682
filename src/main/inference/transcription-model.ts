/**
 * The transcription model in an onnxruntime-node session: load (manifest, sha256, provider with
 * fallback, I/O check), run a long clip in chunks, dispose. Runs wherever it is created; the app
 * creates it inside the inference worker.
 *
 * Two ways to run a long clip, chosen by `mode`:
 * - 'stateful' (default when the manifest has a step model with state): step.onnx over
 *   consecutive chunks, carrying the audio context, conv caches and GRU state from one call to the
 *   next. Exactly the whole-clip result, in bounded memory, with no overlap to pay for.
 * - 'overlap': model.onnx on overlapping chunks, keeping each chunk's middle (chunk-plan.ts). For
 *   models without a step graph; approximate at chunk starts only as far as the context is short.
 */
import * as ort from 'onnxruntime-node';
import type { Posteriors } from '../../core/transcription/posteriors';
import { KEY_COUNT } from '../../core/transcription/posteriors';
import { AppError } from '../../shared/errors';
import { planChunks, runChunked } from './chunk-plan';
import type { GraphSpec, HeadName, SessionSignature, StateSpec, TranscriptionManifest } from './manifest';
import { checkSignature, loadManifest, verifiedGraphPath } from './manifest';
import type { ExecutionProviderName, ProviderAttempt, ProviderPreference } from './providers';
import { createWithFallback, planExecutionProviders } from './providers';

export type InferenceMode = 'stateful' | 'overlap';

// onnxruntime reads its log level once, at its first session. A failed CUDA attempt prints an
// error line there before throwing; we report that failure through providerFallbacks instead and
// every other error reaches us as an exception, so its own log stays quiet unless asked for.
ort.env.logLevel = (process.env['SEMINOTE_ORT_LOG_LEVEL'] as typeof ort.env.logLevel | undefined) ?? 'fatal';

export interface LoadOptions {
  provider?: ProviderPreference;
  /** Default: 'stateful' when the manifest describes a step model with state, else 'overlap'. */
  mode?: InferenceMode;
  /** Threads per operator. Default: 1 for 'stateful' (the live path's hop-sized calls), else all cores. */
  intraOpThreads?: number;
  /** Let idle onnxruntime threads spin-wait for work (onnxruntime's default; ours: false). */
  spinning?: boolean;
}

export interface ChunkingOptions {
  /** Seconds of audio per model call. Default 10 (bounds onnxruntime’s working memory). */
  chunkSec?: number;
  /** 'overlap' mode: context seconds before each chunk (state warm-up). Default 3. */
  leftContextSec?: number;
  /** 'overlap' mode: context seconds after each chunk (models with look-ahead). Default 0. */
  rightContextSec?: number;
  signal?: AbortSignal;
  /** Fraction of frames done, 0..1. */
  onProgress?: (fraction: number) => void;
}

function signatureOf(session: ort.InferenceSession): SessionSignature {
  const describe = (meta: readonly ort.InferenceSession.ValueMetadata[]) =>
    meta.map((m) => ({ name: m.name, rank: m.isTensor ? m.shape.length : null }));
  return { inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) };
}

/** The graph's audio input: the one input that is not a state tensor. */
function audioInputName(graph: GraphSpec): string {
  const stateInputs = new Set((graph.state ?? []).map((s) => s.input));
  const audio = graph.inputs.filter((i) => !stateInputs.has(i.name));
  if (audio.length !== 1 || !audio[0]) {
    throw new AppError('UNSUPPORTED', `the model must take exactly one audio input besides its state, it lists ${audio.map((i) => i.name).join(', ') || 'none'}`);
  }
  return audio[0].name;
}

/** Fixed dimensions of each state input must be those the manifest gives for its zeros. */
function checkStateShapes(graph: GraphSpec, session: ort.InferenceSession, label: string): void {
  for (const spec of graph.state ?? []) {
    const meta = session.inputMetadata.find((m) => m.name === spec.input);
    if (!meta?.isTensor) continue;
    meta.shape.forEach((dim, i) => {
      if (typeof dim === 'number' && dim !== spec.shape[i]) {
        throw new AppError('CONFLICT', `${label}: state input "${spec.input}" has shape [${meta.shape.join(', ')}], the manifest says [${spec.shape.join(', ')}]`);
      }
    });
  }
}

export class TranscriptionModel {
  private disposed = false;

  private constructor(
    readonly manifest: TranscriptionManifest,
    readonly mode: InferenceMode,
    private readonly graph: GraphSpec,
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProviderName,
    readonly providerFallbacks: ProviderAttempt[],
    readonly loadMs: number,
  ) {}

  static async load(dir: string, options: LoadOptions = {}): Promise<TranscriptionModel> {
    const started = performance.now();
    const manifest = await loadManifest(dir);
    const canStep = Boolean(manifest.stepModel?.state?.length);
    const mode = options.mode ?? (canStep ? 'stateful' : 'overlap');
    if (mode === 'stateful' && !canStep) {
      throw new AppError('UNSUPPORTED', `${dir}: the manifest describes no step model with state, so 'stateful' inference is unavailable`);
    }
    const graph = mode === 'stateful' ? (manifest.stepModel as GraphSpec) : manifest.model;
    audioInputName(graph);
    const path = await verifiedGraphPath(manifest, graph);
    const providers = planExecutionProviders(ort.listSupportedBackends(), options.provider ?? 'auto');
    const choice = await createWithFallback(providers, (provider) =>
      ort.InferenceSession.create(path, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // Stateful sessions default to one thread: the live path calls them a hop at a time, where
        // more threads only add hand-offs. The offline worker asks for its own count
        // (inference-thread.ts), with files decoded on a thread beside it.
        ...(options.intraOpThreads || mode === 'stateful' ? { intraOpNumThreads: options.intraOpThreads ?? 1 } : {}),
        // Spin-waiting threads burn the cores the UI, audio and other work share; measured on the
        // busy 2-core machine, turning it off made a 60 s clip 1.4x faster.
        ...(options.spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } }),
      }),
    );
    try {
      checkSignature(graph, signatureOf(choice.value), path);
      checkStateShapes(graph, choice.value, path);
    } catch (error) {
      await choice.value.release();
      throw error;
    }
    return new TranscriptionModel(manifest, mode, graph, choice.value, choice.provider, choice.fallbacks, performance.now() - started);
  }

  get sampleRate(): number {
    return this.manifest.sampleRate;
  }

  /** Initial (zero) state of the step model, as the manifest describes it. */
  zeroState(): Map<StateSpec, ort.Tensor> {
    return new Map(
      (this.graph.state ?? []).map((spec) => [spec, new ort.Tensor('float32', new Float32Array(spec.shape.reduce((a, b) => a * b, 1)), spec.shape)]),
    );
  }

  /**
   * Posteriors for one stretch of audio (frame count = floor(samples / hop)). In 'stateful' mode
   * `state` is read and replaced by the state after this stretch.
   */
  async runChunk(samples: Float32Array, state?: Map<StateSpec, ort.Tensor>): Promise<Posteriors> {
    if (this.disposed) throw new AppError('CONFLICT', 'the transcription model was disposed');
    const { hop, heads } = this.manifest;
    const frames = Math.floor(samples.length / hop);
    const feeds: Record<string, ort.Tensor> = {
      [audioInputName(this.graph)]: new ort.Tensor('float32', samples.subarray(0, frames * hop), [1, frames * hop]),
    };
    if (this.mode === 'stateful') {
      if (!state) throw new AppError('INTERNAL', 'stateful inference needs a state');
      for (const [spec, tensor] of state) feeds[spec.input] = tensor;
    }
    const outputs = await this.session.run(feeds);
    if (state) {
      for (const spec of state.keys()) {
        const next = outputs[spec.output];
        if (!next) throw new AppError('INTERNAL', `step model returned no state output ${spec.output}`);
        state.set(spec, next);
      }
    }
    const read = (head: HeadName, perFrame: number): Float32Array => {
      const value = outputs[heads[head]];
      if (!value || !(value.data instanceof Float32Array)) throw new AppError('INTERNAL', `model output for ${head} is missing or not float32`);
      if (value.data.length !== frames * perFrame) {
        throw new AppError('INTERNAL', `model output ${head} has ${value.data.length} values, expected ${frames} x ${perFrame}`);
      }
      return value.data;
    };
    return {
      frameCount: frames,
      onset: read('onset', KEY_COUNT),
      frame: read('frame', KEY_COUNT),
      offset: read('offset', KEY_COUNT),
      velocity: read('velocity', KEY_COUNT),
      pedal: read('pedal', 1),
    };
  }

  /** Posteriors for a whole clip at the model's rate, in chunks (see the module comment). */
  async transcribe(samples: Float32Array, options: ChunkingOptions = {}): Promise<Posteriors> {
    const { hop, frameRateHz } = this.manifest;
    const totalFrames = Math.floor(samples.length / hop);
    const toFrames = (sec: number) => Math.max(0, Math.round(sec * frameRateHz));
    const chunkFrames = Math.max(1, toFrames(options.chunkSec ?? 10));
    const report = (done: number, total: number) => options.onProgress?.(done / total);
    if (this.mode === 'stateful') {
      // Chunks follow one another with no overlap: the carried state is the context.
      const state = this.zeroState();
      return runChunked(
        totalFrames,
        planChunks(totalFrames, chunkFrames, 0, 0),
        (entry) => this.runChunk(samples.subarray(entry.inputStart * hop, entry.inputEnd * hop), state),
        report,
        options.signal,
      );
    }
    const plan = planChunks(totalFrames, chunkFrames, toFrames(options.leftContextSec ?? 3), toFrames(options.rightContextSec ?? 0));
    return runChunked(
      totalFrames,
      plan,
      (entry) => this.runChunk(samples.subarray(entry.inputStart * hop, entry.inputEnd * hop)),
      report,
      options.signal,
    );
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.release();
  }
}
