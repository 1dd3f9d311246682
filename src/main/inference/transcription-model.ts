/**
 * The offline transcription model in an onnxruntime-node session: load (manifest, sha256,
 * provider with fallback, I/O check), run one chunk, run a long clip in overlapping chunks,
 * dispose. Runs wherever it is created; the app creates it inside the inference worker.
 */
import * as ort from 'onnxruntime-node';
import type { Posteriors } from '../../core/transcription/posteriors';
import { KEY_COUNT } from '../../core/transcription/posteriors';
import { AppError } from '../../shared/errors';
import { planChunks, runChunked } from './chunk-plan';
import type { HeadName, SessionSignature, TranscriptionManifest } from './manifest';
import { checkSignature, loadManifest, verifiedGraphPath } from './manifest';
import type { ExecutionProviderName, ProviderAttempt, ProviderPreference } from './providers';
import { createWithFallback, planExecutionProviders } from './providers';

export interface LoadOptions {
  provider?: ProviderPreference;
  /** Threads per operator (onnxruntime default: all cores). */
  intraOpThreads?: number;
}

export interface ChunkingOptions {
  /** Kept seconds per chunk. Default 30. */
  chunkSec?: number;
  /** Context seconds before each chunk (state warm-up). Default 3. */
  leftContextSec?: number;
  /** Context seconds after each chunk (for models with look-ahead). Default 0: ours is causal. */
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

export class TranscriptionModel {
  private disposed = false;

  private constructor(
    readonly manifest: TranscriptionManifest,
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProviderName,
    readonly providerFallbacks: ProviderAttempt[],
    readonly loadMs: number,
  ) {}

  static async load(dir: string, options: LoadOptions = {}): Promise<TranscriptionModel> {
    const started = performance.now();
    const manifest = await loadManifest(dir);
    if (manifest.model.inputs.length !== 1) {
      throw new AppError('UNSUPPORTED', `${dir}: the offline model must take one audio input, the manifest lists ${manifest.model.inputs.length}`);
    }
    const path = await verifiedGraphPath(manifest, manifest.model);
    const providers = planExecutionProviders(ort.listSupportedBackends(), options.provider ?? 'auto');
    // A failed CUDA attempt makes onnxruntime print an error line before it throws; the failure is
    // reported through providerFallbacks instead, so keep its log quiet when falling back is planned.
    if (providers.length > 1) ort.env.logLevel = 'fatal';
    const choice = await createWithFallback(providers, (provider) =>
      ort.InferenceSession.create(path, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
      }),
    );
    try {
      checkSignature(manifest.model, signatureOf(choice.value), path);
    } catch (error) {
      await choice.value.release();
      throw error;
    }
    return new TranscriptionModel(manifest, choice.value, choice.provider, choice.fallbacks, performance.now() - started);
  }

  get sampleRate(): number {
    return this.manifest.sampleRate;
  }

  /** Posteriors for one stretch of audio: frame count = floor(samples / hop). */
  async runChunk(samples: Float32Array): Promise<Posteriors> {
    if (this.disposed) throw new AppError('CONFLICT', 'the transcription model was disposed');
    const frames = Math.floor(samples.length / this.manifest.hop);
    const input = this.manifest.model.inputs[0];
    if (!input) throw new AppError('INTERNAL', 'model has no input');
    const tensor = new ort.Tensor('float32', samples.subarray(0, frames * this.manifest.hop), [1, frames * this.manifest.hop]);
    const outputs = await this.session.run({ [input.name]: tensor });
    const read = (head: HeadName, perFrame: number): Float32Array => {
      const value = outputs[this.manifest.heads[head]];
      if (!value || !(value.data instanceof Float32Array)) {
        throw new AppError('INTERNAL', `model output for ${head} is missing or not float32`);
      }
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

  /** Posteriors for a whole clip at the model's rate, in overlapping chunks. */
  async transcribe(samples: Float32Array, options: ChunkingOptions = {}): Promise<Posteriors> {
    const { hop, frameRateHz } = this.manifest;
    const totalFrames = Math.floor(samples.length / hop);
    const toFrames = (sec: number) => Math.max(0, Math.round(sec * frameRateHz));
    const plan = planChunks(
      totalFrames,
      Math.max(1, toFrames(options.chunkSec ?? 30)),
      toFrames(options.leftContextSec ?? 3),
      toFrames(options.rightContextSec ?? 0),
    );
    return runChunked(
      totalFrames,
      plan,
      (entry) => this.runChunk(samples.subarray(entry.inputStart * hop, entry.inputEnd * hop)),
      (done, total) => options.onProgress?.(done / total),
      options.signal,
    );
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.release();
  }
}
