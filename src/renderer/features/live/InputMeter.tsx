import './live.css';
import { useEffect, useState } from 'react';
import type { AudioLevelEvent, AudioLevelSource } from '../../../shared/live';
import { api } from '../../api/bridge';
import { formatDbfs, meterBand, meterFraction } from './meterScale';

/** A level older than this means the input stopped: the meter empties instead of freezing. */
const STALE_MS = 1000;

/** The latest `audio.level` push from one of `sources`, or null when none arrived lately. */
export function useAudioLevel(sources: readonly AudioLevelSource[]): AudioLevelEvent | null {
  const [level, setLevel] = useState<{ event: AudioLevelEvent; at: number } | null>(null);
  const key = sources.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    const off = api.on('audio.level', (event) => {
      if (wanted.has(event.source)) setLevel({ event, at: performance.now() });
    });
    const timer = setInterval(() => setLevel((l) => (l && performance.now() - l.at > STALE_MS ? null : l)), 500);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [key]);
  return level?.event ?? null;
}

/** Input level bar (RMS, with the peak and the noise floor marked) and the clipping warning. */
export function InputMeter({ sources, idleText }: { sources: readonly AudioLevelSource[]; idleText: string }) {
  const level = useAudioLevel(sources);
  if (!level) {
    return (
      <p className="muted input-meter-idle" data-testid="input-meter-idle">
        {idleText}
      </p>
    );
  }
  const band = meterBand(level.peakDbfs, level.clipWarning);
  return (
    <div className="input-meter" data-testid="input-meter">
      <div
        className={`meter-track meter-${band}`}
        role="meter"
        aria-label={`Input level of ${level.deviceName}`}
        aria-valuemin={-60}
        aria-valuemax={0}
        aria-valuenow={Math.round(Math.max(-60, level.rmsDbfs))}
      >
        <div className="meter-bar" style={{ width: `${meterFraction(level.rmsDbfs) * 100}%` }} />
        <div className="meter-peak" style={{ left: `${meterFraction(level.peakDbfs) * 100}%` }} title="peak" />
        {level.noiseFloorDbfs !== null && <div className="meter-floor" style={{ left: `${meterFraction(level.noiseFloorDbfs) * 100}%` }} title="noise floor" />}
      </div>
      <p className="meter-figures" data-testid="meter-figures">
        Level {formatDbfs(level.rmsDbfs)} · peak {formatDbfs(level.peakDbfs)} · noise floor {formatDbfs(level.noiseFloorDbfs)}
      </p>
      {level.clipWarning && (
        <p className="banner banner-error" role="alert" data-testid="clip-warning">
          Clipping: the input is too loud. Turn the input gain down or move the microphone away from the strings.
        </p>
      )}
    </div>
  );
}
