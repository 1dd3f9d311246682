/**
 * `seminote evaluate` with a recording: the CLI run as a child process transcribes a piano WAV
 * rendered by FluidSynth from the score (the real model in the inference worker), aligns and
 * grades it. The shipped model is being retrained, so this checks that the pipeline runs and the
 * breakdown is well formed, not how many notes it hears.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importScore } from '../../src/core/music';
import { BASIC_MUSICXML, performanceMidi, seminote, tempDir } from './helpers';

const dir = tempDir('cli-evaluate-audio');
afterAll(() => dir.remove());

const FLUIDSYNTH = '/usr/bin/fluidsynth';
const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

/** The score played cleanly (no mistakes), rendered to a 16 kHz mono WAV by FluidSynth. */
function renderedTake(): string {
  const score = importScore('basic.musicxml', readFileSync(BASIC_MUSICXML));
  const mid = join(dir.path, 'take.mid');
  const clean = score.notes.map((n) => ({ pitch: n.pitch, onsetSec: 0.5 + n.onsetSec, offsetSec: 0.5 + n.onsetSec + Math.max(0.1, n.durationSec * 0.9), velocity: 80 }));
  writeFileSync(mid, performanceMidi(clean));
  const wav = join(dir.path, 'take.wav');
  const render = spawnSync(FLUIDSYNTH, ['-ni', '-q', '-r', '16000', '-F', wav, SOUNDFONT, mid], { encoding: 'utf8' });
  if (render.status !== 0 || !existsSync(wav)) throw new Error(`fluidsynth failed: ${render.stderr}`);
  return wav;
}

interface EvaluateJson {
  ok: boolean;
  performanceKind: string;
  transcription: { model: { version: string }; notes: number; audioSec: number } | null;
  scoreNotes: number;
  performanceNotes: number;
  summary: { correct: number; wrong: number; missed: number; extra: number; accuracy: number; bars: { measureIndex: number }[] };
  feedback: { text: string; fromMeasure: number }[];
  tempoByBar: { measureIndex: number; qpm: number }[];
  verdicts: { verdict: string; scoreNoteId: string | null; performanceIndex: number | null }[];
}

describe('seminote evaluate with audio', () => {
  it.skipIf(!existsSync(FLUIDSYNTH) || !existsSync(SOUNDFONT))('transcribes a rendered WAV, then aligns and grades it', async () => {
    const wav = renderedTake();
    const run = await seminote(['evaluate', '--score', BASIC_MUSICXML, '--performance', wav, '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const out = JSON.parse(run.stdout) as EvaluateJson;
    expect(out.performanceKind).toBe('audio');
    expect(out.transcription?.notes).toBe(out.performanceNotes);
    expect(out.transcription?.audioSec).toBeGreaterThan(1);
    expect(out.transcription?.model.version).toMatch(/^\d+\.\d+\.\d+/);
    // Every score note gets exactly one verdict; every played note is matched or extra.
    const { summary, verdicts } = out;
    expect(summary.correct + summary.wrong + summary.missed).toBe(out.scoreNotes);
    expect(summary.correct + summary.wrong + summary.extra).toBe(out.performanceNotes);
    expect(verdicts.filter((v) => v.scoreNoteId !== null)).toHaveLength(out.scoreNotes);
    expect(new Set(verdicts.flatMap((v) => (v.performanceIndex === null ? [] : [v.performanceIndex]))).size).toBe(out.performanceNotes);
    expect(summary.accuracy).toBeGreaterThanOrEqual(0);
    expect(summary.accuracy).toBeLessThanOrEqual(1);
    expect(summary.bars.length).toBeGreaterThan(0);
    expect(Array.isArray(out.feedback)).toBe(true);
    for (const t of out.tempoByBar) expect(t.qpm).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a performance that is neither MIDI nor audio, and a broken recording, with exit code 2', async () => {
    const txt = join(dir.path, 'take.txt');
    writeFileSync(txt, 'not music');
    const other = await seminote(['evaluate', '--score', BASIC_MUSICXML, '--performance', txt, '--json']);
    expect(other.code).toBe(2);
    expect((JSON.parse(other.stdout) as { error: { code: string } }).error.code).toBe('UNSUPPORTED');
    const broken = join(dir.path, 'broken.wav');
    writeFileSync(broken, 'RIFF....WAVEnot really');
    const bad = await seminote(['evaluate', '--score', BASIC_MUSICXML, '--performance', broken, '--json']);
    expect(bad.code).toBe(2);
    const error = (JSON.parse(bad.stdout) as { error: { code: string; message: string } }).error;
    expect(error.message).toContain('broken.wav');
  }, 60_000);
});
