import type { Performance, PerformedNote } from '../../shared/performance';

/** How the follower currently explains a key press; 'superseded' = replaced by a restart. */
export type EventVerdict = 'correct' | 'wrong' | 'extra' | 'superseded';

export interface TakeEvent {
  pitch: number;
  velocity: number;
  onsetSec: number;
  offsetSec: number;
  verdict: EventVerdict;
  /** Score note index the event was assigned to, -1 if none. */
  note: number;
}

/** The key presses of a take in arrival order; their indices are the performance indices. */
export class TakeRecord {
  readonly events: TakeEvent[] = [];
  private readonly openByPitch = new Int32Array(128).fill(-1);

  noteOn(pitch: number, velocity: number, timeSec: number): number {
    const index = this.events.length;
    this.events.push({ pitch, velocity, onsetSec: timeSec, offsetSec: timeSec, verdict: 'extra', note: -1 });
    this.openByPitch[pitch & 127] = index;
    return index;
  }

  noteOff(pitch: number, timeSec: number): void {
    const open = this.openByPitch[pitch & 127]!;
    if (open >= 0) this.events[open]!.offsetSec = Math.max(timeSec, this.events[open]!.onsetSec);
    this.openByPitch[pitch & 127] = -1;
  }

  performance(): Performance {
    const notes: PerformedNote[] = this.events.map((e) => ({
      pitch: e.pitch,
      onsetSec: e.onsetSec,
      offsetSec: e.offsetSec,
      velocity: e.velocity,
    }));
    const durationSec = notes.reduce((m, x) => Math.max(m, x.offsetSec), 0);
    return { notes, pedal: [], durationSec };
  }
}
