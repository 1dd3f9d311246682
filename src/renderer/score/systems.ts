/**
 * Line breaking: which measures go on which system (line) so that each line fits the page width,
 * then how wide each measure gets once the line is stretched to fill it. Pure arithmetic.
 */

export interface SystemPlan {
  /** Measure indices on this line, in order. */
  measures: number[];
  /** Width of each measure on the line (same order), stretched so they sum to the line width. */
  widths: number[];
}

/**
 * Greedy breaking: fill each line while the minimum widths (plus the start-of-line header:
 * clef and key signature) fit. A measure wider than a whole line gets a line of its own,
 * squeezed to the line width (crowded beats clipped off the page).
 * The last line is not stretched beyond 1.6x its natural width, so a lone final bar stays compact;
 * a piece that fits on one line may stretch up to 2.5x, so a short exercise does not huddle left.
 */
export function breakIntoSystems(minWidths: readonly number[], lineWidth: number, headerWidth: number): SystemPlan[] {
  const systems: SystemPlan[] = [];
  let current: number[] = [];
  let used = headerWidth;
  minWidths.forEach((w, i) => {
    if (current.length > 0 && used + w > lineWidth) {
      systems.push(stretch(current, minWidths, lineWidth, headerWidth, Infinity));
      current = [];
      used = headerWidth;
    }
    current.push(i);
    used += w;
  });
  if (current.length > 0) systems.push(stretch(current, minWidths, lineWidth, headerWidth, systems.length === 0 ? 2.5 : 1.6));
  return systems;
}

function stretch(measures: number[], minWidths: readonly number[], lineWidth: number, headerWidth: number, maxFactor: number): SystemPlan {
  const natural = measures.map((m) => minWidths[m] ?? 0);
  const total = natural.reduce((a, b) => a + b, 0);
  const available = lineWidth - headerWidth;
  let factor = total > 0 ? available / total : 1;
  // Lines never stretch past maxFactor; a lone measure wider than the line is squeezed to fit.
  factor = Math.min(factor, maxFactor);
  const widths = natural.map((w, i) => w * factor + (i === 0 ? headerWidth : 0));
  return { measures, widths };
}
