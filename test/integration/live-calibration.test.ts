/**
 * "Check your piano" on the real audio path: the services' audio.calibrate steps on the PulseAudio
 * rig, with rendered piano played into the null sink the way a user would play: silence, a scale
 * across registers at three gains, and notes struck on the calibration clicks with a known delay.
 * Assertions hold for any model; the per-register detections are printed and checked for
 * consistency (each reported pitch lies in its register and was played), not for a count.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CalibrationLatencyReport, CalibrationPlayReport, CalibrationSilenceReport, AudioLevelEvent } from '../../src/shared/live';
import { dispatch } from '../../src/main/dispatch';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { PulsePlayer, RIG_RATE, acquireRigLock, startPulseRig } from '../../src/main/audio/pulseRig';
import { SOUNDFONT, renderPiano } from '../../src/main/live/piano-render';
import type { RenderNote } from '../../src/main/live/piano-render';
import { REPO_ROOT, call, tempDir } from './helpers';

const missing = [SOUNDFONT, resolve(REPO_ROOT, 'models/transcription')].filter((p) => !existsSync(p));
const rigProblem = missing.length ? `missing ${missing.join(', ')}` : startPulseRig(REPO_ROOT);
if (rigProblem) console.warn(`SKIPPING calibration test: ${rigProblem}`);

const dir = tempDir('live-calibration');
afterAll(() => dir.remove());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEVICE = { deviceName: 'pulse', bufferFrames: 256 } as const;

/** Three notes in each register, 0.4 s apart. */
const SCALE: RenderNote[] = [36, 40, 43, 60, 64, 67, 84, 88, 91].map((pitch, i) => ({ pitch, onsetSec: 0.3 + i * 0.4, durationSec: 0.35, velocity: 90 }));

/** Runs a calibration step while `play` feeds the sink once the input is open. */
async function stepWhilePlaying<T>(services: Services, step: unknown, play: (player: PulsePlayer) => Promise<void>, latencyMs: number): Promise<T> {
  // A short playback buffer underruns on a loaded machine, and each gap's end sounds like a strike:
  // only the latency step, which times strikes, uses one.
  const player = await PulsePlayer.open({ latencyMs });
  try {
    const opened = new Promise<void>((r) => {
      const off = services.events.on('audio.level', () => {
        off();
        r();
      });
    });
    const report = call<T>(services, 'audio.calibrate', { ...DEVICE, step });
    await opened;
    await play(player);
    return await report;
  } finally {
    await player.close();
  }
}

describe.skipIf(Boolean(rigProblem))('calibration on the audio rig', () => {
  it('measures the floor, judges the gain, reports registers and measures a click latency', { timeout: 180_000 }, async () => {
    const releaseRig = await acquireRigLock();
    startPulseRig(REPO_ROOT);
    const services = createServices({ dataDir: dir.path, watchMidiDevices: false });
    const levels: AudioLevelEvent[] = [];
    services.events.on('audio.level', (e) => levels.push(e));
    try {
      const bad = await dispatch(services, 'audio.calibrate', { ...DEVICE, step: { step: 'latency', clicks: 1, intervalMs: 500 } });
      expect(bad.ok).toBe(false);

      // Nothing plays into the null sink: digital silence.
      const silence = await call<CalibrationSilenceReport>(services, 'audio.calibrate', { ...DEVICE, step: { step: 'silence', seconds: 1.5 } });
      expect(silence.noiseFloorDbfs).toBeLessThan(-90);
      expect(silence.message).toMatch(/Quiet room/);
      expect(levels.filter((l) => l.source === 'calibration').length).toBeGreaterThan(10);

      const scale = await renderPiano(dir.path, SCALE, RIG_RATE, 'scale');
      const scaled = (gain: number) => scale.map((x) => Math.max(-4, Math.min(4, x * gain)));
      const seconds = scale.length / RIG_RATE + 1.6;
      const playStep = (gain: number) =>
        stepWhilePlaying<CalibrationPlayReport>(
          services,
          { step: 'play', seconds, noiseFloorDbfs: silence.noiseFloorDbfs },
          async (player) => {
            player.play(scaled(gain));
          },
          400,
        );

      const normalPeak = 20 * Math.log10(scale.reduce((m, x) => Math.max(m, Math.abs(x)), 0));
      // Bring the rendered scale to about -8 dBFS peak: a healthy input level.
      const fine = await playStep(10 ** ((-8 - normalPeak) / 20));
      console.log('play step (fine):', JSON.stringify({ ...fine, registers: fine.registers.map((r) => [r.name, r.detectedPitches]) }));
      expect(fine.advice).toBe('fine');
      expect(fine.clippedWindows).toBe(0);
      expect(fine.onsetsHeard).toBeGreaterThanOrEqual(SCALE.length - 2);
      expect(fine.onsetsHeard).toBeLessThanOrEqual(SCALE.length + 2);
      const played = new Set(SCALE.map((n) => n.pitch));
      for (const r of fine.registers) {
        for (const p of r.detectedPitches) expect(p >= r.fromPitch && p <= r.toPitch).toBe(true);
        expect(r.detected).toBe(r.detectedPitches.length > 0);
      }
      const allDetected = fine.registers.flatMap((r) => r.detectedPitches);
      console.log(`model ${fine.modelVersion}: ${fine.notesDetected} note-ons, ${allDetected.filter((p) => played.has(p)).length}/${allDetected.length} distinct pitches were played`);

      const quiet = await playStep(10 ** ((-42 - normalPeak) / 20));
      expect(quiet.advice).toBe('too-quiet');
      const loud = await playStep(10 ** ((6 - normalPeak) / 20));
      expect(loud.advice).toBe('clipping');
      expect(loud.clippedWindows).toBeGreaterThan(0);

      // Latency: a note struck on every click, `delayMs` after it; the reported offsets must differ
      // by the added delay (whatever the rig's own latency is).
      const note = await renderPiano(dir.path, [{ pitch: 60, onsetSec: 0, durationSec: 0.2, velocity: 100 }], RIG_RATE, 'note');
      // Cut shorter than the click interval: pacat queues writes, a longer strike would delay the next.
      const strike = note.subarray(0, Math.round(0.4 * RIG_RATE)).map((x) => x * 3);
      const latencyStep = (delayMs: number) =>
        stepWhilePlaying<CalibrationLatencyReport>(services, { step: 'latency', clicks: 5, intervalMs: 500 }, async (player) => {
          const off = services.events.on('audio.calibrationClick', () => {
            setTimeout(() => player.play(strike), delayMs);
          });
          await sleep(1000 + 5 * 500 + 700);
          off();
        }, 20);
      const base = await latencyStep(0);
      const delayed = await latencyStep(150);
      console.log(`latency step: offset ${base.offsetMs} ms (spread ${base.spreadMs}) without delay, ${delayed.offsetMs} ms (spread ${delayed.spreadMs}) with 150 ms added`);
      expect(base.matched).toBeGreaterThanOrEqual(4);
      expect(delayed.matched).toBeGreaterThanOrEqual(4);
      expect((delayed.offsetMs as number) - (base.offsetMs as number)).toBeGreaterThan(120);
      expect((delayed.offsetMs as number) - (base.offsetMs as number)).toBeLessThan(180);

      const saved = await call<{ offsetMs: number }>(services, 'audio.setLatencyOffset', { offsetMs: base.offsetMs });
      expect((await call<Record<string, unknown>>(services, 'settings.get', {}))['audio.latencyOffsetMs']).toBe(saved.offsetMs);
      expect((await dispatch(services, 'audio.setLatencyOffset', { offsetMs: 9000 })).ok).toBe(false);
    } finally {
      services.dispose();
      releaseRig();
    }
  });
});
