/**
 * createServices: the app's back end, independent of transport. Electron IPC and the serve-mode
 * server both call `dispatch(services, method, args)` and forward `services.events`. Never
 * imports electron.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, MethodArgs, MethodName, MethodResult } from '../../shared/api';
import { DATABASE_FILE_NAME, openDatabase } from '../db';
import type { Database } from '../db';
import { createProfile, deleteProfile, getAttempt, getAllSettings, listAttempts, listProfiles, setSetting } from '../db';
import { RtMidiSystem } from '../midi/devices';
import type { MidiSystem } from '../midi/devices';
import { watchDevices } from '../midi/hotplug';
import type { DeviceWatcher } from '../midi/hotplug';
import { ServiceEvents } from './events';
import { libraryHandlers, seedStarterLibrary } from './library';
import type { StarterPiece } from './library';
import { PracticeManager } from './practice';
import { ScoreCache } from './score-cache';
import type { FollowerFactory } from './practice';
import { createCoreFollower } from './core-follower';
import { loadStarterPieces } from './starter';
import { LessonService } from './lessons';
import { lessonHandlers } from './lessons-exports';
import { lessonFromAttempt } from './lessons-from-attempt';
import { workerTranscriber } from './lessons-transcriber';
import type { LessonTranscriber } from './lessons-transcriber';
import { defaultModelDir } from '../cli/transcribe';
import { LiveAudioService } from '../live/live-service';

export type Handlers = { [M in MethodName]: (args: MethodArgs<M>) => MethodResult<M> | Promise<MethodResult<M>> };

export interface ServicesOptions {
  dataDir: string;
  /** 'electron' unless the caller says otherwise (the serve-mode server passes 'serve'). */
  mode?: AppInfo['mode'];
  /** Defaults to RtMidi; the hot-plug poller runs only when `watchMidiDevices` is not false. */
  midi?: MidiSystem;
  watchMidiDevices?: boolean;
  createFollower?: FollowerFactory;
  starterPieces?: () => readonly StarterPiece[];
  /** Audio lessons → notes; defaults to the inference worker with the newest model (started on first use). */
  lessonTranscriber?: LessonTranscriber;
}

export interface Services {
  readonly dataDir: string;
  readonly db: Database;
  readonly events: ServiceEvents;
  readonly handlers: Handlers;
  readonly practice: PracticeManager;
  readonly lessons: LessonService;
  dispose(): void;
}

/**
 * The version in Seminote's package.json, found by walking up from this module: the same code
 * runs from src/main/services (tsx) and bundled into out/main (Electron), at different depths.
 */
function appVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'seminote' && pkg.version) return pkg.version;
    } catch {
      // not here: look one level up
    }
    dir = new URL('..', dir);
  }
  return '0.0.0';
}

export function createServices(options: ServicesOptions): Services {
  const db = openDatabase(join(options.dataDir, DATABASE_FILE_NAME));
  const events = new ServiceEvents();
  const midi = options.midi ?? new RtMidiSystem();
  let watcher: DeviceWatcher | null = null;
  try {
    seedStarterLibrary(db, (options.starterPieces ?? loadStarterPieces)());
    if (options.watchMidiDevices !== false) {
      watcher = watchDevices(
        () => midi.list(),
        (list) => events.emit('midi.devicesChanged', list),
      );
    }
  } catch (err) {
    db.close();
    throw err;
  }
  const scores = new ScoreCache(db);
  const live = new LiveAudioService({ db, dataDir: options.dataDir, events });
  const practice = new PracticeManager({ db, scores, events, midi, createFollower: options.createFollower ?? createCoreFollower, audio: live });
  const version = appVersion();
  const lessons = new LessonService({
    db,
    dataDir: options.dataDir,
    events,
    scores,
    transcriber: options.lessonTranscriber ?? workerTranscriber(() => defaultModelDir()),
  });

  const handlers: Handlers = {
    'app.info': () => ({ version, mode: options.mode ?? 'electron', dataDir: options.dataDir }),
    'profiles.list': () => listProfiles(db),
    'profiles.create': ({ name }) => createProfile(db, name),
    'profiles.delete': ({ profileId }) => {
      deleteProfile(db, profileId);
      return { deleted: true };
    },
    ...libraryHandlers(db, scores),
    'midi.listDevices': () => watcher?.current() ?? midi.list(),
    'audio.listDevices': async () => (await import('../live/practice-input')).listAudioDevices(),
    'audio.liveLatency': async () => (await import('../live/practice-input')).liveLatencyReport(),
    ...live.handlers(),
    'practice.start': (args) => practice.start(args),
    'practice.stop': ({ sessionId }) => practice.stop(sessionId),
    'attempts.list': ({ profileId, pieceId }) => listAttempts(db, profileId, pieceId),
    'attempts.get': ({ attemptId }) => getAttempt(db, attemptId),
    'settings.get': () => getAllSettings(db),
    'settings.set': ({ key, value }) => {
      setSetting(db, key, value);
      return { ok: true };
    },
    ...lessonHandlers(lessons, version),
    'lessons.fromAttempt': (args) => lessonFromAttempt(lessons, args),
  };

  let disposed = false;
  return {
    dataDir: options.dataDir,
    db,
    events,
    handlers,
    practice,
    lessons,
    dispose() {
      if (disposed) return;
      disposed = true;
      watcher?.dispose();
      practice.stopAll();
      void live.dispose();
      // Running transcriptions are aborted; the worker ends in the background (it owns no DB handle).
      void lessons.dispose();
      if (!options.midi) midi.dispose?.();
      events.clear();
      db.close();
    },
  };
}
