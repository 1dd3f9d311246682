/**
 * The services' entry points into the live audio path: list audio inputs, and open an
 * AudioNoteSource for a practice take ({ kind: 'audio-device' } input). Loaded on first use, so the
 * app starts without loading PortAudio or onnxruntime.
 */
import type { AudioDeviceList, LatencyPercentiles, LiveLatencyReport } from '../../shared/live';
import type { PracticeInput } from '../../shared/practice';
import { listHostApis, listInputDevices } from '../audio/devices';
import { defaultModelDir } from '../cli/transcribe';
import { AudioNoteSource } from './audioNoteSource';
import type { AudioNoteSourceOptions } from './audioNoteSource';
import { STAGES } from './latency-log';
import type { Percentiles } from './latency-log';

/** The latest microphone take's source: its latency log outlives the take for Diagnostics. */
let latest: AudioNoteSource | null = null;

export function listAudioDevices(): AudioDeviceList {
  try {
    const devices = listInputDevices().map((d) => ({
      name: d.name,
      hostApi: d.hostApi,
      maxInputChannels: d.maxInputChannels,
      defaultSampleRate: d.defaultSampleRate,
      defaultLowInputLatencySec: d.defaultLowInputLatency,
      isDefault: d.isDefault,
    }));
    const hostApis = listHostApis().map((h) => ({ name: h.name, type: h.type, deviceCount: h.deviceCount, isDefault: h.isDefault }));
    if (devices.length === 0) {
      return { available: false, message: 'No audio input was found. Connect a microphone or audio interface.', devices, hostApis };
    }
    return { available: true, message: null, devices, hostApis };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { available: false, message: `Audio input is unavailable on this machine: ${why}`, devices: [], hostApis: [] };
  }
}

/** A take's note source from the microphone; released (capture and worker) when the take stops. */
export async function openAudioNoteSource(
  input: Extract<PracticeInput, { kind: 'audio-device' }>,
  modelDir = defaultModelDir(),
  take: Pick<AudioNoteSourceOptions, 'recordPath' | 'recordFormat' | 'userOffsetSec'> = {},
): Promise<AudioNoteSource> {
  const source = await AudioNoteSource.open({
    ...take,
    modelDir,
    capture: {
      ...(input.deviceName ? { device: input.deviceName } : {}),
      ...(input.sampleRate ? { sampleRate: input.sampleRate } : {}),
      ...(input.bufferFrames ? { framesPerBuffer: input.bufferFrames } : {}),
    },
    releaseOnStop: true,
  });
  latest = source;
  return source;
}

const wire = (p: Percentiles): LatencyPercentiles => {
  const n = (v: number) => (Number.isFinite(v) ? v : null);
  return { count: p.count, p50: n(p.p50), p95: n(p.p95), p99: n(p.p99), max: n(p.max) };
};

/** Per-stage latency of the latest microphone take (running or ended). */
export function liveLatencyReport(): LiveLatencyReport {
  if (!latest) return { available: false, label: null, pipeline: null, onsetToSent: null, byStage: null, ringOverflowFrames: 0, maxBacklogMs: 0, modelLookAheadMs: null, modelVersion: null };
  const summary = latest.latency.summary();
  const stats = latest.stats();
  const rate = latest.capture.stream?.sampleRate ?? 48_000;
  return {
    available: true,
    label: latest.label,
    pipeline: wire(summary.pipeline),
    onsetToSent: wire(summary.onsetToSent),
    byStage: Object.fromEntries(STAGES.map((stage) => [stage, wire(summary.byStage[stage])])) as LiveLatencyReport['byStage'],
    ringOverflowFrames: stats.ringOverflowFrames,
    maxBacklogMs: (stats.maxBacklogFrames / rate) * 1000,
    modelLookAheadMs: latest.model.lookAheadSec * 1000,
    modelVersion: latest.model.modelVersion,
  };
}
