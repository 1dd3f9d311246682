import type { ChangeEvent } from 'react';
import type { HandsSelection, PracticeMode } from '../../../shared/practice';
import { AudioInputChoice } from '../live/AudioInputChoice';
import type { InputKind } from './practiceStore';
import { usePractice } from './practiceStore';

const TEMPOS = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25];
const SPEEDS = [1, 2, 4];

export function PracticeControls({ measureCount, onStart }: { measureCount: number; onStart: () => void }) {
  const s = usePractice();
  const running = s.status === 'starting' || s.status === 'running' || s.status === 'stopping';
  const loop = s.options.loop;

  const onReplayFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void s.setReplayFile(file);
  };
  const setLoopBar = (which: 'fromMeasure' | 'toMeasure', bar: number): void => {
    const current = loop ?? { fromMeasure: 0, toMeasure: Math.max(0, measureCount - 1) };
    const index = Math.min(Math.max(0, bar - 1), Math.max(0, measureCount - 1));
    const next = { ...current, [which]: index };
    if (next.toMeasure < next.fromMeasure) {
      if (which === 'fromMeasure') next.toMeasure = next.fromMeasure;
      else next.fromMeasure = next.toMeasure;
    }
    s.setOptions({ loop: next });
  };

  return (
    <form className="controls" aria-label="Practice settings" onSubmit={(e) => e.preventDefault()}>
      <fieldset disabled={running}>
        <label>
          Mode
          <select value={s.options.mode} onChange={(e) => s.setOptions({ mode: e.target.value as PracticeMode })} data-testid="mode">
            <option value="wait">Wait for me</option>
            <option value="play-through">Play through</option>
          </select>
        </label>
        <label>
          Hands
          <select value={s.options.hands} onChange={(e) => s.setOptions({ hands: e.target.value as HandsSelection })}>
            <option value="both">Both hands</option>
            <option value="right">Right hand</option>
            <option value="left">Left hand</option>
          </select>
        </label>
        <label>
          Tempo
          <select value={s.options.tempoFactor} onChange={(e) => s.setOptions({ tempoFactor: Number(e.target.value) })}>
            {TEMPOS.map((t) => (
              <option key={t} value={t}>
                {Math.round(t * 100)} %
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={s.options.metronome} onChange={(e) => s.setOptions({ metronome: e.target.checked })} />
          Metronome
        </label>
        <span className="loop">
          <label className="check">
            <input
              type="checkbox"
              checked={loop !== null}
              onChange={(e) => s.setOptions({ loop: e.target.checked ? { fromMeasure: 0, toMeasure: Math.max(0, measureCount - 1) } : null })}
            />
            Loop bars
          </label>
          {loop && (
            <>
              <input type="number" aria-label="Loop from bar" min={1} max={measureCount} value={loop.fromMeasure + 1} onChange={(e) => setLoopBar('fromMeasure', Number(e.target.value))} />
              –
              <input type="number" aria-label="Loop to bar" min={1} max={measureCount} value={loop.toMeasure + 1} onChange={(e) => setLoopBar('toMeasure', Number(e.target.value))} />
            </>
          )}
        </span>
      </fieldset>
      <fieldset disabled={running} className="input-row">
        <label>
          Input
          <select value={s.inputKind} onChange={(e) => s.setInputKind(e.target.value as InputKind)} data-testid="input-kind">
            <option value="midi">MIDI keyboard</option>
            <option value="audio">Microphone / audio input</option>
            <option value="replay">Demo: replay a .mid file</option>
          </select>
        </label>
        {s.inputKind === 'audio' ? (
          <AudioInputChoice />
        ) : s.inputKind === 'midi' ? (
          s.devices && s.devices.devices.length > 0 ? (
            <label>
              Device
              <select value={s.deviceId ?? ''} onChange={(e) => s.setDevice(e.target.value)}>
                {s.devices.devices.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span className="notice" role="status" data-testid="midi-message">
              {s.devices?.message ?? (s.devices ? 'No MIDI keyboard found. Connect one, or choose the demo replay.' : 'Looking for MIDI keyboards…')}
            </span>
          )
        ) : (
          <>
            <label className="file-label">
              <span>{s.replay ? s.replay.fileName : 'Choose .mid file…'}</span>
              <input type="file" accept=".mid,.midi" onChange={onReplayFile} data-testid="replay-file" />
            </label>
            <label>
              Speed
              <select value={s.replaySpeed} onChange={(e) => s.setReplaySpeed(Number(e.target.value))}>
                {SPEEDS.map((v) => (
                  <option key={v} value={v}>
                    {v}×
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
      </fieldset>
      <div className="start-stop">
        {running ? (
          <button type="button" className="danger-button" onClick={() => void s.stop()} disabled={s.status === 'stopping'} data-testid="stop">
            Stop
          </button>
        ) : (
          <button type="button" className="primary" onClick={onStart} data-testid="start">
            Start
          </button>
        )}
      </div>
    </form>
  );
}
