import { useEffect, useState } from 'react';
import type { AppInfo, MidiDeviceList } from '../../../shared/api';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { ErrorBanner } from '../../app/ErrorBanner';
import { AudioDevicesSection } from '../live/AudioDevicesSection';

export function SettingsView() {
  const [devices, setDevices] = useState<MidiDeviceList | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const refresh = (): void => {
      api.invoke('midi.listDevices', {}).then(setDevices, (e: unknown) => setError(describeError(e)));
    };
    refresh();
    api.invoke('app.info', {}).then(setInfo, (e: unknown) => setError(describeError(e)));
    return api.on('midi.devicesChanged', setDevices);
  }, []);

  return (
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <ErrorBanner message={error} />
      <h2>MIDI keyboards</h2>
      {!devices && <p className="muted">Looking…</p>}
      {devices && !devices.available && (
        <p className="notice" role="status">
          {devices.message ?? 'No MIDI system on this machine.'}
        </p>
      )}
      {devices?.available && devices.devices.length === 0 && <p className="muted">No keyboard connected. Plug one in; it appears here without a restart.</p>}
      {devices && devices.devices.length > 0 && (
        <ul>
          {devices.devices.map((d) => (
            <li key={d.id}>{d.name}</li>
          ))}
        </ul>
      )}
      <AudioDevicesSection />
      <h2>About</h2>
      {info && (
        <dl className="facts">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Running as</dt>
          <dd>{info.mode === 'serve' ? 'served to a browser' : 'desktop app'}</dd>
          <dt>Data folder</dt>
          <dd>
            <code>{info.dataDir}</code>
          </dd>
        </dl>
      )}
    </section>
  );
}
