import './live.css';
import { useEffect } from 'react';
import { BUFFER_FRAMES, usePractice } from '../practice/practiceStore';
import { InputMeter } from './InputMeter';
import { MonitorButton } from './MonitorButton';

/** Microphone picker for a practice take: device (by name, stable across hot-plug) and capture block size. */
export function AudioInputChoice() {
  const s = usePractice();
  const { loadAudioDevices } = s;
  // Asked only when the microphone is chosen: opening the audio system is not free.
  useEffect(() => {
    void loadAudioDevices();
  }, [loadAudioDevices]);

  const list = s.audioDevices;
  if (!list) return <span className="muted">Looking for audio inputs…</span>;
  if (list.devices.length === 0) {
    return (
      <span className="notice" role="status" data-testid="audio-message">
        {list.message ?? 'No microphone or audio input found. Connect one, or choose the demo replay.'}
      </span>
    );
  }
  return (
    <>
      <label>
        Audio input
        <select value={s.audioDeviceName ?? ''} onChange={(e) => s.setAudioDevice(e.target.value)} data-testid="audio-device">
          {list.devices.map((d) => (
            <option key={`${d.hostApi}/${d.name}`} value={d.name}>
              {d.name} ({d.hostApi})
            </option>
          ))}
        </select>
      </label>
      <label>
        Buffer
        <select value={s.bufferFrames} onChange={(e) => s.setBufferFrames(Number(e.target.value))} data-testid="buffer-frames">
          {BUFFER_FRAMES.map((frames) => (
            <option key={frames} value={frames}>
              {frames} frames
            </option>
          ))}
        </select>
      </label>
      <MonitorButton deviceName={s.audioDeviceName} bufferFrames={s.bufferFrames} suspended={s.status === 'starting' || s.status === 'running' || s.status === 'stopping'} />
      <InputMeter sources={['take', 'monitor']} idleText="Press Test input (or start) to see the input level." />
    </>
  );
}
