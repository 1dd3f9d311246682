/**
 * Live transcription building block: audio at the model rate goes in as it arrives, note and pedal
 * events come out. Whole hops are run through the step model with its state carried, and each
 * new frame goes through the streaming decoder (docs/transcription-decoding.md §4). Samples short
 * of a hop wait for the next push. The caller decides the thread (the live path's own worker).
 */
import type { DecodedFrameEvents } from '../../core/transcription/streaming-decoder';
import { StreamingNoteDecoder } from '../../core/transcription/streaming-decoder';
import { posteriorFrameAt } from '../../core/transcription/posteriors';
import { AppError } from '../../shared/errors';
import type { ProviderPreference } from './providers';
import { TranscriptionModel } from './transcription-model';

export class StreamingTranscriber {
  private state;
  private readonly decoder: StreamingNoteDecoder;
  private pending = new Float32Array(0);
  private busy = false;

  private constructor(readonly model: TranscriptionModel) {
    this.state = model.zeroState();
    this.decoder = new StreamingNoteDecoder(model.manifest.decoding);
  }

  static async create(modelDir: string, provider: ProviderPreference = 'auto'): Promise<StreamingTranscriber> {
    return new StreamingTranscriber(await TranscriptionModel.load(modelDir, { provider, mode: 'stateful' }));
  }

  get sampleRate(): number {
    return this.model.sampleRate;
  }

  /** Feeds samples (model rate, mono); resolves with the events of every whole hop now available. */
  async push(samples: Float32Array): Promise<DecodedFrameEvents> {
    if (this.busy) throw new AppError('CONFLICT', 'push() called again before the previous push finished');
    this.busy = true;
    try {
      const merged = new Float32Array(this.pending.length + samples.length);
      merged.set(this.pending);
      merged.set(samples, this.pending.length);
      const hop = this.model.manifest.hop;
      const usable = merged.length - (merged.length % hop);
      this.pending = merged.slice(usable);
      if (usable === 0) return { notes: [], pedal: [] };
      const posteriors = await this.model.runChunk(merged.subarray(0, usable), this.state);
      const out: DecodedFrameEvents = { notes: [], pedal: [] };
      for (let t = 0; t < posteriors.frameCount; t++) {
        const events = this.decoder.push(posteriorFrameAt(posteriors, t));
        out.notes.push(...events.notes);
        out.pedal.push(...events.pedal);
      }
      return out;
    } finally {
      this.busy = false;
    }
  }

  /** Ends the take: closes sounding notes and the pedal (samples short of a hop are dropped). */
  flush(): DecodedFrameEvents {
    this.pending = new Float32Array(0);
    return this.decoder.flush();
  }

  /** Starts a new take: zero state, frame numbering from 0. */
  reset(): void {
    this.pending = new Float32Array(0);
    this.state = this.model.zeroState();
    this.decoder.reset();
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
