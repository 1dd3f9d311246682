import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { HandsSelection, PracticeOptions } from '../../../shared/practice';
import type { Score } from '../../../shared/score';
import { LiveScore } from '../../score/liveScore';

/** VexFlow's music font must be loaded before measuring glyphs, or widths come out wrong. */
const fontsReady: Promise<unknown> = Promise.all([
  document.fonts.load('30px Bravura'),
  document.fonts.load('12px Academico'),
]).catch(() => undefined);

interface Props {
  score: Score;
  zoom: number;
  hands: HandsSelection;
  loop: PracticeOptions['loop'];
  liveRef: RefObject<LiveScore | null>;
}

/** Hosts the SVG score; redraws on score, width or zoom changes only (never per feedback event). */
export function ScorePane({ score, zoom, hands, loop, liveRef }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [drawError, setDrawError] = useState<string | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      // Ignore sub-20px jitter (scrollbars appearing) so the score is not redrawn for nothing.
      setWidth((prev) => (Math.abs(prev - w) >= 20 ? w : prev));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    liveRef.current = new LiveScore(el, score);
    return () => {
      liveRef.current = null;
    };
  }, [score, liveRef]);

  useEffect(() => {
    let cancelled = false;
    if (width <= 0) return;
    void fontsReady.then(() => {
      if (cancelled) return;
      try {
        liveRef.current?.render(width, zoom);
        setDrawError(null);
        setDrawCount((n) => n + 1);
      } catch (error) {
        setDrawError(error instanceof Error ? error.message : String(error));
      }
    });
    return () => {
      cancelled = true;
    };
  }, [score, width, zoom, liveRef]);

  const [drawCount, setDrawCount] = useState(0);
  const loopFrom = loop?.fromMeasure ?? null;
  const loopTo = loop?.toMeasure ?? null;
  useEffect(() => {
    liveRef.current?.setLoop(loopFrom === null || loopTo === null ? null : { from: loopFrom, to: loopTo });
  }, [loopFrom, loopTo, drawCount, liveRef]);

  return (
    <div className="score-scroll" data-testid="score-scroll">
      {drawError && (
        <div className="banner banner-error" role="alert">
          The score could not be drawn: {drawError}
        </div>
      )}
      <div ref={host} className={`score-host hands-${hands}`} data-testid="score" />
    </div>
  );
}
