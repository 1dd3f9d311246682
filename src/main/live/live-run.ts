/**
 * Test and bench harness for the real live path: plays rendered piano audio into the PulseAudio rig,
 * captures it through naudiodon into an AudioNoteSource running the real model, and returns what
 * came out with everything needed to check it (captured audio from the take's start, events, stamps).
 * Nothing in the app uses it.
 */
import type { DecodingConfig } from '../../core/transcription/decoding-config';
import type { LiveNoteEvent } from '../../shared/performance';
import { ThresholdOnsetDetector } from '../audio/onsetDetector';
import { PulsePlayer, RIG_RATE } from '../audio/pulseRig';
import type { TakeSummary } from '../audio/recorder';
import type { TakeEnd } from '../midi/source';
import { AudioNoteSource } from './audioNoteSource';
import type { LiveStats } from './audioNoteSource';

export interface LiveRunOptions {
  modelDir: string;
  /** Mono samples at RIG_RATE. */
  signal: Float32Array;
  decoding?: Partial<Omit<DecodingConfig, 'frameRateHz'>>;
  framesPerBuffer?: number;
  /** Silence played before the signal (a restarting playback stream drops a few samples). */
  leadInSec?: number;
  latencyLogSize?: number;
  /** Record the take to this WAV file (AudioNoteSource recordPath). */
  recordPath?: string;
  /** Keep the captured audio and posterior digests (default); off for long memory runs. */
  keepAudio?: boolean;
  /** Called about once a second while playing (bench: CPU and memory samples). */
  onSecond?: () => void;
}

export interface LiveRunResult {
  events: LiveNoteEvent[];
  flushed: LiveNoteEvent[];
  /** What the sink got: bytes with timeSec / receivedMs, in order. */
  received: Array<{ bytes: number[]; timeSec: number; receivedMs: number }>;
  ended: TakeEnd | null;
  recording: TakeSummary | null;
  /** Captured samples from the take's first frame to the last one the worker read. */
  captured: Float32Array;
  captureRate: number;
  modelFramesTotal: number;
  digests: Float32Array;
  stats: LiveStats;
  source: Pick<AudioNoteSource, 'latency' | 'model' | 'takeStartMs'>;
  /** Take time (s) at which the played signal's first sound appears, from an energy onset detector. */
  signalOnsetTakeSec: number;
  /** Same point inside `signal` (s), so take time = signal time + (signalOnsetTakeSec - this). */
  signalOnsetSignalSec: number;
  takeWallSec: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function firstOnsetFrame(samples: Float32Array, sampleRate: number): number {
  const detector = new ThresholdOnsetDetector({ threshold: 0.02, quietMs: 50, sampleRate });
  let found = -1;
  detector.push(samples, 0, (f) => {
    if (found < 0) found = f;
  });
  return found;
}

export async function runLiveTake(options: LiveRunOptions): Promise<LiveRunResult> {
  const source = await AudioNoteSource.open({
    modelDir: options.modelDir,
    capture: { device: 'pulse', sampleRate: RIG_RATE, framesPerBuffer: options.framesPerBuffer ?? 256 },
    reportDigests: options.keepAudio ?? true,
    ...(options.latencyLogSize ? { latencyLogSize: options.latencyLogSize } : {}),
    ...(options.recordPath ? { recordPath: options.recordPath } : {}),
    ...(options.decoding ? { decoding: options.decoding } : {}),
  });
  const player = await PulsePlayer.open({ latencyMs: 1000 });
  try {
    // Keep every captured block by its frame index (the ring index, absent overflow).
    const chunks: Array<{ frameIndex: number; samples: Float32Array }> = [];
    const offBlock =
      (options.keepAudio ?? true) ? source.capture.on('block', (b) => chunks.push({ frameIndex: b.frameIndex, samples: b.samples.slice() })) : () => {};
    const received: LiveRunResult['received'] = [];
    let ended: TakeEnd | null = null;
    source.start({
      bytes: (data, timeSec, receivedMs) => received.push({ bytes: Array.from(data), timeSec, receivedMs }),
      end: (end) => {
        ended = end;
      },
    });
    const leadIn = new Float32Array(Math.round((options.leadInSec ?? 0.3) * RIG_RATE));
    const started = performance.now();
    player.play(leadIn);
    // Fed a second at a time, kept about 1.5 s ahead: a long run never queues minutes of audio.
    const piece = RIG_RATE;
    let fed = 0;
    let nextReport = started + 1000;
    const playSec = leadIn.length / RIG_RATE + options.signal.length / RIG_RATE;
    // Playback buffer (1 s) + the model's decision delay, then stop.
    const until = started + (playSec + 1.5) * 1000;
    while (performance.now() < until) {
      const elapsedSec = (performance.now() - started) / 1000;
      while (fed < options.signal.length && fed / RIG_RATE < elapsedSec + 1.5) {
        player.play(options.signal.subarray(fed, Math.min(options.signal.length, fed + piece)));
        fed += piece;
      }
      if (performance.now() >= nextReport) {
        nextReport += 1000;
        options.onSecond?.();
      }
      await sleep(Math.max(1, Math.min(250, until - performance.now())));
    }
    const done = await source.finish();
    offBlock();
    const takeWallSec = (performance.now() - started) / 1000;
    const start = source.takeStartFrame;
    const captured = new Float32Array(chunks.length ? Math.max(0, done.endCaptureFrame - start) : 0);
    for (const c of chunks) {
      const at = c.frameIndex - start;
      if (at + c.samples.length <= 0 || at >= captured.length) continue;
      const from = Math.max(0, -at);
      captured.set(c.samples.subarray(from, Math.min(c.samples.length, captured.length - at)), at + from);
    }
    const digestLength = source.digests.reduce((n, d) => n + d.length, 0);
    const digests = new Float32Array(digestLength);
    let offset = 0;
    for (const d of source.digests) {
      digests.set(d, offset);
      offset += d.length;
    }
    const events: LiveNoteEvent[] = received.map((r) => ({
      kind: (r.bytes[0] as number) === 0x90 ? 'on' : 'off',
      pitch: r.bytes[1] as number,
      velocity: r.bytes[2] as number,
      timeSec: r.timeSec,
    }));
    return {
      events,
      flushed: done.flushed,
      received,
      ended,
      recording: done.recording,
      captured,
      captureRate: RIG_RATE,
      modelFramesTotal: done.modelFramesTotal,
      digests,
      stats: source.stats(),
      source: { latency: source.latency, model: source.model, takeStartMs: source.takeStartMs },
      signalOnsetTakeSec: firstOnsetFrame(captured, RIG_RATE) / RIG_RATE,
      signalOnsetSignalSec: firstOnsetFrame(options.signal, RIG_RATE) / RIG_RATE,
      takeWallSec,
    };
  } finally {
    await player.close();
    await source.dispose();
  }
}
