/**
 * Test and bench tooling: renders a MIDI performance to piano audio with FluidSynth, so the live
 * path can be driven with known notes through the PulseAudio rig. Nothing in the app uses it.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
// Default import: the package is CommonJS, and Node's ESM loader cannot see its named exports.
import tonejsMidi from '@tonejs/midi';
import { AppError } from '../../shared/errors';
import { inspectWav } from '../audio/wavFile';

const { Midi } = tonejsMidi;

export const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

export interface RenderNote {
  pitch: number;
  onsetSec: number;
  durationSec: number;
  velocity: number;
}

/** Renders `notes` (acoustic grand, program 0) to mono float samples at `sampleRate`. */
export async function renderPiano(dir: string, notes: readonly RenderNote[], sampleRate: number, name = 'take'): Promise<Float32Array> {
  const midi = new Midi();
  const track = midi.addTrack();
  for (const n of notes) track.addNote({ midi: n.pitch, time: n.onsetSec, duration: n.durationSec, velocity: n.velocity / 127 });
  const midPath = join(dir, `${name}.mid`);
  const wavPath = join(dir, `${name}.wav`);
  await writeFile(midPath, Buffer.from(midi.toArray()));
  // Asynchronous: a blocked event loop would stall whatever is capturing meanwhile.
  await promisify(execFile)('fluidsynth', ['-ni', '-q', '-R', '0', '-C', '0', '-g', '0.8', '-r', String(sampleRate), '-F', wavPath, SOUNDFONT, midPath], {
    timeout: 60_000,
  });
  const info = await inspectWav(wavPath);
  if (info.layout.format !== 'pcm16') throw new AppError('UNSUPPORTED', `fluidsynth wrote ${info.layout.format}, expected pcm16`);
  const bytes = await readFile(wavPath);
  const channels = info.layout.channels;
  const mono = new Float32Array(info.frames);
  for (let f = 0; f < info.frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += bytes.readInt16LE(info.layout.dataOffset + (f * channels + c) * 2);
    mono[f] = sum / channels / 32768;
  }
  return mono;
}

/** A short phrase with a held note under moving ones (the wait-mode re-trigger case). */
export function heldNotePhrase(): RenderNote[] {
  return [
    { pitch: 48, onsetSec: 0.2, durationSec: 2.6, velocity: 90 },
    { pitch: 64, onsetSec: 0.6, durationSec: 0.35, velocity: 80 },
    { pitch: 67, onsetSec: 1.1, durationSec: 0.35, velocity: 80 },
    { pitch: 72, onsetSec: 1.6, durationSec: 0.35, velocity: 85 },
    { pitch: 60, onsetSec: 2.1, durationSec: 0.5, velocity: 75 },
  ];
}
