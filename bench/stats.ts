/** Small helpers shared by the benchmarks: percentiles and a markdown section writer. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function fmt(ms: number, digits = 2): string {
  return Number.isFinite(ms) ? ms.toFixed(digits) : '-';
}

/**
 * Replaces (or appends) the section between `<!-- bench:NAME -->` markers in docs/benchmarks.md,
 * so each benchmark rewrites only its own figures.
 */
export function writeSection(file: string, name: string, body: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const header = '# Benchmarks\n\nFigures written by `npm run bench` (each section by its own benchmark).\n';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = current.indexOf(start);
  const j = current.indexOf(end);
  const next = i >= 0 && j > i ? current.slice(0, i) + block + current.slice(j + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

/** `--name <positive number>` from the command line, else the fallback. */
export function numericOption(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
