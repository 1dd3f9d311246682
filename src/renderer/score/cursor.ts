/**
 * Where the cursor goes: x positions of note onsets are recorded while drawing (anchors), and a
 * follower position in beats is mapped to x by linear interpolation between the nearest anchors
 * of its measure.
 */
import type { Beats } from '../../shared/units';

export interface Anchor {
  beats: Beats;
  x: number;
}

/** Anchors must be sorted by beats; returns the interpolated x, clamped to the ends. */
export function xForBeats(anchors: readonly Anchor[], beats: Beats): number | null {
  const first = anchors[0];
  if (!first) return null;
  if (beats <= first.beats) return first.x;
  for (let i = 1; i < anchors.length; i++) {
    const a = anchors[i - 1];
    const b = anchors[i];
    if (!a || !b) continue;
    if (beats <= b.beats) {
      const span = b.beats - a.beats;
      return span <= 0 ? b.x : a.x + ((beats - a.beats) / span) * (b.x - a.x);
    }
  }
  return anchors[anchors.length - 1]?.x ?? null;
}

/** Merges anchors at the same beat (chords, both staves) keeping the leftmost x, sorted by beat. */
export function normalizeAnchors(anchors: readonly Anchor[]): Anchor[] {
  const byBeat = new Map<number, number>();
  for (const a of anchors) {
    const key = Math.round(a.beats * 1e6) / 1e6;
    const prev = byBeat.get(key);
    byBeat.set(key, prev === undefined ? a.x : Math.min(prev, a.x));
  }
  return [...byBeat.entries()].sort((a, b) => a[0] - b[0]).map(([beats, x]) => ({ beats, x }));
}
