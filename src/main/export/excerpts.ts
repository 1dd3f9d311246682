/**
 * Bar excerpts for the lesson report: for each commented bar and the weakest bars, a small inline
 * SVG of that bar's written notes (outlines at their written beats and pitches, coloured by
 * verdict) with what was played on top (filled, at the played pitch, shifted by the timing error),
 * beside the bar's figures and the teacher's comments. Drawn from the data, not engraved: the
 * report stays one self-contained file with no fonts to embed.
 */
import type { NoteVerdict } from '../../shared/evaluation';
import type { LessonAnnotation, LessonReview } from '../../shared/lessons';
import type { Performance } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { escapeXml } from './plots';

const COLOURS = { correct: '#2e8b57', wrong: '#c0392b', missed: '#7a7f87', extra: '#d35400' } as const;
const WIDTH = 360;
const LEFT = 30;
const ROW = 5;
const MIN_ROWS = 14;
/** Weak bars shown besides the commented ones. */
const MAX_WEAK = 6;

const NAMES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];
const pitchName = (p: number) => `${NAMES[p % 12] ?? ''}${Math.floor(p / 12) - 1}`;

/** Commented bars first (playing order), then the weakest bars below 80 % accuracy. */
export function excerptBars(review: LessonReview, annotations: readonly LessonAnnotation[], maxWeak = MAX_WEAK): number[] {
  const commented = [...new Set(annotations.map((a) => a.measureIndex))].sort((a, b) => a - b);
  const weak = review.evaluation.summary.bars
    .filter((b) => b.accuracy < 0.8 && !commented.includes(b.measureIndex))
    .sort((a, b) => a.accuracy - b.accuracy || a.measureIndex - b.measureIndex)
    .slice(0, maxWeak)
    .map((b) => b.measureIndex)
    .sort((a, b) => a - b);
  return [...commented, ...weak];
}

/** The SVG of one bar, or null when the bar has no notes. */
export function barExcerptSvg(score: Score, performance: Performance | null, review: LessonReview, measureIndex: number): string | null {
  const measure = score.measures[measureIndex];
  const notes = score.notes.filter((n) => n.measureIndex === measureIndex);
  if (!measure || notes.length === 0) return null;
  const verdicts = new Map<string, NoteVerdict>();
  for (const v of review.evaluation.verdicts) if (v.scoreNoteId) verdicts.set(v.scoreNoteId, v);
  const qpm = review.tempoByBar.find((t) => t.measureIndex === measureIndex)?.qpm ?? review.writtenQpm ?? 120;
  const played = notes.flatMap((n) => {
    const v = verdicts.get(n.id);
    const p = v?.performanceIndex != null ? performance?.notes[v.performanceIndex] : undefined;
    if (!v || !p) return [];
    // The timing error in beats at this bar's tempo: where the note was struck against the written beat.
    const shift = ((v.timingErrorMs ?? 0) / 1000) * (qpm / 60);
    return [{ pitch: p.pitch, beats: n.onsetBeats + shift, length: Math.max(0.125, (p.offsetSec - p.onsetSec) * (qpm / 60)), kind: v.verdict }];
  });
  const pitches = [...notes.map((n) => n.pitch), ...played.map((p) => p.pitch)];
  let low = Math.min(...pitches) - 1;
  let high = Math.max(...pitches) + 1;
  if (high - low + 1 < MIN_ROWS) {
    const pad = Math.ceil((MIN_ROWS - (high - low + 1)) / 2);
    low -= pad;
    high += pad;
  }
  const height = (high - low + 1) * ROW + 16;
  const beatWidth = (WIDTH - LEFT - 8) / measure.durationBeats;
  const x = (beats: number) => LEFT + (beats - measure.startBeats) * beatWidth;
  const y = (pitch: number) => (high - pitch) * ROW;
  const parts: string[] = [`<rect x="${LEFT}" y="0" width="${WIDTH - LEFT - 8}" height="${height - 16}" fill="#fbfaf7" stroke="#ccc"/>`];
  for (let b = 0; b <= measure.durationBeats + 1e-9; b++) {
    parts.push(`<line x1="${x(measure.startBeats + b).toFixed(1)}" x2="${x(measure.startBeats + b).toFixed(1)}" y1="0" y2="${height - 16}" stroke="#e3e0d8"/>`);
    if (b < measure.durationBeats) parts.push(`<text x="${(x(measure.startBeats + b) + 2).toFixed(1)}" y="${height - 4}" font-size="9" fill="#666">${b + 1}</text>`);
  }
  for (let p = low; p <= high; p++) {
    if (p % 12 === 0) parts.push(`<text x="2" y="${y(p) + ROW}" font-size="9" fill="#666">${pitchName(p)}</text>`);
  }
  for (const p of played) {
    const px = Math.max(LEFT, x(p.beats));
    parts.push(`<rect x="${px.toFixed(1)}" y="${y(p.pitch)}" width="${Math.max(2, p.length * beatWidth).toFixed(1)}" height="${ROW}" fill="${COLOURS[p.kind]}" opacity="0.85"/>`);
  }
  for (const n of notes) {
    const kind = verdicts.get(n.id)?.verdict ?? 'missed';
    const dash = kind === 'missed' ? ' stroke-dasharray="3 2"' : '';
    parts.push(
      `<rect x="${x(n.onsetBeats).toFixed(1)}" y="${y(n.pitch)}" width="${Math.max(2, n.durationBeats * beatWidth).toFixed(1)}" height="${ROW}" fill="none" stroke="${COLOURS[kind]}" stroke-width="1.2"${dash}><title>${pitchName(n.pitch)} ${kind}</title></rect>`,
    );
  }
  const label = `Bar ${escapeXml(measure.number)}: written notes (outlines) and what was played (filled)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="excerpt" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${label}" font-family="sans-serif">${parts.join('')}</svg>`;
}

/** The report section: one excerpt per chosen bar with its figures and comments; empty when there is nothing to show. */
export function excerptsSection(score: Score | null, performance: Performance | null, review: LessonReview, annotations: readonly LessonAnnotation[]): string {
  if (!score) return '';
  const bars = new Map(review.evaluation.summary.bars.map((b) => [b.measureIndex, b]));
  const items = excerptBars(review, annotations).flatMap((mi) => {
    const svg = barExcerptSvg(score, performance, review, mi);
    if (!svg) return [];
    const bar = bars.get(mi);
    const figures = bar
      ? `${(bar.accuracy * 100).toFixed(0)} % · ${bar.wrong} wrong · ${bar.missed} missed · ${bar.extra} extra${bar.meanAbsTimingErrorMs === null ? '' : ` · timing ${bar.meanAbsTimingErrorMs.toFixed(0)} ms`}`
      : 'not played';
    const comments = annotations.filter((a) => a.measureIndex === mi).map((a) => `<li>${escapeXml(a.text)}</li>`).join('');
    return [
      `<div class="excerpt-item"><h3>Bar ${escapeXml(score.measures[mi]?.number ?? String(mi + 1))}</h3><p class="meta">${figures}</p>${svg}${comments ? `<ul class="annotations">${comments}</ul>` : ''}</div>`,
    ];
  });
  if (items.length === 0) return '';
  return `<section><h2>Bar excerpts</h2><p class="meta">Commented bars and the weakest bars. Outlines: the written notes; filled: what was played (at the played pitch, shifted by the timing error). <span style="color:${COLOURS.correct}">correct</span> · <span style="color:${COLOURS.wrong}">wrong</span> · <span style="color:${COLOURS.missed}">missed</span></p><div class="excerpts">${items.join('')}</div></section>`;
}
