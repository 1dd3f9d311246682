/**
 * Review playback state: picks the sound source (the recording, else the simple synth for a MIDI
 * take), and publishes the position through a tiny store so the playhead and score cursor move
 * every animation frame without re-rendering the whole review.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { LessonDetail } from '../../../shared/lessons';
import { LESSON_MEDIA_PREFIX, TOKEN_QUERY_PARAM } from '../../../shared/wire';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { base64ToBytes } from './download';
import { clipFor } from './playback';
import { AudioElementPlayer, SimpleSynthPlayer } from './players';
import type { LessonPlayer } from './players';

export interface ClockState {
  time: number;
  playing: boolean;
}

/** The position of the take being played: written by the frame loop, read by whoever subscribes. */
export class PlaybackClock {
  private state: ClockState = { time: 0, playing: false };
  private readonly listeners = new Set<() => void>();
  get = (): ClockState => this.state;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  set(time: number, playing: boolean): void {
    if (time === this.state.time && playing === this.state.playing) return;
    this.state = { time, playing };
    for (const l of this.listeners) l();
  }
}

export const useClock = (clock: PlaybackClock): ClockState => useSyncExternalStore(clock.subscribe, clock.get);

/** Serve mode streams the recording over HTTP (seekable by byte ranges); Electron gets the bytes over IPC. */
async function recordingSource(lessonId: number): Promise<{ url: string; revoke: () => void }> {
  const token = new URL(window.location.href).searchParams.get(TOKEN_QUERY_PARAM);
  if (api.kind === 'websocket' && token) {
    return { url: `${LESSON_MEDIA_PREFIX}${lessonId}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`, revoke: () => undefined };
  }
  const file = await api.invoke('lessons.recording', { lessonId });
  const url = URL.createObjectURL(new Blob([base64ToBytes(file.dataBase64)], { type: file.mimeType }));
  return { url, revoke: () => URL.revokeObjectURL(url) };
}

export interface Playback {
  clock: PlaybackClock;
  /** The <audio> element's source for a recording, null for the synth (or while loading). */
  audioSrc: string | null;
  audioRef: React.RefObject<HTMLAudioElement | null>;
  /** Call when the <audio> element has mounted or changed. */
  attachAudio(): void;
  label: string | null;
  error: string | null;
  duration: number;
  toggle(): void;
  seek(sec: number): void;
  /** Seeks to a note and plays it (and whatever sounds with it) to its end. */
  playClip(startSec: number, endSec: number): void;
}

export function usePlayback(detail: LessonDetail | null): Playback {
  const clock = useMemo(() => new PlaybackClock(), []);
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const playerRef = useRef<LessonPlayer | null>(null);
  const stopAtRef = useRef<number | null>(null);
  const [audioSrc, setAudioSrc] = useState<string | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const [duration, setDuration] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const lessonId = detail?.lesson.id ?? null;
  const isAudio = detail?.lesson.sourceKind === 'audio';
  const notes = detail?.performance?.notes ?? null;

  const install = (player: LessonPlayer | null): void => {
    playerRef.current?.dispose();
    playerRef.current = player;
    setLabel(player?.label ?? null);
    setDuration(player?.duration() ?? 0);
    clock.set(0, false);
  };

  // Choose the source when the lesson changes.
  useEffect(() => {
    let live = true;
    let revoke = (): void => undefined;
    setError(null);
    setAudioSrc(null);
    if (lessonId === null) return;
    if (isAudio) {
      recordingSource(lessonId)
        .then((s) => {
          if (!live) return s.revoke();
          revoke = s.revoke;
          setAudioSrc(s.url);
        })
        .catch((e: unknown) => live && setError(`The recording cannot be played: ${describeError(e)}`));
    } else if (notes && notes.length > 0) {
      install(new SimpleSynthPlayer(notes));
    }
    return () => {
      live = false;
      install(null);
      revoke();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- install only touches refs, state setters and the stable clock
  }, [lessonId, isAudio, notes]);

  // The frame loop: publishes the position while playing, and ends a clicked note's clip.
  useEffect(() => {
    let frame = 0;
    const tick = (): void => {
      const player = playerRef.current;
      if (player) {
        const time = player.currentTime();
        if (stopAtRef.current !== null && time >= stopAtRef.current) {
          stopAtRef.current = null;
          player.pause();
        }
        clock.set(time, player.playing());
        if (player.duration() !== 0) setDuration(player.duration());
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [clock]);

  const run = (action: (player: LessonPlayer) => void | Promise<void>): void => {
    const player = playerRef.current;
    if (!player) return;
    Promise.resolve(action(player))
      .then(() => clock.set(player.currentTime(), player.playing()))
      .catch((e: unknown) => setError(`Playback failed: ${describeError(e)}`));
  };

  return {
    clock,
    audioSrc,
    audioRef,
    attachAudio: () => {
      const el = audioRef.current;
      if (el && (!playerRef.current || !(playerRef.current instanceof AudioElementPlayer))) install(new AudioElementPlayer(el));
    },
    label,
    error,
    duration,
    toggle: () =>
      run((p) => {
        stopAtRef.current = null;
        return p.playing() ? p.pause() : p.play();
      }),
    seek: (sec) =>
      run((p) => {
        stopAtRef.current = null;
        p.seek(sec);
      }),
    playClip: (startSec, endSec) =>
      run((p) => {
        const clip = clipFor(startSec, endSec, p.duration() || null);
        p.seek(clip.startSec);
        stopAtRef.current = clip.stopSec;
        return p.play();
      }),
  };
}
