import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { LiveScore } from '../../score/liveScore';
import type { TimeAnchor } from './playback';
import { beatsAtTime } from './playback';
import type { PlaybackClock } from './usePlayback';
import { useClock } from './usePlayback';

/**
 * Moves the score's cursor to the written position being played (through the alignment) and,
 * while playing, scrolls the score so the cursor's system stays in view. Renders nothing.
 */
export function ScoreFollower({ clock, anchors, liveRef, viewport }: { clock: PlaybackClock; anchors: readonly TimeAnchor[]; liveRef: RefObject<LiveScore | null>; viewport: RefObject<HTMLElement | null> }) {
  const { time, playing } = useClock(clock);
  useEffect(() => {
    const beats = beatsAtTime(anchors, time);
    if (beats === null) return;
    const top = liveRef.current?.setCursor(beats) ?? null;
    const box = viewport.current?.querySelector<HTMLElement>('.attempt-score');
    if (!playing || top === null || !box) return;
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 120) box.scrollTop = Math.max(0, top - 20);
  }, [anchors, time, playing, liveRef, viewport]);
  return null;
}

/**
 * The score note a click meant: the notehead clicked, else (VexFlow lays an invisible hit
 * rectangle over each note) the notehead of the clicked note nearest to the pointer's height.
 */
export function scoreNoteAt(target: EventTarget, clientY: number): string | undefined {
  if (!(target instanceof Element)) return undefined;
  const direct = target.closest<SVGElement>('[data-note-id]');
  if (direct) return direct.dataset.noteId;
  const heads = [...(target.closest('.vf-stavenote')?.querySelectorAll<SVGElement>('[data-note-id]') ?? [])];
  let best: { id: string | undefined; distance: number } = { id: undefined, distance: Infinity };
  for (const head of heads) {
    const box = head.getBoundingClientRect();
    const distance = Math.abs(box.top + box.height / 2 - clientY);
    if (distance < best.distance) best = { id: head.dataset.noteId, distance };
  }
  return best.id;
}
