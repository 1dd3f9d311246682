import { create } from 'zustand';
import type { SeminoteBridge } from '../../../shared/api';
import type { MidiDeviceList, PieceRecord } from '../../../shared/api';
import type { AttemptDetail, PracticeInput, PracticeOptions } from '../../../shared/practice';
import type { AudioDeviceList } from '../../../shared/live';
import type { Score } from '../../../shared/score';
import { describeError } from '../../api/clientError';
import { fileToBase64 } from '../library/fileData';

export type InputKind = 'midi' | 'replay' | 'audio';
/** Capture block sizes offered for the microphone: smaller is lower latency, larger survives a busy machine. */
export const BUFFER_FRAMES = [128, 256, 512] as const;
export type SessionStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'finished';

export interface LiveCounts {
  correct: number;
  wrong: number;
  missed: number;
  extra: number;
}

export const EMPTY_COUNTS: LiveCounts = { correct: 0, wrong: 0, missed: 0, extra: 0 };

interface PracticeState {
  pieceId: number | null;
  piece: PieceRecord | null;
  score: Score | null;
  loadError: string | null;
  options: PracticeOptions;
  inputKind: InputKind;
  deviceId: string | null;
  devices: MidiDeviceList | null;
  replay: { fileName: string; base64: string } | null;
  audioDevices: AudioDeviceList | null;
  audioDeviceName: string | null;
  bufferFrames: number;
  replaySpeed: number;
  status: SessionStatus;
  sessionId: string | null;
  error: string | null;
  result: AttemptDetail | null;
  live: LiveCounts;
  /** Last metronome beat of the take (drives the visual beat next to the counts). */
  beat: { n: number; accent: boolean } | null;
  loadPiece(pieceId: number): Promise<void>;
  /** The piece with this id was deleted or replaced (a new import got its id): drop it and its result. */
  forgetPiece(pieceId: number): void;
  loadDevices(): Promise<void>;
  loadAudioDevices(): Promise<void>;
  setAudioDevice(name: string): void;
  setBufferFrames(frames: number): void;
  setOptions(patch: Partial<PracticeOptions>): void;
  setInputKind(kind: InputKind): void;
  setDevice(deviceId: string): void;
  setReplayFile(file: File): Promise<void>;
  setReplaySpeed(speed: number): void;
  start(profileId: number): Promise<string | null>;
  stop(): Promise<void>;
  finish(attempt: AttemptDetail | null): void;
  setLive(live: LiveCounts): void;
  setBeat(beat: { n: number; accent: boolean } | null): void;
  dismissError(): void;
}

export const DEFAULT_OPTIONS: PracticeOptions = { mode: 'wait', hands: 'both', loop: null, tempoFactor: 1, metronome: false };

/** What the stores need from the API: `invoke` (the app passes `api`; tests pass real services). */
export type ApiClient = Pick<SeminoteBridge, 'invoke'>;

/**
 * Practice holds one loaded piece (and its last take's result) while the user visits other views,
 * and reuses it when the same piece id is opened again. Piece ids are SQLite rowids, which the
 * next import reuses after the newest piece is deleted, so the id alone does not say the piece is
 * still the one loaded: the Library calls `forgetPiece` when it deletes or imports a piece.
 */
export function holdsLoadedPiece(state: Pick<PracticeState, 'pieceId' | 'score'>, pieceId: number): boolean {
  return state.pieceId === pieceId && state.score !== null;
}

export function createPracticeStore(client: ApiClient) {
  return create<PracticeState>((set, get) => ({
    pieceId: null,
    piece: null,
    score: null,
    loadError: null,
    options: DEFAULT_OPTIONS,
    inputKind: 'midi',
    deviceId: null,
    devices: null,
    replay: null,
    audioDevices: null,
    audioDeviceName: null,
    bufferFrames: 256,
    replaySpeed: 1,
    status: 'idle',
    sessionId: null,
    error: null,
    result: null,
    live: EMPTY_COUNTS,
    beat: null,

    async loadPiece(pieceId) {
      if (holdsLoadedPiece(get(), pieceId)) return;
      set({ pieceId, piece: null, score: null, loadError: null, result: null, status: 'idle', live: EMPTY_COUNTS, options: { ...get().options, loop: null } });
      try {
        const { piece, score } = await client.invoke('library.getScore', { pieceId });
        if (get().pieceId === pieceId) set({ piece, score });
      } catch (error) {
        if (get().pieceId === pieceId) set({ loadError: describeError(error) });
      }
    },
    forgetPiece(pieceId) {
      if (get().pieceId !== pieceId) return;
      const { status } = get();
      // A take still running keeps its session; only what belongs to the old piece goes.
      const busy = status === 'starting' || status === 'running' || status === 'stopping';
      set({ pieceId: null, piece: null, score: null, loadError: null, result: null, live: EMPTY_COUNTS, beat: null, ...(busy ? {} : { status: 'idle' as const }) });
    },
    async loadDevices() {
      try {
        const devices = await client.invoke('midi.listDevices', {});
        const current = get().deviceId;
        const keep = devices.devices.some((d) => d.id === current);
        set({ devices, deviceId: keep ? current : (devices.devices[0]?.id ?? null) });
        // With no keyboard at all, the demo replay is the only input that can work.
        if (devices.devices.length === 0 && get().inputKind === 'midi') set({ inputKind: 'replay' });
      } catch (error) {
        set({ error: describeError(error) });
      }
    },
    async loadAudioDevices() {
      try {
        const audioDevices = await client.invoke('audio.listDevices', {});
        const current = get().audioDeviceName;
        const keep = audioDevices.devices.some((d) => d.name === current);
        const preferred = audioDevices.devices.find((d) => d.isDefault) ?? audioDevices.devices[0];
        set({ audioDevices, audioDeviceName: keep ? current : (preferred?.name ?? null) });
      } catch (error) {
        set({ error: describeError(error) });
      }
    },
    setAudioDevice(audioDeviceName) {
      set({ audioDeviceName });
    },
    setBufferFrames(bufferFrames) {
      set({ bufferFrames });
    },
    setOptions(patch) {
      set({ options: { ...get().options, ...patch } });
    },
    setInputKind(inputKind) {
      set({ inputKind });
    },
    setDevice(deviceId) {
      set({ deviceId });
    },
    async setReplayFile(file) {
      try {
        set({ replay: { fileName: file.name, base64: await fileToBase64(file) }, error: null });
      } catch (error) {
        set({ error: `Could not read ${file.name}: ${describeError(error)}` });
      }
    },
    setReplaySpeed(replaySpeed) {
      set({ replaySpeed });
    },
    async start(profileId) {
      const s = get();
      if (!s.pieceId) return null;
      let input: PracticeInput;
      if (s.inputKind === 'replay') {
        if (!s.replay) {
          set({ error: 'Choose a .mid file to replay first.' });
          return null;
        }
        input = { kind: 'replay', midiBase64: s.replay.base64, speed: s.replaySpeed };
      } else if (s.inputKind === 'audio') {
        if (!s.audioDeviceName) {
          set({ error: s.audioDevices?.message ?? 'No microphone or audio input found. Connect one, or use the demo replay.' });
          return null;
        }
        input = { kind: 'audio-device', deviceName: s.audioDeviceName, bufferFrames: s.bufferFrames };
      } else {
        if (!s.deviceId) {
          set({ error: s.devices?.message ?? 'No MIDI keyboard is connected. Connect one, or use the demo replay.' });
          return null;
        }
        input = { kind: 'midi-device', deviceId: s.deviceId };
      }
      set({ status: 'starting', error: null, result: null, live: EMPTY_COUNTS, sessionId: null, beat: null });
      try {
        const { sessionId } = await client.invoke('practice.start', { profileId, pieceId: s.pieceId, options: s.options, input });
        // The session may already have finished (a short replay) before this answer arrived.
        if (get().status === 'starting') set({ status: 'running', sessionId });
        else set({ sessionId });
        return sessionId;
      } catch (error) {
        set({ status: 'idle', error: describeError(error) });
        return null;
      }
    },
    async stop() {
      const { sessionId } = get();
      if (!sessionId) return;
      set({ status: 'stopping' });
      try {
        const { attempt } = await client.invoke('practice.stop', { sessionId });
        if (get().status === 'stopping') get().finish(attempt);
      } catch (error) {
        set({ status: 'idle', error: describeError(error) });
      }
    },
    finish(attempt) {
      set({ status: 'finished', result: attempt });
    },
    setLive(live) {
      set({ live });
    },
    setBeat(beat) {
      set({ beat });
    },
    dismissError() {
      set({ error: null });
    },
  }));
}
