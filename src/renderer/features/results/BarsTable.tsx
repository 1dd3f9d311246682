/** The bar-by-bar table of a graded take; the lesson review adds a tempo column and comment marks. */
import type { ReactNode } from 'react';
import type { BarResult } from '../../../shared/evaluation';
import { accuracyBand, formatMs, formatPct } from './SummaryHeadline';

export interface BarsTableProps {
  bars: BarResult[];
  caption?: string;
  testId?: string;
  /** Marks shown after the bar number (e.g. "has a comment"). */
  barMark?: (bar: BarResult) => ReactNode;
  /** One extra column: its header and its cell per bar. */
  extraColumn?: { header: string; cell: (bar: BarResult) => ReactNode };
}

export function BarsTable({ bars, caption, testId, barMark, extraColumn }: BarsTableProps) {
  return (
    <table className="bars-table" data-testid={testId}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">Bar</th>
          <th scope="col">Accuracy</th>
          <th scope="col">Correct</th>
          <th scope="col">Wrong</th>
          <th scope="col">Missed</th>
          <th scope="col">Extra</th>
          <th scope="col">Timing</th>
          {extraColumn && <th scope="col">{extraColumn.header}</th>}
        </tr>
      </thead>
      <tbody>
        {bars.map((b) => (
          <tr key={b.measureIndex} className={`band-${accuracyBand(b.accuracy)}`}>
            <th scope="row">
              {b.measureNumber}
              {barMark?.(b)}
            </th>
            <td>{formatPct(b.accuracy)}</td>
            <td className="correct">{b.correct}</td>
            <td className={b.wrong ? 'wrong' : ''}>{b.wrong}</td>
            <td className={b.missed ? 'missed' : ''}>{b.missed}</td>
            <td className={b.extra ? 'extra' : ''}>{b.extra}</td>
            <td>{formatMs(b.meanAbsTimingErrorMs)}</td>
            {extraColumn && <td>{extraColumn.cell(b)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
