/**
 * Streaming decoder (docs/transcription-decoding.md §4): a per-key state machine fed one frame of
 * posteriors at a time. Note-on on the onset's rising edge, at once; note-off on a re-strike, on
 * the offset head's rising edge, or after K released frames (back-dated to the first of them).
 * In the bass, frame-rise onsets (§3.1c) add a note-on once confirmed, stamped with the rise's time.
 */
import type { LiveNoteEvent, PedalEvent, PerformedNote } from '../../shared/performance';
import type { DecodingConfig } from './decoding-config';
import { frameTime, holdFrames, retriggerFrames, validateDecodingConfig, velocityFromPosterior } from './decoding-config';
import { CausalOnsetSuppressor } from './causal-suppression';
import { frameRiseOnsetsApply, StreamingFrameRise, type AcceptedRise } from './frame-rise-onsets';
import { compareNotes } from './offline-decoder';
import { StreamingPedalTracker } from './pedal';
import type { PosteriorFrame } from './posteriors';
import { KEY_COUNT, keyToPitch } from './posteriors';

export interface DecodedFrameEvents {
  /** Note events completed by this frame, in key order (an off precedes an on for a re-strike). */
  notes: LiveNoteEvent[];
  pedal: PedalEvent[];
}

interface KeyState {
  active: boolean;
  onFrame: number;
  onTimeSec: number;
  velocity: number;
  lastOnsetFrame: number;
  releasedRun: number;
  prevOnset: number;
  prevOffset: number;
}

function freshKey(): KeyState {
  return {
    active: false,
    onFrame: 0,
    onTimeSec: 0,
    velocity: 0,
    lastOnsetFrame: Number.NEGATIVE_INFINITY,
    releasedRun: 0,
    prevOnset: 0,
    prevOffset: 0,
  };
}

export class StreamingNoteDecoder {
  private keys: KeyState[] = Array.from({ length: KEY_COUNT }, freshKey);
  private rises: (StreamingFrameRise | null)[];
  private pedalTracker: StreamingPedalTracker;
  private frameIndex = 0;
  /** Time of the latest note-on sent: a late frame-rise note-on is never stamped before it. */
  private lastOnTimeSec = 0;
  private readonly minGap: number;
  private readonly hold: number;
  private readonly suppressor: CausalOnsetSuppressor;

  constructor(private readonly config: DecodingConfig) {
    validateDecodingConfig(config);
    this.minGap = retriggerFrames(config);
    this.hold = holdFrames(config);
    this.suppressor = new CausalOnsetSuppressor(config);
    this.pedalTracker = new StreamingPedalTracker(config);
    this.rises = this.freshRises();
  }

  private freshRises(): (StreamingFrameRise | null)[] {
    return Array.from({ length: KEY_COUNT }, (_, k) => (frameRiseOnsetsApply(this.config, keyToPitch(k)) ? new StreamingFrameRise(this.config) : null));
  }

  /** Frames consumed so far (the index the next frame will get). */
  get framesSeen(): number {
    return this.frameIndex;
  }

  push(frame: PosteriorFrame): DecodedFrameEvents {
    const t = this.frameIndex++;
    const c = this.config;
    const notes: LiveNoteEvent[] = [];
    const effectiveOnset = this.suppressor.apply(frame.onset); // §4: o' (the input itself when off)
    for (let k = 0; k < KEY_COUNT; k++) {
      const s = this.keys[k] as KeyState;
      const onset = effectiveOnset[k] as number;
      const offset = frame.offset[k] as number;
      const risingOnset = onset >= c.onsetThreshold && s.prevOnset < c.onsetThreshold;
      if (risingOnset && t - s.lastOnsetFrame >= this.minGap) {
        if (s.active) notes.push(this.noteOff(k, s, frameTime(c, t)));
        s.active = true;
        s.onFrame = t;
        s.lastOnsetFrame = t;
        s.onTimeSec = frameTime(c, t);
        s.velocity = velocityFromPosterior(frame.velocity[k] as number);
        s.releasedRun = 0;
        this.lastOnTimeSec = Math.max(this.lastOnTimeSec, s.onTimeSec);
        notes.push({ kind: 'on', pitch: keyToPitch(k), velocity: s.velocity, timeSec: s.onTimeSec });
      } else if (s.active) {
        if (t > s.onFrame && offset >= c.offsetThreshold && s.prevOffset < c.offsetThreshold) {
          notes.push(this.noteOff(k, s, frameTime(c, t)));
        } else if (t > s.onFrame + this.hold) {
          // Released frames count only after the post-attack hold (§4 step 3, as offline rule 3).
          const held = (frame.frame[k] as number) >= c.frameThreshold || onset >= c.onsetThreshold;
          s.releasedRun = held ? 0 : s.releasedRun + 1;
          if (s.releasedRun === c.noteOffFrames) notes.push(this.noteOff(k, s, frameTime(c, t - c.noteOffFrames + 1)));
        }
      }
      s.prevOnset = onset;
      s.prevOffset = offset;
      const rise = this.rises[k]?.push(t, frame.frame[k] as number, frame.velocity[k] as number, s.lastOnsetFrame);
      if (rise) this.startRise(k, s, rise, notes);
    }
    const pedalEvent = this.pedalTracker.push(frame.pedal);
    return { notes, pedal: pedalEvent ? [pedalEvent] : [] };
  }

  /** Ends the take: closes every sounding note and a held pedal at the current end time. */
  flush(): DecodedFrameEvents {
    const end = frameTime(this.config, this.frameIndex);
    const notes: LiveNoteEvent[] = [];
    this.keys.forEach((s, k) => {
      const rise = this.rises[k]?.flush(s.lastOnsetFrame);
      if (rise) this.startRise(k, s, rise, notes);
      if (s.active) notes.push(this.noteOff(k, s, end));
    });
    const pedalEvent = this.pedalTracker.flush();
    return { notes, pedal: pedalEvent ? [pedalEvent] : [] };
  }

  /** Starts a new take (frame numbering from 0). */
  reset(): void {
    this.keys = Array.from({ length: KEY_COUNT }, freshKey);
    this.pedalTracker = new StreamingPedalTracker(this.config);
    this.suppressor.reset();
    this.rises = this.freshRises();
    this.frameIndex = 0;
    this.lastOnTimeSec = 0;
  }

  /**
   * A confirmed frame-rise onset (§3.1c, §4): ends the key's sounding note at the rise, starts one
   * there — but never stamped before a note-on already sent, so the follower, which reads the
   * stamps as the order of the presses, still gets them in order.
   */
  private startRise(k: number, s: KeyState, rise: AcceptedRise, notes: LiveNoteEvent[]): void {
    const c = this.config;
    const onTimeSec = Math.max(frameTime(c, rise.frame), this.lastOnTimeSec);
    if (s.active) notes.push(this.noteOff(k, s, onTimeSec));
    s.active = true;
    s.onFrame = rise.frame;
    s.lastOnsetFrame = rise.frame;
    s.onTimeSec = onTimeSec;
    this.lastOnTimeSec = onTimeSec;
    s.velocity = velocityFromPosterior(rise.velocityPosterior);
    s.releasedRun = 0;
    notes.push({ kind: 'on', pitch: keyToPitch(k), velocity: s.velocity, timeSec: s.onTimeSec });
  }

  private noteOff(key: number, s: KeyState, timeSec: number): LiveNoteEvent {
    s.active = false;
    s.releasedRun = 0;
    const floored = Math.max(timeSec, s.onTimeSec + this.config.minNoteDurationSec);
    return { kind: 'off', pitch: keyToPitch(key), velocity: 0, timeSec: floored };
  }
}

/** Pairs on/off events into notes (each off closes the open note of its pitch), sorted. */
export function notesFromEvents(events: readonly LiveNoteEvent[]): PerformedNote[] {
  const open = new Map<number, LiveNoteEvent>();
  const notes: PerformedNote[] = [];
  for (const e of events) {
    if (e.kind === 'on') {
      open.set(e.pitch, e);
      continue;
    }
    const on = open.get(e.pitch);
    if (!on) continue;
    open.delete(e.pitch);
    notes.push({ pitch: e.pitch, onsetSec: on.timeSec, offsetSec: e.timeSec, velocity: on.velocity });
  }
  return notes.sort(compareNotes);
}
