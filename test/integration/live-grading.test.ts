/**
 * A deliberately wrong performance through the microphone path is graded wrong where it is wrong:
 * the C major scale (starter piece) rendered with FluidSynth with two wrong pitches and one note
 * left out, played into the PulseAudio rig's null sink, captured, transcribed live by the newest
 * model and followed in a play-through take through the services. Asserts the injected mistakes are
 * reported (the two wrong notes not correct, the left-out note missed) and, so that a model that
 * hears nothing cannot pass, that at least a third of the untouched notes are graded correct. No
 * accuracy figure is asserted. Needs a model that detects notes (0.2.0 on; fails with 0.1.0).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultModelDir } from '../../src/main/cli/transcribe';
import { afterAll, describe, expect, it } from 'vitest';
import type { PieceRecord, Profile } from '../../src/shared/api';
import type { Score } from '../../src/shared/score';
import { createServices } from '../../src/main/services';
import { RIG_RATE, acquireRigLock, startPulseRig } from '../../src/main/audio/pulseRig';
import { SOUNDFONT, renderPiano } from '../../src/main/live/piano-render';
import type { RenderNote } from '../../src/main/live/piano-render';
import { REPO_ROOT, tempDir } from './helpers';
import { caller, rigTake, sleep } from './live-take';

const missing = [SOUNDFONT, resolve(REPO_ROOT, 'models/transcription')].filter((p) => !existsSync(p));
// The early 0.1.0 checkpoint detects almost no notes: grading through it would test nothing.
const earlyModel = !missing.length && readManifestVersion() === '0.1.0' ? 'the newest model is the early 0.1.0 checkpoint, which detects almost no notes' : null;
const rigProblem = missing.length ? `missing ${missing.join(', ')}` : (earlyModel ?? startPulseRig(REPO_ROOT));
if (rigProblem) console.warn(`SKIPPING live grading test: ${rigProblem}`);

function readManifestVersion(): string {
  return (JSON.parse(readFileSync(join(defaultModelDir(), 'manifest.json'), 'utf8')) as { version: string }).version;
}

const dir = tempDir('live-grading');
afterAll(() => dir.remove());
const PIECE = 'C major scale, 1 octave, right hand';
/** Score note index -> the pitch played instead (a semitone off, not another scale note). */
const WRONG = new Map([
  [3, 66],
  [9, 70],
]);
const LEFT_OUT = 6;

describe.skipIf(Boolean(rigProblem))('grading a wrong performance heard through the microphone', () => {
  it('reports the injected wrong notes and the left-out note', { timeout: 180_000 }, async () => {
    const releaseRig = await acquireRigLock();
    startPulseRig(REPO_ROOT);
    const services = createServices({ dataDir: resolve(dir.path, 'data'), watchMidiDevices: false });
    const call = caller(services);
    try {
      const profile = await call<Profile>('profiles.create', { name: 'Mic' });
      const piece = (await call<PieceRecord[]>('library.list', {})).find((p) => p.title === PIECE);
      if (!piece) throw new Error(`starter piece "${PIECE}" not found`);
      const { score } = await call<{ score: Score }>('library.getScore', { pieceId: piece.id });
      const played: RenderNote[] = score.notes.flatMap((n, i) =>
        i === LEFT_OUT ? [] : [{ pitch: WRONG.get(i) ?? n.pitch, onsetSec: 0.5 + n.onsetSec, durationSec: n.durationSec * 0.9, velocity: 85 }],
      );
      const signal = await renderPiano(dir.path, played, RIG_RATE);
      const {
        stopped: { attempt },
      } = await rigTake(services, profile.id, piece.id, signal);
      expect(attempt).not.toBeNull();
      const verdictOf = new Map(attempt?.verdicts.filter((v) => v.scoreNoteId !== null).map((v) => [v.scoreNoteId, v]));
      const table = score.notes.map((n, i) => `${i}:${n.pitch}${WRONG.has(i) ? `->${WRONG.get(i)}` : i === LEFT_OUT ? '(left out)' : ''}=${verdictOf.get(n.id)?.verdict ?? '?'}${verdictOf.get(n.id)?.playedPitch !== undefined ? `(heard ${verdictOf.get(n.id)?.playedPitch})` : ''}`);
      console.log(`verdicts: ${table.join(' ')}; extra ${attempt?.verdicts.filter((v) => v.verdict === 'extra').length}`);

      for (const [index, pitch] of WRONG) {
        const v = verdictOf.get(score.notes[index]?.id ?? '');
        expect(['wrong', 'missed']).toContain(v?.verdict);
        // When graded wrong, the pitch heard is the injected one up to the octave: 0.2.0 makes
        // octave errors on this timbre (it heard F#3 for F#4 in one CI run), a model weakness
        // documented in docs/transcription-model.md, not a grading one.
        if (v?.verdict === 'wrong' && v.playedPitch !== undefined) expect(Math.abs(v.playedPitch - pitch) % 12).toBe(0);
      }
      expect(verdictOf.get(score.notes[LEFT_OUT]?.id ?? '')?.verdict).toBe('missed');
      const untouched = score.notes.filter((_, i) => !WRONG.has(i) && i !== LEFT_OUT);
      const correct = untouched.filter((n) => verdictOf.get(n.id)?.verdict === 'correct').length;
      // Untouched notes graded correct: a model that hears nothing (all missed) or garbles
      // everything cannot pass. 0.2.0 (held-out onset F1 ~0.6) mis-hears some pitches, and which
      // ones varies with capture timing: 8-9 of the 12 in runs here, so the bar is a third, not half.
      expect(correct).toBeGreaterThanOrEqual(Math.ceil(untouched.length / 3));
    } finally {
      services.dispose();
      await sleep(500);
      releaseRig();
    }
  });
});
