/**
 * The offline counterpart of the live path, for determinism checks (test/integration/live-audio)
 * and the bench: the same captured samples resampled in one go, run through the step model in one
 * call from a zero state, and decoded frame by frame. Stateful step inference does not depend on how
 * the audio is cut into chunks, so the live notes must equal these.
 */
import type { DecodingConfig } from '../../core/transcription/decoding-config';
import { KEY_COUNT, posteriorFrameAt } from '../../core/transcription/posteriors';
import { StreamingNoteDecoder } from '../../core/transcription/streaming-decoder';
import type { LiveNoteEvent } from '../../shared/performance';
import { StreamingResampler } from '../audio/decode/resampler';
import { TranscriptionModel } from '../inference/transcription-model';

export interface OfflineStreamingResult {
  events: LiveNoteEvent[];
  /** Per frame [max onset posterior, sum of frame posteriors], as the live worker reports them. */
  digests: Float32Array;
  modelFrames: number;
}

/**
 * @param audio capture-rate mono samples from the take's first frame
 * @param modelFrames decode exactly this many frames (what the live take got through)
 * @param flush close notes still sounding at the end (the live path's finish() does the same)
 */
export async function offlineStreamingDecode(
  modelDir: string,
  audio: Float32Array,
  captureRate: number,
  modelFrames: number,
  decoding: DecodingConfig,
  flush = true,
): Promise<OfflineStreamingResult> {
  const model = await TranscriptionModel.load(modelDir, { mode: 'stateful' });
  try {
    const { hop, sampleRate } = model.manifest;
    // process() without flush(): the live path never flushes the resampler either.
    const resampled = captureRate === sampleRate ? audio : new StreamingResampler(captureRate, sampleRate).process(audio);
    const frames = Math.min(modelFrames, Math.floor(resampled.length / hop));
    const posteriors = await model.runChunk(resampled.subarray(0, frames * hop), model.zeroState());
    const decoder = new StreamingNoteDecoder(decoding);
    const events: LiveNoteEvent[] = [];
    const digests = new Float32Array(frames * 2);
    for (let t = 0; t < frames; t++) {
      const frame = posteriorFrameAt(posteriors, t);
      events.push(...decoder.push(frame).notes);
      let maxOnset = 0;
      let sumFrame = 0;
      for (let k = 0; k < KEY_COUNT; k++) {
        maxOnset = Math.max(maxOnset, frame.onset[k] as number);
        sumFrame += frame.frame[k] as number;
      }
      digests[2 * t] = maxOnset;
      digests[2 * t + 1] = sumFrame;
    }
    if (flush) events.push(...decoder.flush().notes);
    return { events, digests, modelFrames: frames };
  } finally {
    await model.dispose();
  }
}
