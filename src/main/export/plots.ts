/**
 * Inline SVG plots for the lesson report: self-contained markup, no scripts, no external assets,
 * so the HTML file opens anywhere (and prints) exactly as exported.
 */
export interface PlotPoint {
  x: number;
  y: number;
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** 'points' for a scatter (one dot per note), 'line' for a connected series (bars). */
  style: 'points' | 'line';
  /** A horizontal reference line (0 ms deviation, the written tempo). */
  referenceY?: number | null;
  width?: number;
  height?: number;
}

const MARGIN = { left: 56, right: 16, top: 28, bottom: 40 };

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** About five round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw);
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function svgPlot(points: readonly PlotPoint[], options: PlotOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 240;
  const title = escapeXml(options.title);
  if (points.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="60" role="img" aria-label="${title}"><text x="8" y="20" font-size="13" font-weight="bold">${title}</text><text x="8" y="44" font-size="12">No data.</text></svg>`;
  }
  const ys = points.map((p) => p.y).concat(options.referenceY ?? []);
  const xs = points.map((p) => p.x);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (xMax === xMin) [xMin, xMax] = [xMin - 1, xMax + 1];
  if (yMax === yMin) [yMin, yMax] = [yMin - 1, yMax + 1];
  const padY = (yMax - yMin) * 0.05;
  [yMin, yMax] = [yMin - padY, yMax + padY];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) => MARGIN.top + (1 - (y - yMin) / (yMax - yMin)) * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${MARGIN.left}" y="16" font-size="13" font-weight="bold">${title}</text>`);
  for (const t of niceTicks(yMin, yMax)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(sy(t) + 4).toFixed(1)}" font-size="10" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(xMin, xMax, 8)) {
    parts.push(`<text x="${sx(t).toFixed(1)}" y="${height - MARGIN.bottom + 14}" font-size="10" text-anchor="middle">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  if (options.referenceY !== undefined && options.referenceY !== null) {
    const y = sy(options.referenceY).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#555" stroke-dasharray="4 3"/>`);
  }
  if (options.style === 'line') {
    const path = points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="#1f6fb2" stroke-width="1.5"/>`);
  }
  for (const p of points) {
    parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${options.style === 'line' ? 2.5 : 2}" fill="#1f6fb2"/>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" font-size="11" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${MARGIN.top + plotH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${MARGIN.top + plotH / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}" font-family="sans-serif">${parts.join('')}</svg>`;
}
