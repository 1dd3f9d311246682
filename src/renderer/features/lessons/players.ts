/**
 * The review's two sound sources behind one interface: the lesson's recording in an <audio>
 * element (audio lessons), and SimpleSynthPlayer, a small WebAudio synth that plays the
 * performance's notes (MIDI lessons have no recording). Both report a position in seconds of
 * the take, so the playhead and score cursor do not care which one sounds.
 */
import type { PerformedNote } from '../../../shared/performance';
import { notesStartingIn, pitchHz } from './playback';

export interface LessonPlayer {
  readonly label: string;
  currentTime(): number;
  duration(): number;
  playing(): boolean;
  play(): Promise<void>;
  pause(): void;
  seek(sec: number): void;
  dispose(): void;
}

export class AudioElementPlayer implements LessonPlayer {
  readonly label = 'Recording';
  constructor(private readonly audio: HTMLAudioElement) {}
  currentTime(): number {
    return this.audio.currentTime;
  }
  duration(): number {
    return Number.isFinite(this.audio.duration) ? this.audio.duration : 0;
  }
  playing(): boolean {
    return !this.audio.paused && !this.audio.ended;
  }
  play(): Promise<void> {
    return this.audio.play();
  }
  pause(): void {
    this.audio.pause();
  }
  seek(sec: number): void {
    this.audio.currentTime = Math.max(0, sec);
  }
  dispose(): void {
    this.audio.pause();
  }
}

const LOOKAHEAD_SEC = 1.5;
const SCHEDULE_EVERY_MS = 250;

/**
 * Triangle-wave voices with a piano-like decay, scheduled a window ahead on the AudioContext's
 * clock (timers jitter; the audio clock does not). Pausing stops every scheduled voice.
 */
export class SimpleSynthPlayer implements LessonPlayer {
  readonly label = 'Simple synth (MIDI performance)';
  private context: AudioContext | null = null;
  private master: GainNode | null = null;
  private voices = new Set<OscillatorNode>();
  private startedAt = 0;
  private startedAtWall = 0;
  private offset = 0;
  private elapsedShown = 0;
  private scheduledUntil = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly end: number;

  constructor(private readonly notes: readonly PerformedNote[]) {
    this.end = notes.reduce((m, n) => Math.max(m, n.offsetSec), 0) + 0.5;
  }

  currentTime(): number {
    if (!this.timer || !this.context) return this.offset;
    const audio = this.context.currentTime - this.startedAt;
    const wall = performance.now() / 1000 - this.startedAtWall;
    // An output device that consumes no audio freezes the AudioContext clock (seen in headless
    // Chromium on a PulseAudio null sink: 12 ms per second); the playhead then follows the wall
    // clock so the review still plays through, silently, instead of standing still.
    // Never backwards within one run: when a slow clock catches up, the choice between the two
    // flips, and a playhead jumping back half a second reads as a seek nobody asked for.
    this.elapsedShown = Math.max(this.elapsedShown, wall > 0.5 && audio < wall / 2 ? wall : audio);
    return Math.min(this.end, this.offset + this.elapsedShown);
  }
  duration(): number {
    return this.end;
  }
  playing(): boolean {
    return this.timer !== null;
  }

  async play(): Promise<void> {
    if (this.timer) return;
    this.context ??= new AudioContext();
    // Not awaited: on an output that consumes no audio the resume may never settle, and the
    // playhead (which falls back to the wall clock) must run all the same.
    if (this.context.state === 'suspended') this.context.resume().catch(() => undefined);
    if (!this.master) {
      this.master = this.context.createGain();
      this.master.gain.value = 0.25;
      this.master.connect(this.context.destination);
    }
    if (this.offset >= this.end - 0.5) this.offset = 0;
    this.startedAt = this.context.currentTime + 0.05;
    this.startedAtWall = performance.now() / 1000 + 0.05;
    this.elapsedShown = 0;
    this.scheduledUntil = this.offset;
    this.schedule();
    this.timer = setInterval(() => this.schedule(), SCHEDULE_EVERY_MS);
  }

  pause(): void {
    this.offset = this.currentTime();
    this.stopVoices();
  }

  seek(sec: number): void {
    const wasPlaying = this.playing();
    this.stopVoices();
    this.offset = Math.max(0, Math.min(sec, this.end));
    if (wasPlaying) void this.play();
  }

  dispose(): void {
    this.stopVoices();
    void this.context?.close();
    this.context = null;
  }

  private stopVoices(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const v of this.voices) v.stop();
    this.voices.clear();
  }

  private schedule(): void {
    const ctx = this.context;
    const master = this.master;
    if (!ctx || !master) return;
    const now = this.currentTime();
    if (now >= this.end) {
      this.offset = this.end;
      this.stopVoices();
      return;
    }
    const until = now + LOOKAHEAD_SEC;
    for (const i of notesStartingIn(this.notes, this.scheduledUntil, until)) {
      const n = this.notes[i];
      if (n) this.voice(ctx, master, n);
    }
    this.scheduledUntil = until;
  }

  private voice(ctx: AudioContext, master: GainNode, note: PerformedNote): void {
    const at = this.startedAt + (note.onsetSec - this.offset);
    const release = this.startedAt + (note.offsetSec - this.offset);
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'triangle';
    osc.frequency.value = pitchHz(note.pitch);
    const peak = 0.08 + 0.5 * (note.velocity / 127) ** 2;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(peak, at + 0.005);
    gain.gain.setTargetAtTime(peak * 0.3, at + 0.005, 0.4);
    gain.gain.setTargetAtTime(0, Math.max(release, at + 0.01), 0.08);
    osc.connect(gain).connect(master);
    osc.start(at);
    osc.stop(Math.max(release, at + 0.01) + 0.5);
    this.voices.add(osc);
    osc.onended = () => this.voices.delete(osc);
  }
}
