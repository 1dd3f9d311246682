/** The CLI run as a child process, exactly as a user runs it: `node bin/seminote.js ...`. */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importScore, performanceFromMidi } from '../../src/core/music';
import { BASIC_MUSICXML, REPO_ROOT, SHARED_DATA, performanceMidi, performanceWithMistakes, seminote, tempDir } from './helpers';

const dir = tempDir('cli');
afterAll(() => dir.remove());


describe('seminote CLI', () => {
  it('import --json prints a summary of a real MusicXML file', async () => {
    const run = await seminote(['import', BASIC_MUSICXML, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { ok: boolean; summary: { measures: number; notes: number; timeSignatures: string[]; parts: unknown[] } };
    expect(out.ok).toBe(true);
    expect(out.summary).toMatchObject({ measures: 2, notes: 10, timeSignatures: ['4/4'] });
    expect(out.summary.parts).toHaveLength(1);
  });

  it('import reports a bad file as a clear JSON error with exit code 2', async () => {
    const bad = join(dir.path, 'broken.musicxml');
    writeFileSync(bad, '<?xml version="1.0"?><score-partwise><part-list>');
    const run = await seminote(['import', bad, '--json']);
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(out.ok).toBe(false);
    expect(out.error.code).toBe('PARSE_ERROR');
    expect(out.error.message).toContain('broken.musicxml');
    const missing = await seminote(['import', join(dir.path, 'nope.mid')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('evaluate --json grades a MIDI performance with injected mistakes against the score', async () => {
    const score = importScore('basic.musicxml', readFileSync(BASIC_MUSICXML));
    const perf = join(dir.path, 'perf.mid');
    writeFileSync(perf, performanceMidi(performanceWithMistakes(score, { wrong: 3, missed: 5, extraPitch: 30, extraAfter: 1 })));
    const run = await seminote(['evaluate', '--score', BASIC_MUSICXML, '--performance', perf, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      summary: { correct: number; wrong: number; missed: number; extra: number; accuracy: number; meanAbsTimingErrorMs: number; p90AbsTimingErrorMs: number };
      verdicts: { verdict: string; scoreNoteId: string | null }[];
    };
    expect(out.summary).toMatchObject({ correct: 8, wrong: 1, missed: 1, extra: 1 });
    expect(out.summary.accuracy).toBeCloseTo(8 / 11, 6);
    expect(typeof out.summary.meanAbsTimingErrorMs).toBe('number');
    expect(out.summary.p90AbsTimingErrorMs).toBeGreaterThanOrEqual(0);
    const verdictOf = (i: number) => out.verdicts.find((v) => v.scoreNoteId === score.notes[i]!.id)?.verdict;
    expect(verdictOf(3)).toBe('wrong');
    expect(verdictOf(5)).toBe('missed');
    expect(verdictOf(0)).toBe('correct');
  });

  it('gives usage errors with exit code 2', async () => {
    const none = await seminote(['evaluate', '--score', BASIC_MUSICXML]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--score and --performance are required');
    const unknown = await seminote(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const help = await seminote(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('seminote serve');
  });

  it('serve prints the URL, serves the page and stops on SIGTERM; without a build it says to build', async () => {
    const rendererDir = join(dir.path, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Seminote</title>');
    const env = { SEMINOTE_RENDERER_DIR: rendererDir, SEMINOTE_DATA_DIR: join(dir.path, 'data') };
    const child = spawn(process.execPath, ['bin/seminote.js', 'serve', '--token', 'cli-test-token'], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /Seminote serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=cli-test-token)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const page = await fetch(url);
    expect(await page.text()).toContain('<title>Seminote</title>');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const unbuilt = await seminote(['serve'], { SEMINOTE_RENDERER_DIR: join(dir.path, 'nothing-here'), SEMINOTE_DATA_DIR: join(dir.path, 'data') });
    expect(unbuilt.code).toBe(2);
    expect(unbuilt.stderr).toContain('Run `npm run build` first');
  });
});

describe('seminote align', () => {
  const scorePath = join(SHARED_DATA, 'vienna4x22/musicxml/Mozart_K331_1st-mov.musicxml');
  const midiPath = join(SHARED_DATA, 'vienna4x22/midi/Mozart_K331_1st-mov_p01.mid');

  it('--json pairs a real performance with a restart spliced in: every note once, same pitches, the first attempt abandoned', async () => {
    const score = importScore('k331.musicxml', readFileSync(scorePath));
    const real = performanceFromMidi(new Uint8Array(readFileSync(midiPath))).notes;
    // The player stops at 28 s and starts again from 20 s (0.6 s pause), then plays on.
    const shift = 8.6;
    const replayed = real.filter((n) => n.onsetSec >= 20).map((n) => ({ ...n, onsetSec: n.onsetSec + shift, offsetSec: n.offsetSec + shift }));
    const firstAttempt = real.filter((n) => n.onsetSec >= 20 && n.onsetSec < 28).length;
    const take = [...real.filter((n) => n.onsetSec < 28), ...replayed];
    const perf = join(dir.path, 'restart.mid');
    writeFileSync(perf, performanceMidi(take));
    const run = await seminote(['align', '--score', scorePath, '--performance', perf, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      summary: { scoreNotes: number; performanceNotes: number; matched: number; abandonedPerformedNotes: number };
      pairs: { scoreNoteId: string | null; performanceIndex: number | null; abandoned?: boolean }[];
    };
    const played = performanceFromMidi(new Uint8Array(readFileSync(perf))).notes;
    expect(out.summary.performanceNotes).toBe(played.length);
    const scoreIds = out.pairs.filter((p) => p.scoreNoteId !== null).map((p) => p.scoreNoteId);
    const playedIds = out.pairs.filter((p) => p.performanceIndex !== null).map((p) => p.performanceIndex);
    expect(new Set(scoreIds).size).toBe(score.notes.length);
    expect(scoreIds).toHaveLength(score.notes.length);
    expect(new Set(playedIds).size).toBe(played.length);
    expect(playedIds).toHaveLength(played.length);
    const pitchOf = new Map(score.notes.map((n) => [n.id, n.pitch]));
    for (const p of out.pairs) if (p.scoreNoteId !== null && p.performanceIndex !== null) expect(played[p.performanceIndex]!.pitch).toBe(pitchOf.get(p.scoreNoteId));
    expect(out.summary.matched).toBeGreaterThan(0.97 * score.notes.length);
    // The abandoned notes are the first attempt at 20-28 s (a note or two either side at most).
    expect(Math.abs(out.summary.abandonedPerformedNotes - firstAttempt)).toBeLessThanOrEqual(Math.max(3, firstAttempt * 0.1));
    for (const p of out.pairs.filter((q) => q.abandoned)) expect(played[p.performanceIndex!]!.onsetSec).toBeLessThan(28.7);
  });

  it('reports a performance that is not MIDI, or a broken MIDI file, as a clear error with exit code 2', async () => {
    const notMidi = await seminote(['align', '--score', scorePath, '--performance', BASIC_MUSICXML]);
    expect(notMidi.code).toBe(2);
    expect(notMidi.stderr).toContain('must be a MIDI file');
    const broken = join(dir.path, 'broken.mid');
    writeFileSync(broken, 'not a midi file');
    const run = await seminote(['align', '--score', scorePath, '--performance', broken, '--json']);
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(out).toMatchObject({ ok: false, error: { code: 'PARSE_ERROR' } });
    expect(out.error.message).toContain('broken.mid');
  });
});
