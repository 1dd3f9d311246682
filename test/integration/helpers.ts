/** Shared helpers for integration tests: temp data dirs, real MIDI files with injected mistakes. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ToneMidi from '@tonejs/midi';
import type { PerformedNote } from '../../src/shared/performance';
import type { Score } from '../../src/shared/score';
import { dispatch } from '../../src/main/dispatch';
import type { Services } from '../../src/main/services';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const BASIC_MUSICXML = join(SHARED_DATA, 'partitura_testdata/musicxml/test_basic_midi.musicxml');

/** A method called through the same dispatch (and argument validation) as IPC and serve mode. */
export async function call<T>(services: Services, method: string, args: unknown): Promise<T> {
  const result = await dispatch(services, method, args);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** The error a method call is expected to end with (throws if it succeeds). */
export async function failure(services: Services, method: string, args: unknown): Promise<{ code: string; message: string }> {
  const result = await dispatch(services, method, args);
  if (result.ok) throw new Error(`${method} succeeded; a failure was expected`);
  return result.error;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`bin/seminote.js`) in a child process from the repository root. */
export function seminote(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/seminote.js', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `seminote-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A standard MIDI file (one track, 120 qpm) holding these notes. */
export function performanceMidi(notes: readonly PerformedNote[]): Uint8Array {
  const midi = new ToneMidi.Midi();
  const track = midi.addTrack();
  for (const n of notes) {
    track.addNote({ midi: n.pitch, time: n.onsetSec, duration: Math.max(0.01, n.offsetSec - n.onsetSec), velocity: n.velocity / 127 });
  }
  return midi.toArray();
}

export interface Mistakes {
  /** Score note index played a semitone too high. */
  wrong: number;
  /** Score note index not played. */
  missed: number;
  /** Pitch of an extra note played between score notes `extraAfter` and the next. */
  extraPitch: number;
  extraAfter: number;
}

/** The score played as written (starting at `startSec`), with the given mistakes. */
export function performanceWithMistakes(score: Score, mistakes: Mistakes, startSec = 0.5): PerformedNote[] {
  const out: PerformedNote[] = [];
  score.notes.forEach((note, i) => {
    const onsetSec = startSec + note.onsetSec;
    const offsetSec = onsetSec + Math.max(0.05, note.durationSec * 0.9);
    if (i !== mistakes.missed) {
      out.push({ pitch: i === mistakes.wrong ? note.pitch + 1 : note.pitch, onsetSec, offsetSec, velocity: 80 });
    }
    if (i === mistakes.extraAfter) {
      const next = score.notes[i + 1];
      const gap = next ? next.onsetSec - note.onsetSec : 0.5;
      const at = onsetSec + gap / 2;
      out.push({ pitch: mistakes.extraPitch, onsetSec: at, offsetSec: at + 0.05, velocity: 60 });
    }
  });
  return out.sort((a, b) => a.onsetSec - b.onsetSec);
}
