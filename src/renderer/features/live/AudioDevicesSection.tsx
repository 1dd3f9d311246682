import './live.css';
import { useEffect, useState } from 'react';
import type { AudioDeviceList } from '../../../shared/live';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { CalibrationPanel } from './CalibrationPanel';
import { InputMeter } from './InputMeter';
import { MonitorButton } from './MonitorButton';

/** Settings: the audio inputs and host APIs the services can see, or why there are none. */
export function AudioDevicesSection() {
  const [list, setList] = useState<AudioDeviceList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);

  const refresh = (): void => {
    setError(null);
    api.invoke('audio.listDevices', {}).then(setList, (e: unknown) => setError(describeError(e)));
  };
  useEffect(refresh, []);

  return (
    <div data-testid="audio-devices">
      <h2>Audio input</h2>
      {error && <p className="banner banner-error">{error}</p>}
      {!list && !error && <p className="muted">Looking…</p>}
      {list && list.devices.length === 0 && (
        <p className="notice" role="status" data-testid="audio-unavailable">
          {list.message ?? 'No microphone or audio input found.'}
        </p>
      )}
      {list && list.devices.length > 0 && (
        <table className="data-table" data-testid="audio-device-table">
          <thead>
            <tr>
              <th>Device</th>
              <th>Host API</th>
              <th>Channels</th>
              <th>Sample rate</th>
              <th>Low input latency</th>
            </tr>
          </thead>
          <tbody>
            {list.devices.map((d) => (
              <tr key={`${d.hostApi}/${d.name}`}>
                <td>
                  {d.name}
                  {d.isDefault && <span className="muted"> (default)</span>}
                </td>
                <td>{d.hostApi}</td>
                <td>{d.maxInputChannels}</td>
                <td>{d.defaultSampleRate} Hz</td>
                <td>{(d.defaultLowInputLatencySec * 1000).toFixed(1)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && list.hostApis.length > 0 && (
        <p data-testid="audio-host-apis">
          Host APIs:{' '}
          {list.hostApis.map((h) => `${h.name}${h.isDefault ? ' (default)' : ''}: ${h.deviceCount} device${h.deviceCount === 1 ? '' : 's'}`).join(' · ')}
        </p>
      )}
      <button type="button" onClick={refresh}>
        Look again
      </button>
      {list && list.devices.length > 0 && (
        <>
          <h3>Input level</h3>
          <p className="input-row">
            <label>
              Input to test{' '}
              <select value={chosen ?? ''} onChange={(e) => setChosen(e.target.value || null)} data-testid="test-device">
                <option value="">Default input</option>
                {list.devices.map((d) => (
                  <option key={`${d.hostApi}/${d.name}`} value={d.name}>
                    {d.name} ({d.hostApi})
                  </option>
                ))}
              </select>
            </label>{' '}
            <MonitorButton deviceName={chosen} />
          </p>
          <InputMeter sources={['monitor']} idleText="Press Test input to see the level, the clipping warning and the noise floor." />
          <CalibrationPanel deviceName={chosen} />
        </>
      )}
    </div>
  );
}
