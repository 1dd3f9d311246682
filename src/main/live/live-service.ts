/**
 * The services' live-audio side beyond the note source itself: the input meter (`audio.level`
 * pushes during takes, calibration and the device picker's monitor), calibration steps, the user's
 * latency offset (settings), and each microphone take's recording, linked to its attempt.
 * PortAudio and onnxruntime are loaded on first use, so the app starts without them.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Database } from 'better-sqlite3';
import type { MethodArgs, MethodResult } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { LATENCY_OFFSET_SETTING } from '../../shared/live';
import type { AudioMonitorState, CalibrationReport } from '../../shared/live';
import type { AttemptDetail, PracticeInput } from '../../shared/practice';
import type { AudioCapture } from '../audio/capture';
import { feedLevels } from '../audio/levelPush';
import { getAllSettings, getAttempt, setSetting } from '../db';
import type { MidiInputSource } from '../midi/source';
import type { ServiceEvents } from '../services/events';
import type { AudioNoteSource } from './audioNoteSource';
import { recordingHttpPath } from './recording-http';
import { discardRecording, findRecording, linkRecording, newTakeRecordingPath } from './recordings-store';

type AudioInput = Extract<PracticeInput, { kind: 'audio-device' }>;

export interface LiveAudioServiceDeps {
  db: Database;
  dataDir: string;
  events: ServiceEvents;
  /** Model directory for takes and calibration (default: the newest under models/transcription). */
  modelDir?: () => string;
}

export type LiveHandlers = {
  [M in 'audio.monitor' | 'audio.calibrate' | 'audio.setLatencyOffset' | 'audio.attemptRecording' | 'audio.attemptRecordingFile']: (args: MethodArgs<M>) => Promise<MethodResult<M>> | MethodResult<M>;
};

export class LiveAudioService {
  private monitorCapture: AudioCapture | null = null;
  private calibrating = false;
  private readonly takes = new Map<AudioNoteSource, string>();

  constructor(private readonly deps: LiveAudioServiceDeps) {}

  /** The user's latency offset in ms (0 until calibrated). */
  latencyOffsetMs(): number {
    const value = getAllSettings(this.deps.db)[LATENCY_OFFSET_SETTING];
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  }

  /** A practice take from the microphone: offset applied, levels pushed, audio recorded. */
  async openTake(input: AudioInput): Promise<MidiInputSource> {
    await this.stopMonitor();
    const { openAudioNoteSource } = await import('./practice-input');
    const recordPath = newTakeRecordingPath(this.deps.dataDir);
    const source = await openAudioNoteSource(input, this.deps.modelDir?.(), {
      recordPath,
      recordFormat: 'pcm16',
      userOffsetSec: this.latencyOffsetMs() / 1000,
    });
    // The capture clears its listeners when the take releases it.
    feedLevels(source.capture, 'take', (event) => this.deps.events.emit('audio.level', event));
    this.takes.set(source, recordPath);
    return source;
  }

  /** After the attempt is saved (or not): link the take's recording to it, or delete the file. */
  async takeEnded(source: MidiInputSource, attempt: AttemptDetail | null): Promise<void> {
    const take = source as AudioNoteSource;
    const path = this.takes.get(take);
    if (path === undefined) return;
    this.takes.delete(take);
    const finished = await take.whenFinished()?.catch(() => null);
    const recording = finished?.recording ?? null;
    if (!attempt || !recording || recording.frames === 0) {
      discardRecording(path);
      return;
    }
    try {
      linkRecording(this.deps.db, this.deps.dataDir, { attemptId: attempt.id, path, sampleRate: take.capture.stream?.sampleRate ?? 48_000, frames: recording.frames });
    } catch (err) {
      this.deps.events.emit('error', { code: 'INTERNAL', message: `The take's recording was not linked to its attempt: ${(err as Error).message}` });
    }
  }

  handlers(): LiveHandlers {
    return {
      'audio.monitor': (args) => (args.on ? this.startMonitor(args) : this.stopMonitor()),
      'audio.calibrate': (args) => this.calibrate(args),
      'audio.setLatencyOffset': ({ offsetMs }) => {
        // `|| 0`: Math.round(-0.4) is -0, which SQLite/JSON store as 0; the answer must equal what is stored.
        const rounded = Math.round(offsetMs) || 0;
        setSetting(this.deps.db, LATENCY_OFFSET_SETTING, rounded);
        return { offsetMs: rounded };
      },
      'audio.attemptRecording': ({ attemptId }) => {
        getAttempt(this.deps.db, attemptId); // NOT_FOUND for an unknown attempt
        const stored = findRecording(this.deps.db, this.deps.dataDir, attemptId);
        if (!stored) return { attemptId, available: false, path: null, durationSec: 0, sampleRate: 0, message: 'This attempt has no recording (it was not played through a microphone).' };
        if (!existsSync(stored.path)) return { attemptId, available: false, path: null, durationSec: 0, sampleRate: stored.sampleRate, message: 'The recording file of this attempt is missing.' };
        return { attemptId, available: true, path: recordingHttpPath(attemptId), durationSec: stored.frames / stored.sampleRate, sampleRate: stored.sampleRate, message: null };
      },
      'audio.attemptRecordingFile': async ({ attemptId }) => {
        getAttempt(this.deps.db, attemptId);
        const stored = findRecording(this.deps.db, this.deps.dataDir, attemptId);
        const bytes = stored ? await readFile(stored.path).catch(() => null) : null;
        if (!bytes) throw new AppError('NOT_FOUND', `Attempt ${attemptId} has no recording.`);
        return { fileName: `attempt-${attemptId}.wav`, mimeType: 'audio/wav', dataBase64: bytes.toString('base64') };
      },
    };
  }

  private async openCapture(deviceName: string | undefined, bufferFrames: number | undefined): Promise<AudioCapture> {
    const { AudioCapture } = await import('../audio/capture');
    const capture = new AudioCapture({ ...(deviceName ? { device: deviceName } : {}), ...(bufferFrames ? { framesPerBuffer: bufferFrames } : {}) });
    try {
      capture.start();
      await capture.whenRunning(5000);
      return capture;
    } catch (err) {
      await capture.dispose();
      throw err;
    }
  }

  private async startMonitor(args: MethodArgs<'audio.monitor'>): Promise<AudioMonitorState> {
    await this.stopMonitor();
    if (this.calibrating) throw new AppError('CONFLICT', 'The input is busy with a calibration step.');
    const capture = await this.openCapture(args.deviceName, args.bufferFrames);
    this.monitorCapture = capture;
    feedLevels(capture, 'monitor', (event) => this.deps.events.emit('audio.level', event));
    capture.on('state', (change) => {
      if (change.state === 'recovering' || change.state === 'failed') this.deps.events.emit('error', { code: 'DEVICE_UNAVAILABLE', message: change.message });
    });
    return { running: true, deviceName: capture.stream?.device.name ?? null, message: null };
  }

  private async stopMonitor(): Promise<AudioMonitorState> {
    const capture = this.monitorCapture;
    this.monitorCapture = null;
    await capture?.dispose();
    return { running: false, deviceName: null, message: null };
  }

  private async calibrate(args: MethodArgs<'audio.calibrate'>): Promise<CalibrationReport> {
    if (this.calibrating) throw new AppError('CONFLICT', 'A calibration step is already running.');
    this.calibrating = true;
    await this.stopMonitor();
    let capture: AudioCapture | null = null;
    try {
      capture = await this.openCapture(args.deviceName, args.bufferFrames);
      feedLevels(capture, 'calibration', (event) => this.deps.events.emit('audio.level', event));
      const run = await import('./calibration-run');
      const step = args.step;
      if (step.step === 'silence') return await run.runSilenceStep(capture, step.seconds);
      if (step.step === 'play') {
        const { defaultModelDir } = await import('../cli/transcribe');
        return await run.runPlayStep(capture, this.deps.modelDir?.() ?? defaultModelDir(), step.seconds, step.noiseFloorDbfs ?? null);
      }
      return await run.runLatencyStep(capture, step.clicks, step.intervalMs, (index) => this.deps.events.emit('audio.calibrationClick', { index, count: step.clicks }));
    } finally {
      await capture?.dispose();
      this.calibrating = false;
    }
  }

  async dispose(): Promise<void> {
    await this.stopMonitor();
  }
}
