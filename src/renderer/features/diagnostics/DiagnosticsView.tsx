import { useState } from 'react';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { LatencySection } from '../live/LatencySection';
import { feedbackHandlingTimes } from '../practice/handlingTimes';

interface RoundTrip {
  p50: number;
  p95: number;
  max: number;
  count: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** What can be measured from the UI today: the link to the services and its round-trip time. */
export function DiagnosticsView() {
  const [result, setResult] = useState<RoundTrip | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const measure = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const times: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        await api.invoke('app.info', {});
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      setResult({ p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times[times.length - 1] ?? 0, count: times.length });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page" aria-labelledby="diag-title">
      <h1 id="diag-title">Diagnostics</h1>
      <dl className="facts">
        <dt>Transport</dt>
        <dd>{api.kind === 'electron' ? 'Electron IPC' : 'WebSocket (serve mode)'}</dd>
        <dt>Connection</dt>
        <dd>{api.connectionState()}</dd>
      </dl>
      <button type="button" className="primary" disabled={busy} onClick={() => void measure()}>
        {busy ? 'Measuring…' : 'Measure round trip (50 calls)'}
      </button>
      {error && <p className="banner banner-error">{error}</p>}
      {result && (
        <p>
          UI ↔ services round trip over {result.count} calls: p50 {result.p50.toFixed(2)} ms, p95 {result.p95.toFixed(2)} ms, max {result.max.toFixed(2)} ms.
        </p>
      )}
      <h2>Live feedback in this window</h2>
      <FeedbackHandling />
      <LatencySection />
    </section>
  );
}

function FeedbackHandling() {
  const summary = feedbackHandlingTimes.summary();
  if (!summary) return <p className="muted">No practice take yet in this window.</p>;
  return (
    <p data-testid="feedback-handling">
      Applying a feedback event to the score (recolour + cursor), last take, {summary.count} events: p50 {summary.p50.toFixed(2)} ms, p95 {summary.p95.toFixed(2)} ms, max{' '}
      {summary.max.toFixed(2)} ms.
    </p>
  );
}
