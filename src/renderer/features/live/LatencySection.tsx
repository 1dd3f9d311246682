import './live.css';
import { useEffect, useState } from 'react';
import type { LatencyPercentiles, LiveLatencyReport, LiveStage } from '../../../shared/live';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';

const STAGES: { stage: LiveStage; label: string }[] = [
  { stage: 'wait', label: 'Wait for audio block' },
  { stage: 'resample', label: 'Resample' },
  { stage: 'infer', label: 'Model inference' },
  { stage: 'decode', label: 'Note decoding' },
  { stage: 'deliver', label: 'Hand to practice' },
];

function ms(value: number | null): string {
  return value === null ? '–' : value.toFixed(1);
}

function Row({ label, figures }: { label: string; figures: LatencyPercentiles | null | undefined }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{figures?.count ?? 0}</td>
      <td>{ms(figures?.p50 ?? null)}</td>
      <td>{ms(figures?.p95 ?? null)}</td>
      <td>{ms(figures?.p99 ?? null)}</td>
      <td>{ms(figures?.max ?? null)}</td>
    </tr>
  );
}

/** Diagnostics: per-stage latency of the latest microphone take (audio.liveLatency). */
export function LatencySection() {
  const [report, setReport] = useState<LiveLatencyReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = (): void => {
    setError(null);
    api.invoke('audio.liveLatency', {}).then(setReport, (e: unknown) => setError(describeError(e)));
  };
  useEffect(refresh, []);

  return (
    <div data-testid="live-latency">
      <h2>Live audio latency</h2>
      {error && <p className="banner banner-error">{error}</p>}
      {!report && !error && <p className="muted">Loading…</p>}
      {report && !report.available && (
        <p className="muted" data-testid="no-audio-take">
          No audio take yet: practise with “Microphone / audio input” and the figures of that take appear here.
        </p>
      )}
      {report?.available && (
        <>
          {report.label && <p className="muted">Latest take: {report.label}</p>}
          <table className="data-table" data-testid="latency-table">
            <thead>
              <tr>
                <th>Stage (ms)</th>
                <th>Count</th>
                <th>p50</th>
                <th>p95</th>
                <th>p99</th>
                <th>max</th>
              </tr>
            </thead>
            <tbody>
              {STAGES.map(({ stage, label }) => (
                <Row key={stage} label={label} figures={report.byStage?.[stage]} />
              ))}
              <Row label="Captured → practice (total)" figures={report.pipeline} />
              <Row label="Key onset → note sent" figures={report.onsetToSent} />
            </tbody>
            {report.modelLookAheadMs != null && (
              <tfoot>
                <tr data-testid="model-lookahead">
                  <th scope="row">↳ of which model look-ahead</th>
                  <td>–</td>
                  {[0, 1, 2, 3].map((i) => (
                    <td key={i}>{report.modelLookAheadMs?.toFixed(1)}</td>
                  ))}
                </tr>
              </tfoot>
            )}
          </table>
          {report.modelLookAheadMs != null && (
            <p className="muted">
              Model look-ahead{report.modelVersion ? ` (model ${report.modelVersion})` : ''}: the model places a note only once it has heard this much past the
              key's onset (its frame window, plus heads that answer late). No faster machine removes it.
            </p>
          )}
          <p className="muted">
            Ring overflow: {report.ringOverflowFrames} frames · largest backlog {report.maxBacklogMs.toFixed(1)} ms
          </p>
        </>
      )}
      <button type="button" onClick={refresh}>
        Refresh
      </button>
    </div>
  );
}
