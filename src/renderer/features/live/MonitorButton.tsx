import { useEffect, useState } from 'react';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';

/**
 * "Test input": opens the chosen input just for its meter (audio.monitor) until pressed again, the
 * device changes, or the component goes away. A take or a calibration step takes the input over.
 */
export function MonitorButton({ deviceName, bufferFrames, suspended = false }: { deviceName: string | null; bufferFrames?: number; suspended?: boolean }) {
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A take takes the input over (the services close the monitor): the button follows.
  useEffect(() => {
    if (suspended) setOn(false);
  }, [suspended]);

  useEffect(() => {
    if (!on) return;
    let cancelled = false;
    api.invoke('audio.monitor', { on: true, ...(deviceName ? { deviceName } : {}), ...(bufferFrames ? { bufferFrames } : {}) }).catch((e: unknown) => {
      if (!cancelled) {
        setError(describeError(e));
        setOn(false);
      }
    });
    return () => {
      cancelled = true;
      void api.invoke('audio.monitor', { on: false }).catch(() => {});
    };
  }, [on, deviceName, bufferFrames]);

  return (
    <>
      <button type="button" onClick={() => (setError(null), setOn(!on))} data-testid="monitor-toggle" aria-pressed={on}>
        {on ? 'Stop input test' : 'Test input'}
      </button>
      {error && <span className="notice" role="status">{error}</span>}
    </>
  );
}
