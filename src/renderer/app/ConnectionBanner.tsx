import { useEffect, useState } from 'react';
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
