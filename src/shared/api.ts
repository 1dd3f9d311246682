/**
 * THE contract between renderer and main: one map of methods (argument schema + result type)
 * and one map of push events. Electron IPC and the serve-mode WebSocket both dispatch from it;
 * channel names are the keys. Every argument is validated with its schema on arrival.
 */
import { z } from 'zod';
import type { Score } from './score';
import type { AttemptDetail, AttemptRecord, FeedbackEvent, PracticeProgress } from './practice';
import type { EvaluationResult } from './evaluation';
import type { AttemptRecordingInfo, AudioDeviceList, AudioLevelEvent, AudioMonitorState, CalibrationReport, LiveLatencyReport } from './live';
import type { ExportedFile, LessonAnnotation, LessonDetail, LessonProgress, LessonRecord } from './lessons';

const id = z.number().int().positive();

export const practiceOptionsSchema = z.object({
  mode: z.enum(['wait', 'play-through']),
  hands: z.enum(['both', 'left', 'right']),
  loop: z
    .object({ fromMeasure: z.number().int().min(0), toMeasure: z.number().int().min(0) })
    .refine((l) => l.toMeasure >= l.fromMeasure, 'loop.toMeasure must be >= loop.fromMeasure')
    .nullable(),
  tempoFactor: z.number().min(0.25).max(2),
  metronome: z.boolean(),
});

export const practiceInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('midi-device'), deviceId: z.string().min(1) }),
  z.object({
    kind: z.literal('replay'),
    midiBase64: z.string().min(1).max(20_000_000),
    speed: z.number().min(0.1).max(100),
  }),
  z.object({
    kind: z.literal('audio-device'),
    deviceName: z.string().min(1).max(500).optional(),
    sampleRate: z.number().int().min(8000).max(192_000).optional(),
    bufferFrames: z.number().int().min(16).max(8192).optional(),
  }),
]);

/** Argument schemas, one per method. */
export const methodArgs = {
  'app.info': z.object({}),
  'profiles.list': z.object({}),
  'profiles.create': z.object({ name: z.string().trim().min(1).max(80) }),
  'profiles.delete': z.object({ profileId: id }),
  'library.list': z.object({}),
  'library.getScore': z.object({ pieceId: id }),
  'library.import': z.object({
    fileName: z.string().min(1).max(255),
    dataBase64: z.string().min(1).max(50_000_000),
  }),
  'library.delete': z.object({ pieceId: id }),
  'midi.listDevices': z.object({}),
  'audio.listDevices': z.object({}),
  'audio.liveLatency': z.object({}),
  'audio.monitor': z.object({
    on: z.boolean(),
    deviceName: z.string().min(1).max(500).optional(),
    bufferFrames: z.number().int().min(16).max(8192).optional(),
  }),
  'audio.calibrate': z.object({
    deviceName: z.string().min(1).max(500).optional(),
    bufferFrames: z.number().int().min(16).max(8192).optional(),
    step: z.discriminatedUnion('step', [
      z.object({ step: z.literal('silence'), seconds: z.number().min(0.5).max(30) }),
      z.object({ step: z.literal('play'), seconds: z.number().min(1).max(60), noiseFloorDbfs: z.number().min(-200).max(0).nullable().optional() }),
      z.object({ step: z.literal('latency'), clicks: z.number().int().min(3).max(32), intervalMs: z.number().int().min(300).max(3000) }),
    ]),
  }),
  'audio.setLatencyOffset': z.object({ offsetMs: z.number().min(-500).max(500) }),
  'audio.attemptRecording': z.object({ attemptId: id }),
  'audio.attemptRecordingFile': z.object({ attemptId: id }),
  'practice.start': z.object({
    profileId: id,
    pieceId: id,
    options: practiceOptionsSchema,
    input: practiceInputSchema,
  }),
  'practice.stop': z.object({ sessionId: z.string().min(1) }),
  'attempts.list': z.object({ profileId: id, pieceId: id.optional() }),
  'attempts.get': z.object({ attemptId: id }),
  'settings.get': z.object({}),
  'settings.set': z.object({ key: z.string().min(1).max(100), value: z.unknown() }),
  'lessons.list': z.object({ profileId: id.optional() }),
  'lessons.import': z.object({
    profileId: id,
    pieceId: id.nullable().optional(),
    fileName: z.string().min(1).max(255),
    title: z.string().trim().min(1).max(200).optional(),
    // Audio lessons are large: ~150 MB of bytes.
    dataBase64: z.string().min(1).max(200_000_000),
  }),
  'lessons.get': z.object({ lessonId: id }),
  'lessons.cancel': z.object({ lessonId: id }),
  'lessons.retry': z.object({ lessonId: id }),
  'lessons.attachScore': z.object({ lessonId: id, pieceId: id.nullable() }),
  'lessons.annotate': z.object({ lessonId: id, measureIndex: z.number().int().min(0), text: z.string().trim().min(1).max(5000) }),
  'lessons.deleteAnnotation': z.object({ annotationId: id }),
  'lessons.delete': z.object({ lessonId: id }),
  'lessons.exportMidi': z.object({ lessonId: id }),
  'lessons.exportReport': z.object({ lessonId: id }),
  'lessons.exportBundle': z.object({ lessonId: id }),
  'lessons.exportReportPdf': z.object({ lessonId: id }),
  'lessons.recording': z.object({ lessonId: id }),
  'lessons.importBundle': z.object({ dataBase64: z.string().min(1).max(300_000_000) }),
  /** A practice attempt's microphone recording becomes an audio lesson (same student and score). */
  'lessons.fromAttempt': z.object({ attemptId: id, title: z.string().trim().min(1).max(200).optional() }),
} as const;

export interface AppInfo {
  version: string;
  mode: 'electron' | 'serve';
  dataDir: string;
}
export interface Profile {
  id: number;
  name: string;
  createdAt: number;
}
export interface PieceRecord {
  id: number;
  title: string;
  composer: string;
  /** 'starter' for built-in exercises, 'import' for user files. */
  origin: 'starter' | 'import';
  /** 1 (easiest) .. 9, null if unknown. */
  difficulty: number | null;
  category: string;
  measureCount: number;
  noteCount: number;
  createdAt: number;
}
export interface MidiDeviceList {
  /** False when no MIDI system exists on this machine (no ALSA sequencer): `message` says why. */
  available: boolean;
  message: string | null;
  devices: { id: string; name: string }[];
}
export interface PracticeStarted {
  sessionId: string;
}
export interface PracticeStopped {
  attempt: AttemptDetail | null;
}

/** Result types, one per method. */
export interface MethodResults {
  'app.info': AppInfo;
  'profiles.list': Profile[];
  'profiles.create': Profile;
  'profiles.delete': { deleted: true };
  'library.list': PieceRecord[];
  'library.getScore': { piece: PieceRecord; score: Score };
  'library.import': PieceRecord;
  'library.delete': { deleted: true };
  'midi.listDevices': MidiDeviceList;
  'audio.listDevices': AudioDeviceList;
  'audio.liveLatency': LiveLatencyReport;
  'audio.monitor': AudioMonitorState;
  'audio.calibrate': CalibrationReport;
  'audio.setLatencyOffset': { offsetMs: number };
  'audio.attemptRecording': AttemptRecordingInfo;
  /** The take's WAV bytes (Electron, which has no HTTP server); serve mode streams it from the path instead. */
  'audio.attemptRecordingFile': ExportedFile;
  'practice.start': PracticeStarted;
  'practice.stop': PracticeStopped;
  'attempts.list': AttemptRecord[];
  'attempts.get': AttemptDetail;
  'settings.get': Record<string, unknown>;
  'settings.set': { ok: true };
  'lessons.list': LessonRecord[];
  'lessons.import': LessonRecord;
  'lessons.get': LessonDetail;
  'lessons.cancel': LessonRecord;
  'lessons.retry': LessonRecord;
  'lessons.attachScore': LessonDetail;
  'lessons.annotate': LessonAnnotation;
  'lessons.deleteAnnotation': { deleted: true };
  'lessons.delete': { deleted: true };
  'lessons.exportMidi': ExportedFile;
  'lessons.exportReport': ExportedFile;
  'lessons.exportBundle': ExportedFile;
  /** The HTML report printed to PDF (UNSUPPORTED when no Chromium/Electron can print). */
  'lessons.exportReportPdf': ExportedFile;
  /** An audio lesson's recording as stored (CONFLICT for MIDI lessons); serve mode streams it from LESSON_MEDIA_PREFIX instead. */
  'lessons.recording': ExportedFile;
  'lessons.importBundle': LessonRecord;
  'lessons.fromAttempt': LessonRecord;
}

export type MethodName = keyof typeof methodArgs;
export type MethodArgs<M extends MethodName> = z.infer<(typeof methodArgs)[M]>;
export type MethodResult<M extends MethodName> = MethodResults[M];

/** Push events from main to renderer. */
export interface PushEvents {
  'practice.feedback': FeedbackEvent;
  'practice.progress': PracticeProgress;
  'practice.finished': { sessionId: string; attempt: AttemptDetail | null };
  'practice.metronome': { sessionId: string; beat: number; accent: boolean };
  'midi.devicesChanged': MidiDeviceList;
  'lessons.progress': LessonProgress;
  'audio.level': AudioLevelEvent;
  /** Calibration's latency step: play a click now (the renderer sounds it like the metronome). */
  'audio.calibrationClick': { index: number; count: number };
  'error': { code: string; message: string };
}
export type PushEventName = keyof PushEvents;

/** The bridge object: what preload exposes as window.seminote and what the WS client implements. */
export interface SeminoteBridge {
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
}

export type { EvaluationResult };
