import { useEffect } from 'react';
import { formatClock } from './playback';
import type { Playback } from './usePlayback';
import { useClock } from './usePlayback';

/** Play/pause, position slider and clock for the review; holds the hidden <audio> element of a recording. */
export function PlaybackBar({ playback }: { playback: Playback }) {
  const { time, playing } = useClock(playback.clock);
  const ready = playback.label !== null;
  const { audioSrc, attachAudio } = playback;
  // The recording's player needs the mounted element; attachAudio ignores repeated calls.
  useEffect(() => {
    if (audioSrc) attachAudio();
  }, [audioSrc, attachAudio]);
  // Space plays and pauses, unless the key is meant for a form field or a button.
  const { toggle } = playback;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== ' ' || e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target instanceof Element && e.target.closest('input, textarea, select, button, [contenteditable]')) return;
      e.preventDefault();
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
  return (
    <div className="playback-bar" role="group" aria-label="Playback" data-testid="playback-bar">
      {playback.audioSrc && (
        <audio
          ref={playback.audioRef}
          src={playback.audioSrc}
          preload="auto"
          data-testid="lesson-audio"
        />
      )}
      <button type="button" className="play-button" disabled={!ready} onClick={() => playback.toggle()} aria-label={playing ? 'Pause' : 'Play'} data-testid="play-toggle">
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <input
        type="range"
        aria-label="Position"
        min={0}
        max={Math.max(playback.duration, 0.1)}
        step={0.05}
        value={Math.min(time, playback.duration)}
        disabled={!ready}
        onChange={(e) => playback.seek(Number(e.target.value))}
      />
      <span className="playback-clock" data-testid="playback-clock">
        {formatClock(time)} / {formatClock(playback.duration)}
      </span>
      <span className="muted small">{playback.label ?? (playback.audioSrc ? 'Loading the recording…' : 'Nothing to play')}</span>
      {playback.error && (
        <span className="banner-inline-error" role="status">
          {playback.error}
        </span>
      )}
      <span className="muted small">Space plays and pauses; click a note in the piano roll or the score to hear it.</span>
    </div>
  );
}
