import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { defaultModelDir, runTranscribe } from './transcribe';

const dir = mkdtempSync(join(tmpdir(), 'seminote-transcribe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await runTranscribe(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('seminote transcribe: bad input', () => {
  it('exits 2 with a usage message for missing arguments or unknown options', async () => {
    expect((await run([])).code).toBe(2);
    const noOutput = await run(['a.wav']);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toMatch(/missing -o/);
    expect((await run(['a.wav', '--frobnicate'])).stderr).toMatch(/Unknown option '--frobnicate'/);
  });

  it('exits 2 with a JSON error for a file that is not audio, before loading any model', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'hello, not audio');
    const result = await run([path, '--json', '--model', join(dir, 'no-model-here')]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    const missing = await run([join(dir, 'absent.flac'), '-o', join(dir, 'x.mid')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});

describe('defaultModelDir', () => {
  it('prefers $SEMINOTE_MODEL_DIR, else the highest version that has a manifest', () => {
    expect(defaultModelDir({ SEMINOTE_MODEL_DIR: '/m' }, dir)).toBe('/m');
    const root = join(dir, 'models');
    for (const v of ['0.2.0', '0.10.0', '0.9.1', '1.0.0-nomanifest']) mkdirSync(join(root, v), { recursive: true });
    for (const v of ['0.2.0', '0.10.0', '0.9.1']) writeFileSync(join(root, v, 'manifest.json'), '{}');
    expect(defaultModelDir({}, root)).toBe(join(root, '0.10.0'));
    expect(() => defaultModelDir({}, join(dir, 'empty'))).toThrow(/no transcription model found/);
  });
});
