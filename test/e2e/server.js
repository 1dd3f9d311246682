/**
 * Starts `seminote serve` as a child process on a free port with a fresh data dir, and resolves
 * with the URL it prints. Always pair with stop(): it kills the child and removes the data dir.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const URL_LINE = /Seminote serving at (http:\/\/\S+)/;

export async function startServer({ repoRoot, token, timeoutMs = 90_000 }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminote-e2e-'));
  const child = spawn(process.execPath, ['bin/seminote.js', 'serve', '--port', '0', '--token', token, '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within ${timeoutMs} ms. Output:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = URL_LINE.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code} before printing its URL. Output:\n${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, stop, output: () => output };
}

/** Calls the serve-mode HTTP API (POST /api/<method>, Bearer token) and unwraps its Result. */
export async function callApi(baseUrl, token, method, args) {
  const origin = new URL(baseUrl).origin;
  const res = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  const body = await res.json();
  if (!body.ok) throw new Error(`${method} failed: ${body.error?.code} ${body.error?.message}`);
  return body.value;
}
