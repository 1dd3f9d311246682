/**
 * Parity with the Python reference outputs committed beside the model
 * (models/transcription/<version>/reference/{clip.wav, reference.json}, written by
 * models/training/export.py): our audio decoding + onnxruntime inference must reproduce the
 * posteriors, and our decoders the notes, pedal and streaming notes of docs/transcription-decoding.md.
 * Runs on the newest model that has a reference ($SEMINOTE_PARITY_MODEL_DIR overrides).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import tonejsMidi from '@tonejs/midi';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { midiToHz, precisionRecallF1Overlap } from '../../core/metrics/note-metrics';
import { decodingConfigFromManifest } from '../../core/transcription/decoding-config';
import { decodeNotes, decodePerformance } from '../../core/transcription/offline-decoder';
import { decodePedal } from '../../core/transcription/pedal';
import type { Posteriors } from '../../core/transcription/posteriors';
import { KEY_COUNT, posteriorFrameAt } from '../../core/transcription/posteriors';
import { notesFromEvents, StreamingNoteDecoder } from '../../core/transcription/streaming-decoder';
import type { LiveNoteEvent, PerformedNote } from '../../shared/performance';
import { decodeAudioFile } from '../audio/decode/decode-audio';
import { runTranscribe } from '../cli/transcribe';
import { StreamingTranscriber } from './streaming-transcriber';
import { TranscriptionModel } from './transcription-model';
import { TranscriptionWorker } from './transcription-worker';

interface ReferenceNote {
  pitch: number;
  onset_s: number;
  offset_s: number;
  velocity: number;
}
interface Reference {
  sample_rate: number;
  frame_rate_hz: number;
  posteriors: Record<'onset' | 'frame' | 'offset' | 'velocity', number[][]> & { pedal: number[] };
  notes: ReferenceNote[];
  pedal: Array<{ time_s: number; value: number }>;
  streaming_notes?: ReferenceNote[];
}

function findModelDir(): string | null {
  const fromEnv = process.env['SEMINOTE_PARITY_MODEL_DIR'];
  if (fromEnv) return fromEnv;
  const root = resolve(process.cwd(), 'models/transcription');
  if (!existsSync(root)) return null;
  const candidates = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'manifest.json')) && existsSync(join(root, v, 'reference', 'reference.json')))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const latest = candidates[candidates.length - 1];
  return latest ? join(root, latest) : null;
}

const modelDir = findModelDir();
const FRAME = 0.01;
const POSTERIOR_TOLERANCE = 1e-3;

function referencePosteriors(ref: Reference): Posteriors {
  const T = ref.posteriors.pedal.length;
  const flat = (rows: number[][]) => {
    const out = new Float32Array(T * KEY_COUNT);
    rows.forEach((row, t) => out.set(row, t * KEY_COUNT));
    return out;
  };
  return {
    frameCount: T,
    onset: flat(ref.posteriors.onset),
    frame: flat(ref.posteriors.frame),
    offset: flat(ref.posteriors.offset),
    velocity: flat(ref.posteriors.velocity),
    pedal: Float32Array.from(ref.posteriors.pedal),
  };
}

function maxAbsDiff(a: Posteriors, b: Posteriors): number {
  let max = 0;
  for (const head of ['onset', 'frame', 'offset', 'velocity', 'pedal'] as const) {
    expect(a[head].length, head).toBe(b[head].length);
    for (let i = 0; i < a[head].length; i++) max = Math.max(max, Math.abs((a[head][i] as number) - (b[head][i] as number)));
  }
  return max;
}

const byPitchThenOnset = <T extends { pitch: number }>(onset: (n: T) => number) => (a: T, b: T) => a.pitch - b.pitch || onset(a) - onset(b);

/** Same pitches, onsets (and offsets, velocities) within the given tolerances, note for note. */
function expectSameNotes(ours: PerformedNote[], reference: ReferenceNote[], timeTolerance: number, velocityTolerance: number): void {
  const a = [...ours].sort(byPitchThenOnset<PerformedNote>((n) => n.onsetSec));
  const b = [...reference].sort(byPitchThenOnset<ReferenceNote>((n) => n.onset_s));
  expect(a.map((n) => n.pitch)).toEqual(b.map((n) => n.pitch));
  a.forEach((n, i) => {
    const r = b[i] as ReferenceNote;
    expect(Math.abs(n.onsetSec - r.onset_s), `onset of note ${i} (pitch ${n.pitch})`).toBeLessThanOrEqual(timeTolerance + 1e-9);
    expect(Math.abs(n.velocity - r.velocity), `velocity of note ${i}`).toBeLessThanOrEqual(velocityTolerance);
  });
}

/** Pitch + onset agreement as an F-measure (mir_eval matching), for inputs that carry rounding. */
function expectMostlySameNotes(ours: PerformedNote[], reference: ReferenceNote[], onsetTolerance: number, minF1: number): void {
  const toEval = (n: { pitch: number; onset: number; offset: number }) => ({ onsetSec: n.onset, offsetSec: Math.max(n.offset, n.onset + 1e-3), pitchHz: midiToHz(n.pitch) });
  const a = ours.map((n) => toEval({ pitch: n.pitch, onset: n.onsetSec, offset: n.offsetSec }));
  const b = reference.map((n) => toEval({ pitch: n.pitch, onset: n.onset_s, offset: n.offset_s }));
  if (reference.length === 0) {
    expect(ours).toEqual([]);
    return;
  }
  const scores = precisionRecallF1Overlap(b, a, { onsetTolerance, offsetRatio: null });
  expect(Math.abs(ours.length - reference.length)).toBeLessThanOrEqual(Math.ceil(reference.length * (1 - minF1)) + 1);
  expect(scores.fMeasure).toBeGreaterThanOrEqual(minF1);
}

/**
 * docs/transcription-decoding.md §1 clamps decoded times at 0 (a negative time_offset_s would put
 * the first frames before the clip). A reference written by a Python decoder without that rule may
 * hold negative times in its first frames; clamping them applies the rule (a no-op otherwise).
 */
function clampedAtZero(ref: Reference): Reference {
  const note = (n: ReferenceNote): ReferenceNote => ({ ...n, onset_s: Math.max(0, n.onset_s), offset_s: Math.max(0, n.offset_s) });
  return {
    ...ref,
    notes: ref.notes.map(note),
    pedal: ref.pedal.map((p) => ({ ...p, time_s: Math.max(0, p.time_s) })),
    ...(ref.streaming_notes ? { streaming_notes: ref.streaming_notes.map(note) } : {}),
  };
}

describe.skipIf(!modelDir)(`parity with the Python reference (${modelDir ?? 'no model with a reference yet'})`, () => {
  const dir = modelDir ?? '';
  const ref = (): Reference => clampedAtZero(JSON.parse(readFileSync(join(dir, 'reference', 'reference.json'), 'utf8')) as Reference);
  const clip = join(dir, 'reference', 'clip.wav');

  it('decodes the reference posteriors into the reference notes, pedal and streaming notes (decoder parity)', () => {
    const reference = ref();
    const posteriors = referencePosteriors(reference);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { decoding: Record<string, number> };
    const config = decodingConfigFromManifest(manifest.decoding, reference.frame_rate_hz);
    // Posteriors in reference.json are rounded to 1e-5: that can create or break ties between
    // neighbouring frames (a peak test uses > on one side), so a rare note may differ. Everything
    // else must agree to the millisecond.
    expectMostlySameNotes(decodeNotes(posteriors, config), reference.notes, 1e-3, 0.99);
    const pedal = decodePedal(posteriors.pedal, config);
    expect(pedal.map((p) => p.value)).toEqual(reference.pedal.map((p) => p.value));
    pedal.forEach((p, i) => expect(Math.abs(p.timeSec - (reference.pedal[i]?.time_s ?? NaN))).toBeLessThanOrEqual(1e-9));
    if (reference.streaming_notes) {
      const decoder = new StreamingNoteDecoder(config);
      const events: LiveNoteEvent[] = [];
      for (let t = 0; t < posteriors.frameCount; t++) events.push(...decoder.push(posteriorFrameAt(posteriors, t)).notes);
      events.push(...decoder.flush().notes);
      // Python ran the streaming decoder on the step model's posteriors (equal within 1e-4).
      expectMostlySameNotes(notesFromEvents(events), reference.streaming_notes, FRAME, 0.98);
    }
  });

  for (const mode of ['overlap', 'stateful'] as const) {
    it(`reproduces the reference posteriors and notes from clip.wav (${mode} inference)`, async () => {
      const reference = ref();
      const model = await TranscriptionModel.load(dir, { provider: 'cpu', mode }).catch((error: unknown) => {
        if (mode === 'stateful' && /no step model/.test(String(error))) return null;
        throw error;
      });
      if (!model) return;
      try {
        const audio = await decodeAudioFile(clip, { targetSampleRate: model.sampleRate });
        // Small chunks so the stateful path really carries state across calls.
        const posteriors = await model.transcribe(audio.samples, { chunkSec: mode === 'stateful' ? 0.5 : 600 });
        expect(maxAbsDiff(posteriors, referencePosteriors(reference))).toBeLessThanOrEqual(POSTERIOR_TOLERANCE);
        expectSameNotes(decodeNotes(posteriors, model.manifest.decoding), reference.notes, FRAME, 1);
      } finally {
        await model.dispose();
      }
    });
  }

  it('stitches chunked inference by frame index, so a negative time_offset_s applies once and no time is negative', async () => {
    const model = await TranscriptionModel.load(dir, { provider: 'cpu', mode: 'overlap' });
    try {
      const audio = await decodeAudioFile(clip, { targetSampleRate: model.sampleRate });
      const whole = await model.transcribe(audio.samples, { chunkSec: 600 });
      // 0.3 s chunks with 3 s of left context: many chunks, each seeing the clip's whole past.
      const chunked = await model.transcribe(audio.samples, { chunkSec: 0.3, leftContextSec: 3 });
      expect(maxAbsDiff(chunked, whole)).toBeLessThanOrEqual(1e-4);
      // Heads that answer 30 ms late (0.2.0's output_delay_frames 3), whatever this model's offset is.
      const late = { ...model.manifest.decoding, timeOffsetSec: Math.min(-0.03, model.manifest.decoding.timeOffsetSec) };
      const fromWhole = decodePerformance(whole, late);
      const fromChunks = decodePerformance(chunked, late);
      expectSameNotes(fromChunks.notes, fromWhole.notes.map((n) => ({ pitch: n.pitch, onset_s: n.onsetSec, offset_s: n.offsetSec, velocity: n.velocity })), 1e-6, 0);
      const unshifted = decodeNotes(whole, { ...late, timeOffsetSec: 0 });
      expect(fromWhole.notes).toHaveLength(unshifted.length);
      const times = [...fromChunks.notes.flatMap((n) => [n.onsetSec, n.offsetSec]), ...fromChunks.pedal.map((e) => e.timeSec)];
      if (times.length > 0) expect(Math.min(...times)).toBeGreaterThanOrEqual(0);
    } finally {
      await model.dispose();
    }
  });

  it('streams clip.wav through the step model hop by hop into the reference streaming notes', async () => {
    const reference = ref();
    if (!reference.streaming_notes) return;
    const transcriber = await StreamingTranscriber.create(dir, 'cpu').catch((error: unknown) => {
      if (/no step model/.test(String(error))) return null;
      throw error;
    });
    if (!transcriber) return;
    try {
      const audio = await decodeAudioFile(clip, { targetSampleRate: transcriber.sampleRate });
      const events: LiveNoteEvent[] = [];
      // Uneven pushes, like audio callbacks: partial hops must wait for the next push.
      for (let pos = 0, i = 0; pos < audio.samples.length; i++) {
        const size = [37, 160, 1000, 480, 2049][i % 5] as number;
        events.push(...(await transcriber.push(audio.samples.subarray(pos, pos + size))).notes);
        pos += size;
      }
      events.push(...transcriber.flush().notes);
      expectMostlySameNotes(notesFromEvents(events), reference.streaming_notes, FRAME, 0.99);
    } finally {
      await transcriber.dispose();
    }
  });

  it('runs in the worker without blocking the main loop: progress, result, cancel, dispose', async () => {
    const worker = await TranscriptionWorker.start(dir, { provider: 'auto' });
    try {
      expect(['cpu', 'cuda']).toContain(worker.model.provider);
      if (worker.model.provider === 'cpu') {
        // Any CUDA attempt that failed is reported, not thrown.
        for (const f of worker.model.providerFallbacks) expect(f.provider).toBe('cuda');
      }
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const stages = new Set<string>();
      const result = await worker.transcribeFile(clip, {
        onProgress: (stage) => stages.add(stage),
        includePosteriors: true,
        chunking: { chunkSec: 0.7 }, // several chunks, and a remainder shorter than one
      });
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(0);
      expect(stages).toEqual(new Set(['decode', 'inference']));
      expectSameNotes(result.performance.notes, ref().notes, FRAME, 1);
      // The worker's pipeline (decoding overlapped with chunked inference) gives the same posteriors.
      expect(result.posteriors).toBeDefined();
      expect(maxAbsDiff(result.posteriors as Posteriors, referencePosteriors(ref()))).toBeLessThanOrEqual(POSTERIOR_TOLERANCE);
      expect(result.timings.audioSec).toBeCloseTo(ref().posteriors.pedal.length / ref().frame_rate_hz, 1);

      const controller = new AbortController();
      const cancelled = worker.transcribeFile(clip, {
        signal: controller.signal,
        chunking: { chunkSec: 0.05 },
        onProgress: (stage) => stage === 'inference' && controller.abort(),
      });
      await expect(cancelled).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      await worker.dispose();
    }
    await expect(worker.transcribeFile(clip)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('transcribes clip.wav from the CLI to MIDI and JSON', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'seminote-parity-'));
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
    const out = join(tmp, 'clip.mid');
    let stdout = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    let code: number;
    try {
      code = await runTranscribe([clip, '-o', out, '--json', '--model', dir]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { notes: unknown[]; timings: { realTimeFactor: number } };
    expect(json.notes).toHaveLength(ref().notes.length);
    expect(json.timings.realTimeFactor).toBeGreaterThan(0);
    const midi = new tonejsMidi.Midi(readFileSync(out));
    expect(midi.tracks[0]?.notes.length).toBe(ref().notes.length);
  });
});
