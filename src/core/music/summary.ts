/** A compact description of a Score for the CLI's `import --json` and the library list. */
import type { Hand, Score, TempoPoint, TimeSignature } from '../../shared/score';
import { buildTempoMap } from './tempo-map';

export interface ScoreSummary {
  title: string;
  composer: string;
  source: Score['source'];
  parts: { id: string; name: string; staves: number }[];
  measures: number;
  notes: number;
  /** Distinct key signatures (fifths) in order of first appearance. */
  keySignatures: number[];
  /** Distinct time signatures as "3/4", in order of first appearance. */
  timeSignatures: string[];
  tempos: TempoPoint[];
  durationSec: number;
  hands: Record<Hand, number>;
}

function formatTime(sig: TimeSignature): string {
  return `${sig.numerator}/${sig.denominator}`;
}

export function summarizeScore(score: Score): ScoreSummary {
  const keySignatures: number[] = [];
  const timeSignatures: string[] = [];
  for (const measure of score.measures) {
    if (!keySignatures.includes(measure.keyFifths)) keySignatures.push(measure.keyFifths);
    const time = formatTime(measure.timeSignature);
    if (!timeSignatures.includes(time)) timeSignatures.push(time);
  }
  const hands: Record<Hand, number> = { right: 0, left: 0 };
  let durationSec = 0;
  for (const note of score.notes) {
    hands[note.hand]++;
    durationSec = Math.max(durationSec, note.onsetSec + note.durationSec);
  }
  const lastMeasure = score.measures[score.measures.length - 1];
  if (lastMeasure) {
    // The last bar's end counts too (a final rest is part of the piece).
    const end = buildTempoMap(score.tempos).secondsAt(lastMeasure.startBeats + lastMeasure.durationBeats);
    durationSec = Math.max(durationSec, end);
  }
  return {
    title: score.title,
    composer: score.composer,
    source: score.source,
    parts: score.parts.map((p) => ({ id: p.id, name: p.name, staves: p.staves })),
    measures: score.measures.length,
    notes: score.notes.length,
    keySignatures,
    timeSignatures,
    tempos: score.tempos.map((t) => ({ ...t })),
    durationSec: Math.round(durationSec * 1000) / 1000,
    hands,
  };
}
