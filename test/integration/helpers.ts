/** Shared helpers for integration tests: temp data dirs, real MIDI files with injected mistakes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ToneMidi from '@tonejs/midi';
import type { PerformedNote } from '../../src/shared/performance';
import type { Score } from '../../src/shared/score';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const BASIC_MUSICXML = join(SHARED_DATA, 'partitura_testdata/musicxml/test_basic_midi.musicxml');

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
