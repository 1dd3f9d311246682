import { useEffect, useState } from 'react';
import type { PushEvents } from '../../shared/api';
import { api } from '../api/bridge';

/** Shown only while the serve-mode link is down; the client reconnects by itself. */
export function ConnectionBanner() {
  const [state, setState] = useState(api.connectionState());
  useEffect(() => api.onConnectionState(setState), []);
  if (state === 'open' || state === 'connecting') return null;
  return (
    <div className="banner banner-warn" role="status">
      {state === 'reconnecting' ? 'Connection to Seminote lost — reconnecting…' : 'Disconnected from Seminote.'}
    </div>
  );
}

/** Errors the services push on their own (a device failing mid-take, a crashed session). */
export function PushedErrorBanner() {
  const [error, setError] = useState<PushEvents['error'] | null>(null);
  useEffect(() => api.on('error', setError), []);
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      <span>
        {error.message} ({error.code})
      </span>
      <button type="button" className="link-button" onClick={() => setError(null)} aria-label="Dismiss error">
        Dismiss
      </button>
    </div>
  );
}
