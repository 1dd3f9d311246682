/**
 * Live transcription worker thread: drains the capture ring (shared memory, no messages per audio
 * block), resamples to the model's rate, runs the step model hop by hop with its state carried and
 * decodes each frame with the streaming decoder. Only note events and per-batch stamps go back to
 * the main thread, so the main loop never runs inference. Protocol in live-protocol.ts.
 *
 * This is StreamingTranscriber's loop (src/main/inference/streaming-transcriber.ts) written out,
 * because the live path also needs the posteriors (determinism digests) and a decoding override,
 * which StreamingTranscriber.push does not expose.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DecodingConfig } from '../../core/transcription/decoding-config';
import { posteriorFrameAt } from '../../core/transcription/posteriors';
import { KEY_COUNT } from '../../core/transcription/posteriors';
import { StreamingNoteDecoder } from '../../core/transcription/streaming-decoder';
import { AppError } from '../../shared/errors';
import type { AppErrorShape } from '../../shared/errors';
import type { LiveNoteEvent } from '../../shared/performance';
import { StreamingResampler } from '../audio/decode/resampler';
import { attachRingBuffer } from '../audio/ringBuffer';
import { TranscriptionModel } from '../inference/transcription-model';
import { modelLookAheadSec } from './live-protocol';
import type { LiveClientMessage, LiveWorkerInit, LiveWorkerMessage } from './live-protocol';

const absNow = () => performance.timeOrigin + performance.now();

function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('live-worker.ts must run as a worker thread');
  const post = (message: LiveWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const init = workerData as LiveWorkerInit;
  const ring = attachRingBuffer(init.ring);
  let model: TranscriptionModel;
  try {
    model = await TranscriptionModel.load(init.modelDir, {
      mode: 'stateful',
      ...(init.intraOpThreads ? { intraOpThreads: init.intraOpThreads } : {}),
    });
  } catch (error) {
    post({ type: 'load-failed', error: toErrorShape(error) });
    port.close();
    return;
  }
  const { hop, sampleRate, frameRateHz } = model.manifest;
  const decoding: DecodingConfig = { ...model.manifest.decoding, ...(init.decoding ?? {}), frameRateHz };
  const decoder = new StreamingNoteDecoder(decoding);
  post({
    type: 'ready',
    sampleRate,
    hop,
    frameRateHz,
    provider: model.provider,
    decoding,
    modelVersion: model.manifest.version,
    lookAheadSec: modelLookAheadSec(frameRateHz, decoding.timeOffsetSec),
  });

  const readBuffer = new Float32Array(ring.capacity);
  let state = model.zeroState();
  let resampler: StreamingResampler | null = null;
  let pending = new Float32Array(0);
  let running = false;
  let timer: NodeJS.Immediate | null = null;
  let work: Promise<void> = Promise.resolve();

  const batch = async (): Promise<void> => {
    const backlog = ring.available;
    if (backlog === 0) return;
    const captureFrames = ring.read(readBuffer, 0, backlog);
    const readAbsMs = absNow();
    const input = readBuffer.subarray(0, captureFrames);
    const resampled = resampler ? resampler.process(input) : input;
    const merged = new Float32Array(pending.length + resampled.length);
    merged.set(pending);
    merged.set(resampled, pending.length);
    const usable = merged.length - (merged.length % hop);
    pending = merged.slice(usable);
    const resampledAbsMs = absNow();
    const events: LiveNoteEvent[] = [];
    let inferredAbsMs = resampledAbsMs;
    let digests: Float32Array | undefined;
    let modelFrames = 0;
    if (usable > 0) {
      const posteriors = await model.runChunk(merged.subarray(0, usable), state);
      inferredAbsMs = absNow();
      modelFrames = posteriors.frameCount;
      if (init.reportDigests) digests = new Float32Array(modelFrames * 2);
      for (let t = 0; t < modelFrames; t++) {
        const frame = posteriorFrameAt(posteriors, t);
        events.push(...decoder.push(frame).notes);
        if (digests) {
          let maxOnset = 0;
          let sumFrame = 0;
          for (let k = 0; k < KEY_COUNT; k++) {
            maxOnset = Math.max(maxOnset, frame.onset[k] as number);
            sumFrame += frame.frame[k] as number;
          }
          digests[2 * t] = maxOnset;
          digests[2 * t + 1] = sumFrame;
        }
      }
    }
    const decodedAbsMs = absNow();
    post(
      {
        type: 'batch',
        endCaptureFrame: ring.readIndex,
        captureFrames,
        modelFrames,
        modelFramesTotal: decoder.framesSeen,
        backlogFrames: backlog,
        stamps: { readAbsMs, resampledAbsMs, inferredAbsMs, decodedAbsMs },
        events,
        ...(digests ? { digests } : {}),
      },
      digests ? [digests.buffer as ArrayBuffer] : [],
    );
  };

  // Parks on the ring until a block lands (the capture side notifies), so a batch starts as soon
  // as its audio exists; pollMs only bounds the wait so stop requests are seen.
  const tick = () => {
    if (!running) return;
    work = work
      .then(batch)
      .catch((error: unknown) => {
        running = false;
        post({ type: 'failed', error: toErrorShape(error) });
      })
      .then(() => (running ? ring.waitForData(init.pollMs) : undefined))
      .finally(() => {
        if (running) timer = setImmediate(tick);
      });
  };

  port.on('message', (message: LiveClientMessage) => {
    if (message.type === 'start') {
      work = work.then(() => {
        state = model.zeroState();
        decoder.reset();
        pending = new Float32Array(0);
        resampler = init.captureRate === sampleRate ? null : new StreamingResampler(init.captureRate, sampleRate);
        // The take starts now: audio captured before it is not part of it.
        ring.skip(ring.available);
        post({ type: 'started', startCaptureFrame: ring.readIndex });
        running = true;
        tick();
      });
      return;
    }
    if (message.type === 'stop') {
      running = false;
      if (timer) clearImmediate(timer);
      timer = null;
      work = work.then(() => {
        post({ type: 'stopped', events: decoder.flush().notes, modelFramesTotal: decoder.framesSeen, endCaptureFrame: ring.readIndex });
      });
      return;
    }
    running = false;
    if (timer) clearImmediate(timer);
    work = work.then(async () => {
      await model.dispose();
      post({ type: 'disposed' });
      port.close();
    });
  });
}

void main();
