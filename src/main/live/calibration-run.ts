/**
 * Runs the calibration steps on a real input: silence (noise floor), play (gain advice, energy
 * onsets, and the notes the transcription model detects per register), latency (clicks -> the
 * struck notes the user played on them). Each step opens the input and, for "play", the live
 * transcriber, and releases both when it ends. Judgements live in calibration.ts.
 */
import type { CalibrationLatencyReport, CalibrationPlayReport, CalibrationSilenceReport } from '../../shared/live';
import type { AudioCapture } from '../audio/capture';
import type { LevelReading } from '../audio/levelMeter';
import { toDbfs } from '../audio/levelMeter';
import { RiseOnsetDetector } from '../audio/onsetDetector';
import { AudioNoteSource } from './audioNoteSource';
import { describeLatency, describeNoiseFloor, gainAdvice, measureLatencyOffset, percentile, registerChecks } from './calibration';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects level windows and struck-note onsets (capture clock, ms) while a step runs. */
class StepListener {
  readonly rms: number[] = [];
  readonly onsetTimesMs: number[] = [];
  peakDbfs = -120;
  clippedWindows = 0;
  private readonly offs: Array<() => void> = [];

  constructor(capture: AudioCapture, noiseFloorDbfs: number | null) {
    // A strike rises above the notes still ringing; windows within 15 dB of the room (and below
    // -55 dBFS) never count, so noise does not.
    const minDbfs = Math.max(-55, (noiseFloorDbfs ?? -70) + 15);
    const rate = capture.stream?.sampleRate ?? 48_000;
    const detector = new RiseOnsetDetector({ sampleRate: rate, minDbfs });
    this.offs.push(
      capture.on('level', (r: LevelReading) => {
        this.rms.push(r.rmsDbfs);
        this.peakDbfs = Math.max(this.peakDbfs, r.peakDbfs);
        if (r.clipped) this.clippedWindows++;
      }),
      capture.on('block', (b) => detector.push(b.samples, b.frameIndex, (frame) => this.onsetTimesMs.push(capture.frameTimeMs(frame)))),
    );
  }

  stop(): void {
    for (const off of this.offs) off();
  }
}

function deviceName(capture: AudioCapture): string {
  return capture.stream?.device.name ?? 'audio input';
}

export async function runSilenceStep(capture: AudioCapture, seconds: number): Promise<CalibrationSilenceReport> {
  const listener = new StepListener(capture, null);
  await sleep(seconds * 1000);
  listener.stop();
  // In silence every window is noise: the median, not a low percentile, is the floor.
  const floor = listener.rms.length > 0 ? percentile(listener.rms, 50) : toDbfs(0);
  return { step: 'silence', deviceName: deviceName(capture), noiseFloorDbfs: floor, peakDbfs: listener.peakDbfs, message: describeNoiseFloor(floor) };
}

export async function runPlayStep(capture: AudioCapture, modelDir: string, seconds: number, noiseFloorDbfs: number | null): Promise<CalibrationPlayReport> {
  const source = await AudioNoteSource.open({ modelDir, sharedCapture: capture });
  const notes: number[] = [];
  const listener = new StepListener(capture, noiseFloorDbfs);
  try {
    source.start({
      bytes: (data) => {
        if (data[0] === 0x90 && (data[2] ?? 0) > 0) notes.push(data[1] as number);
      },
      end: () => {},
    });
    await sleep(seconds * 1000);
    await source.finish();
  } finally {
    listener.stop();
    await source.dispose();
  }
  // Without a silence step, the quiet moments between notes stand in for the floor.
  const floor = noiseFloorDbfs ?? (listener.rms.length > 0 ? percentile(listener.rms, 10) : null);
  const levels = {
    peakDbfs: listener.peakDbfs,
    loudRmsDbfs: listener.rms.length > 0 ? percentile(listener.rms, 95) : toDbfs(0),
    noiseFloorDbfs: floor,
    clippedWindows: listener.clippedWindows,
    onsetsHeard: listener.onsetTimesMs.length,
  };
  const { advice, message } = gainAdvice(levels);
  return {
    step: 'play',
    deviceName: deviceName(capture),
    ...levels,
    notesDetected: notes.length,
    advice,
    message,
    registers: registerChecks(notes),
    modelVersion: source.model.modelVersion,
  };
}

/**
 * Sends `clicks` clicks (`emitClick`, which the renderer sounds like the metronome) `intervalMs`
 * apart and times the struck notes heard after each. Click times are taken when the click leaves
 * the services, the same moment a metronome beat does, so the offset covers everything the user
 * experiences: event delivery, the click's audio output, their reaction, the piano and the input.
 */
export async function runLatencyStep(capture: AudioCapture, clicks: number, intervalMs: number, emitClick: (index: number) => void, noiseFloorDbfs: number | null = null): Promise<CalibrationLatencyReport> {
  const listener = new StepListener(capture, noiseFloorDbfs);
  const clickTimesMs: number[] = [];
  const lead = 1000;
  const started = performance.now();
  try {
    for (let i = 0; i < clicks; i++) {
      await sleep(Math.max(0, started + lead + i * intervalMs - performance.now()));
      clickTimesMs.push(performance.now());
      emitClick(i);
    }
    // The last note may come up to the search window after its click.
    await sleep(600);
  } finally {
    listener.stop();
  }
  const m = measureLatencyOffset(clickTimesMs, listener.onsetTimesMs);
  return { step: 'latency', deviceName: deviceName(capture), clicks, matched: m.matched, offsetMs: m.offsetMs, spreadMs: m.spreadMs, message: describeLatency(m, clicks) };
}
