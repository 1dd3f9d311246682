/**
 * The lesson report as one self-contained HTML file: header, summary figures, feedback, bar
 * excerpts (commented and weakest bars), per-bar table, inline SVG plots (timing deviation per
 * note, tempo over bars) and the teacher's comments.
 * No scripts, no external assets: it opens offline and prints as shown.
 */
import type { LessonAnnotation, LessonRecord, LessonReview } from '../../shared/lessons';
import type { Performance } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { excerptsSection } from './excerpts';
import { escapeXml, svgPlot } from './plots';

export interface ReportInput {
  lesson: LessonRecord;
  studentName: string;
  pieceTitle: string | null;
  score: Score | null;
  performance: Performance | null;
  review: LessonReview | null;
  annotations: LessonAnnotation[];
  /** Fixed in tests; the export time otherwise. */
  generatedAt?: number;
}

const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
const ms = (v: number | null) => (v === null ? '–' : `${v.toFixed(0)} ms`);
const date = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function barNumber(score: Score | null, measureIndex: number): string {
  return score?.measures[measureIndex]?.number ?? String(measureIndex + 1);
}

function summarySection(review: LessonReview): string {
  const s = review.evaluation.summary;
  const figures: [string, string][] = [
    ['Accuracy', pct(s.accuracy)],
    ['Correct', String(s.correct)],
    ['Wrong', String(s.wrong)],
    ['Missed', String(s.missed)],
    ['Extra', String(s.extra)],
    ['Mean timing error', ms(s.meanAbsTimingErrorMs)],
    ['p90 timing error', ms(s.p90AbsTimingErrorMs)],
    ['Duration', `${s.durationSec.toFixed(1)} s`],
  ];
  return `<section><h2>Summary</h2><dl class="figures">${figures
    .map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`)
    .join('')}</dl></section>`;
}

function barTable(review: LessonReview, annotations: LessonAnnotation[]): string {
  const tempo = new Map(review.tempoByBar.map((t) => [t.measureIndex, t.qpm]));
  const noted = new Set(annotations.map((a) => a.measureIndex));
  const rows = review.evaluation.summary.bars
    .map(
      (b) =>
        `<tr${b.accuracy < 0.8 ? ' class="weak"' : ''}><td>${escapeXml(b.measureNumber)}${noted.has(b.measureIndex) ? ' ✎' : ''}</td>` +
        `<td>${b.correct}</td><td>${b.wrong}</td><td>${b.missed}</td><td>${b.extra}</td><td>${pct(b.accuracy)}</td>` +
        `<td>${ms(b.meanAbsTimingErrorMs)}</td><td>${tempo.has(b.measureIndex) ? tempo.get(b.measureIndex)!.toFixed(0) : '–'}</td></tr>`,
    )
    .join('');
  return (
    '<section><h2>Bars</h2><table class="bars"><thead><tr><th>Bar</th><th>Correct</th><th>Wrong</th><th>Missed</th>' +
    `<th>Extra</th><th>Accuracy</th><th>Mean timing error</th><th>Tempo (qpm)</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function plots(review: LessonReview, performance: Performance | null): string {
  const deviations = review.evaluation.verdicts
    .filter((v) => v.timingErrorMs !== null && v.performanceIndex !== null)
    .map((v) => ({ x: performance?.notes[v.performanceIndex!]?.onsetSec ?? 0, y: v.timingErrorMs! }))
    .sort((a, b) => a.x - b.x);
  const timing = svgPlot(deviations, {
    title: 'Timing deviation per note',
    xLabel: 'time in the recording (s)',
    yLabel: 'played − expected (ms)',
    style: 'points',
    referenceY: 0,
  });
  const tempo = svgPlot(
    review.tempoByBar.map((t) => ({ x: t.measureIndex + 1, y: t.qpm })),
    { title: 'Tempo over bars', xLabel: 'bar (playing order)', yLabel: 'quarter notes / min', style: 'line', referenceY: review.writtenQpm },
  );
  return `<section><h2>Plots</h2><figure>${timing}</figure><figure>${tempo}</figure></section>`;
}

function feedbackSection(review: LessonReview): string {
  if (review.feedback.length === 0) return '<section><h2>Feedback</h2><p>Nothing to point out.</p></section>';
  return `<section><h2>Feedback</h2><ol class="feedback">${review.feedback.map((f) => `<li>${escapeXml(f.text)}</li>`).join('')}</ol></section>`;
}

function annotationSection(annotations: LessonAnnotation[], score: Score | null): string {
  if (annotations.length === 0) return '<section><h2>Teacher comments</h2><p>No comments.</p></section>';
  const items = annotations
    .map((a) => `<li><strong>Bar ${escapeXml(barNumber(score, a.measureIndex))}</strong>: ${escapeXml(a.text)}</li>`)
    .join('');
  return `<section><h2>Teacher comments</h2><ul class="annotations">${items}</ul></section>`;
}

const STYLE = `body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}
h1{margin-bottom:0}.meta{color:#555;margin-top:.3em}
.figures{display:flex;flex-wrap:wrap;gap:1em}.figures div{border:1px solid #ddd;padding:.4em .8em}
dt{font-size:.8em;color:#666}dd{margin:0;font-size:1.3em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}
tr.weak{background:#fdecea}figure{margin:1em 0}
.excerpts{display:flex;flex-wrap:wrap;gap:.5em 1.5em}.excerpt-item{break-inside:avoid;page-break-inside:avoid}
.excerpt-item h3{margin:.6em 0 0}.excerpt-item .meta{margin:.1em 0 .3em;font-size:.9em}.excerpt-item ul{margin:.3em 0;max-width:360px}`;

export function lessonReportHtml(input: ReportInput): string {
  const { lesson, review } = input;
  const meta = [
    `Student: ${escapeXml(input.studentName)}`,
    `Piece: ${input.pieceTitle ? escapeXml(input.pieceTitle) : 'no score attached'}`,
    `Recorded: ${date(lesson.createdAt)}`,
    `Source: ${escapeXml(lesson.sourceFileName)} (${lesson.sourceKind})`,
    `Report: ${date(input.generatedAt ?? Date.now())}`,
  ].join(' · ');
  const body = review
    ? summarySection(review) +
      feedbackSection(review) +
      excerptsSection(input.score, input.performance, review, input.annotations) +
      barTable(review, input.annotations) +
      plots(review, input.performance)
    : `<section><p>No review: ${lesson.status !== 'ready' ? `the lesson is ${lesson.status}` : 'no score is attached'}.</p></section>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(lesson.title)} – lesson report</title><style>${STYLE}</style></head>
<body><header><h1>${escapeXml(lesson.title)}</h1><p class="meta">${meta}</p></header>
${body}${annotationSection(input.annotations, input.score)}
</body></html>
`;
}
