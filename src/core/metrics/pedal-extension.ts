/**
 * Sustain-pedal offset extension, the convention transcription ground truth uses (Onsets and
 * Frames; models/training/common.py extend_by_pedal): a note released while the pedal is down
 * sounds until the pedal comes up, but never past the next onset of the same key. Apply it to the
 * reference (and to estimates that carry pedal events) before with-offset metrics, and say so.
 */
import type { PedalEvent, PerformedNote } from '../../shared/performance';
import type { Seconds } from '../../shared/units';

/** CC64 at or above this counts as pedal down (MIDI convention). */
export const PEDAL_DOWN_VALUE = 64;
/** A cut note keeps at least this duration (as the Python reference does). */
const MIN_CUT_DURATION: Seconds = 0.01;

/** Pedal-down intervals [start, end) from CC64 events; a pedal still down ends at `endSec`. */
export function pedalIntervals(events: readonly PedalEvent[], endSec: Seconds = Number.POSITIVE_INFINITY): Array<[Seconds, Seconds]> {
  const sorted = [...events].sort((a, b) => a.timeSec - b.timeSec);
  const intervals: Array<[Seconds, Seconds]> = [];
  let downSince: Seconds | null = null;
  for (const e of sorted) {
    const down = e.value >= PEDAL_DOWN_VALUE;
    if (down && downSince === null) downSince = e.timeSec;
    else if (!down && downSince !== null) {
      if (e.timeSec > downSince) intervals.push([downSince, e.timeSec]);
      downSince = null;
    }
  }
  if (downSince !== null && endSec > downSince) intervals.push([downSince, endSec]);
  return intervals;
}

export function extendOffsetsByPedal(notes: readonly PerformedNote[], pedal: readonly PedalEvent[], endSec?: Seconds): PerformedNote[] {
  const intervals = pedalIntervals(pedal, endSec);
  const out = notes.map((n) => {
    const holding = intervals.find(([start, end]) => start <= n.offsetSec && n.offsetSec < end);
    return holding ? { ...n, offsetSec: holding[1] } : { ...n };
  });
  // Cut at the next onset of the same pitch.
  const order = out.map((_, i) => i).sort((a, b) => (out[a] as PerformedNote).pitch - (out[b] as PerformedNote).pitch || (out[a] as PerformedNote).onsetSec - (out[b] as PerformedNote).onsetSec);
  for (let k = 0; k + 1 < order.length; k++) {
    const a = out[order[k] as number] as PerformedNote;
    const b = out[order[k + 1] as number] as PerformedNote;
    if (a.pitch === b.pitch && a.offsetSec > b.onsetSec) a.offsetSec = Math.max(b.onsetSec, a.onsetSec + MIN_CUT_DURATION);
  }
  return out;
}
