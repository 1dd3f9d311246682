import './live.css';
import { useEffect, useRef, useState } from 'react';
import type { CalibrationLatencyReport, CalibrationPlayReport, CalibrationSilenceReport, CalibrationStep } from '../../../shared/live';
import { LATENCY_OFFSET_SETTING } from '../../../shared/live';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { pitchName } from '../../score/marks';
import { Metronome } from '../practice/metronome';
import { InputMeter } from './InputMeter';

const SILENCE_SEC = 3;
const PLAY_SEC = 12;
const CLICKS = 8;
const CLICK_INTERVAL_MS = 750;

type Running = CalibrationStep['step'] | null;

/** "Check your piano": silence, a few notes across the keyboard, then a latency measurement to clicks. */
export function CalibrationPanel({ deviceName }: { deviceName: string | null }) {
  const [running, setRunning] = useState<Running>(null);
  const [silence, setSilence] = useState<CalibrationSilenceReport | null>(null);
  const [play, setPlay] = useState<CalibrationPlayReport | null>(null);
  const [latency, setLatency] = useState<CalibrationLatencyReport | null>(null);
  const [offsetMs, setOffsetMs] = useState<number | null>(null);
  const [manual, setManual] = useState('');
  const [error, setError] = useState<string | null>(null);
  const metronome = useRef(new Metronome());

  useEffect(() => {
    api.invoke('settings.get', {}).then((all) => {
      const value = all[LATENCY_OFFSET_SETTING];
      setOffsetMs(typeof value === 'number' ? value : 0);
    }, (e: unknown) => setError(describeError(e)));
    const m = metronome.current;
    const off = api.on('audio.calibrationClick', (c) => m.click(c.index === 0));
    return () => {
      off();
      m.dispose();
    };
  }, []);

  const run = async (step: CalibrationStep): Promise<void> => {
    setError(null);
    setRunning(step.step);
    if (step.step === 'latency') metronome.current.prepare();
    try {
      const report = await api.invoke('audio.calibrate', { ...(deviceName ? { deviceName } : {}), step });
      if (report.step === 'silence') setSilence(report);
      else if (report.step === 'play') setPlay(report);
      else setLatency(report);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setRunning(null);
    }
  };

  const saveOffset = async (value: number): Promise<void> => {
    setError(null);
    try {
      setOffsetMs((await api.invoke('audio.setLatencyOffset', { offsetMs: value })).offsetMs);
    } catch (e) {
      setError(describeError(e));
    }
  };

  const busy = running !== null;
  return (
    <div className="calibration" data-testid="calibration">
      <h2>Check your piano</h2>
      <p className="muted">Three short steps with the microphone where it will stay while you practise.</p>
      {error && <p className="banner banner-error">{error}</p>}
      <InputMeter sources={['calibration']} idleText="The level shows here while a step listens." />
      <ol>
        <li>
          <strong>Silence.</strong> Keep the room quiet for {SILENCE_SEC} seconds.{' '}
          <button type="button" disabled={busy} onClick={() => void run({ step: 'silence', seconds: SILENCE_SEC })} data-testid="calibrate-silence">
            {running === 'silence' ? 'Listening…' : 'Measure silence'}
          </button>
          {silence && (
            <p className="report" data-testid="silence-report">
              {silence.message}
            </p>
          )}
        </li>
        <li>
          <strong>Play.</strong> For {PLAY_SEC} seconds play a few notes low, in the middle and high on the keyboard, as loud as you normally play.{' '}
          <button type="button" disabled={busy} onClick={() => void run({ step: 'play', seconds: PLAY_SEC, noiseFloorDbfs: silence?.noiseFloorDbfs ?? null })} data-testid="calibrate-play">
            {running === 'play' ? 'Listening…' : 'Listen'}
          </button>
          {play && (
            <div className="report" data-testid="play-report">
              <p>
                <strong>{play.advice === 'fine' ? 'Level: fine.' : 'Level: needs attention.'}</strong> {play.message}
              </p>
              <p>
                Heard {play.onsetsHeard} struck note{play.onsetsHeard === 1 ? '' : 's'}; the transcriber (model {play.modelVersion}) found {play.notesDetected}.
              </p>
              <ul data-testid="register-report">
                {play.registers.map((r) => (
                  <li key={r.name}>
                    {r.name} register ({pitchName(r.fromPitch)}–{pitchName(r.toPitch)}):{' '}
                    {r.detected ? `detected ${r.detectedPitches.map(pitchName).join(' ')}` : 'nothing detected — play a few notes here and listen again'}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </li>
        <li>
          <strong>Latency.</strong> Press Start, then play one key exactly on each of the {CLICKS} clicks you hear.{' '}
          <button type="button" disabled={busy} onClick={() => void run({ step: 'latency', clicks: CLICKS, intervalMs: CLICK_INTERVAL_MS })} data-testid="calibrate-latency">
            {running === 'latency' ? 'Play on the clicks…' : 'Start'}
          </button>
          {latency && (
            <div className="report" data-testid="latency-report">
              <p>{latency.message}</p>
              {latency.offsetMs !== null && latency.matched >= Math.ceil(latency.clicks / 2) && (
                <button type="button" onClick={() => void saveOffset(Math.max(-500, Math.min(500, latency.offsetMs ?? 0)))} data-testid="save-offset">
                  Use {Math.round(latency.offsetMs)} ms as my latency offset
                </button>
              )}
            </div>
          )}
        </li>
      </ol>
      <p data-testid="latency-offset">
        Latency offset now: <strong>{offsetMs === null ? '…' : `${offsetMs} ms`}</strong> (subtracted from the times of the notes the microphone hears).{' '}
        <label>
          Set by hand{' '}
          <input type="number" min={-500} max={500} step={1} value={manual} onChange={(e) => setManual(e.target.value)} style={{ width: '5rem' }} />
        </label>{' '}
        <button type="button" disabled={manual === '' || !Number.isFinite(Number(manual))} onClick={() => void saveOffset(Number(manual))}>
          Save
        </button>
      </p>
    </div>
  );
}
