/**
 * Serve-mode cold start to first page: spawns `node bin/seminote.js serve` on a fresh data dir
 * (so migrations and the starter library seeding are included) and times until GET / returns
 * the built page. Needs `npm run build` first (the real renderer is served).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, percentile } from './stats';

const RUNS = 5;

async function oneColdStart(): Promise<{ toUrlMs: number; toPageMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminote-serve-bench-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/seminote.js', 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /serving at (\S+)/.exec(out);
        if (m?.[1]) res(m[1]);
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${err}`)));
    });
    const toUrlMs = performance.now() - t0;
    const page = await fetch(url);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('<')) throw new Error(`GET / returned ${page.status}`);
    return { toUrlMs, toPageMs: performance.now() - t0 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runServeStart(): Promise<{ markdown: string; medianMs: number }> {
  if (!existsSync(resolve('out/renderer/index.html'))) throw new Error('out/renderer/index.html is missing: run `npm run build` first.');
  const runs: { toUrlMs: number; toPageMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneColdStart());
  const page = runs.map((r) => r.toPageMs);
  const url = runs.map((r) => r.toUrlMs);
  const markdown = `## Serve-mode cold start to first page

Command: \`npm run bench serve\` (bench/serve-start.ts). ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, shared 2-core machine (load average ${loadavg()[0]!.toFixed(1)} at the end of the run).
Spawn \`node bin/seminote.js serve --port 0 --data-dir <fresh>\` (tsx load, migrations, starter library seeding) until \`GET /\` returns the built page; ${RUNS} runs.

| | median ms | min ms | max ms |
| --- | --- | --- | --- |
| spawn -> URL printed | ${fmt(percentile(url, 0.5), 0)} | ${fmt(Math.min(...url), 0)} | ${fmt(Math.max(...url), 0)} |
| spawn -> first page received | ${fmt(percentile(page, 0.5), 0)} | ${fmt(Math.min(...page), 0)} | ${fmt(Math.max(...page), 0)} |`;
  return { markdown, medianMs: percentile(page, 0.5) };
}
