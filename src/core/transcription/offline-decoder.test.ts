import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { decodingConfigFromManifest } from './decoding-config';
import { decodeNotes, decodePerformance, parabolicPeakOffset } from './offline-decoder';
import { decodePedal } from './pedal';
import { concatPosteriors } from './posteriors';
import { paintNotes, set, TEST_CONFIG, TEST_MANIFEST_DECODING } from './test-posteriors';

describe('decodeNotes (offline, docs/transcription-decoding.md §3)', () => {
  it('turns one painted note into one note with interpolated onset, release offset and velocity', () => {
    const notes = decodeNotes(paintNotes(200, [{ pitch: 60, onFrame: 50, offFrame: 80, velocity: 0.5 }]), TEST_CONFIG);
    expect(notes).toHaveLength(1);
    const [note] = notes;
    // Bump 0.3, 0.9, 0.4: the parabola's vertex is a little after frame 50.
    const delta = (0.5 * (0.3 - 0.4)) / (0.3 - 1.8 + 0.4);
    expect(delta).toBeGreaterThan(0);
    expect(note?.pitch).toBe(60);
    expect(note?.onsetSec).toBeCloseTo((50 + delta) / 100, 9);
    expect(note?.offsetSec).toBeCloseTo(0.8, 9);
    expect(note?.velocity).toBe(64);
  });

  it('takes one onset from a plateau and ignores a second peak inside the re-trigger gap', () => {
    const p = paintNotes(100, [{ pitch: 40, onFrame: 10, offFrame: 40, bump: [0.2, 0.9, 0.9] }]);
    set(p.onset, 12, 40, 0.95); // a peak 2 frames later: inside the 3-frame gap
    set(p.onset, 20, 40, 0.95); // 10 frames later: a new note
    const notes = decodeNotes(p, TEST_CONFIG);
    expect(notes).toHaveLength(2);
    // The plateau (0.9, 0.9) interpolates to its middle, clamped at half a frame.
    expect(notes[0]?.onsetSec).toBeCloseTo(0.105, 9);
    expect(notes[1]?.onsetSec).toBeCloseTo(0.2, 9);
    expect(notes[0]?.offsetSec).toBe(notes[1]?.onsetSec);
  });

  it('ends a held note exactly where the same key is struck again', () => {
    const p = paintNotes(200, [
      { pitch: 72, onFrame: 20, offFrame: 120 },
      { pitch: 72, onFrame: 60, offFrame: 120, velocity: 0.9 },
    ]);
    const notes = decodeNotes(p, TEST_CONFIG);
    expect(notes).toHaveLength(2);
    expect(notes[0]?.offsetSec).toBe(notes[1]?.onsetSec);
    expect(notes[1]?.velocity).toBe(Math.round(0.9 * 127));
    expect(notes[1]?.offsetSec).toBeCloseTo(1.2, 9);
  });

  it('ends a note at an offset peak before the frame head drops', () => {
    const p = paintNotes(200, [{ pitch: 50, onFrame: 10, offFrame: 90 }]);
    set(p.offset, 40, 50, 0.3);
    set(p.offset, 41, 50, 0.7);
    set(p.offset, 42, 50, 0.3);
    expect(decodeNotes(p, TEST_CONFIG)[0]?.offsetSec).toBeCloseTo(0.41, 9);
  });

  it('bridges a dip shorter than K frames and ends on K released frames', () => {
    const p = paintNotes(200, [{ pitch: 65, onFrame: 10, offFrame: 60 }]);
    set(p.frame, 30, 65, 0.1); // one-frame dip, K = 2
    expect(decodeNotes(p, TEST_CONFIG)[0]?.offsetSec).toBeCloseTo(0.6, 9);
    expect(decodeNotes(p, { ...TEST_CONFIG, noteOffFrames: 1 })[0]?.offsetSec).toBeCloseTo(0.3, 9);
  });

  it('floors a very short note at the minimum duration instead of dropping it', () => {
    const notes = decodeNotes(paintNotes(100, [{ pitch: 30, onFrame: 10, offFrame: 11, bump: [0, 0.9, 0] }]), TEST_CONFIG);
    expect(notes).toHaveLength(1);
    expect((notes[0]?.offsetSec ?? 0) - (notes[0]?.onsetSec ?? 0)).toBeCloseTo(0.03, 9);
  });

  it('closes a note still held at the end of the clip at time(T), sorted by onset then pitch', () => {
    const p = paintNotes(50, [
      { pitch: 64, onFrame: 5, offFrame: 50 },
      { pitch: 60, onFrame: 5, offFrame: 20 },
    ]);
    const notes = decodeNotes(p, TEST_CONFIG);
    expect(notes.map((n) => n.pitch)).toEqual([60, 64]);
    expect(notes[1]?.offsetSec).toBeCloseTo(0.5, 9);
  });

  it('rejects posteriors whose heads do not match the frame count', () => {
    const p = paintNotes(10, []);
    expect(() => decodeNotes({ ...p, frameCount: 11 }, TEST_CONFIG)).toThrow(AppError);
  });
});

describe('parabolicPeakOffset', () => {
  it('is 0 for a symmetric peak, clamped to half a frame, 0 when not concave', () => {
    expect(parabolicPeakOffset(0.5, 1, 0.5)).toBeCloseTo(0, 12);
    expect(parabolicPeakOffset(0, 1, 0.999)).toBeLessThanOrEqual(0.5);
    expect(parabolicPeakOffset(1, 1, 1)).toBe(0);
    expect(parabolicPeakOffset(0.2, 1, 0.6)).toBeGreaterThan(0);
  });
});

describe('pedal decoding', () => {
  it('emits down/up for runs at least the minimum length and ignores shorter runs', () => {
    const p = paintNotes(300, [], [
      [10, 60],
      [100, 103],
      [200, 300],
    ]);
    expect(decodePedal(p.pedal, TEST_CONFIG)).toEqual([
      { timeSec: 0.1, value: 127 },
      { timeSec: 0.6, value: 0 },
      { timeSec: 2, value: 127 },
      { timeSec: 3, value: 0 },
    ]);
    expect(decodePerformance(p, TEST_CONFIG).durationSec).toBe(3);
  });
});

describe('a negative time_offset_s (heads that answer late)', () => {
  const LATE = { ...TEST_CONFIG, timeOffsetSec: -0.03 };

  it('shifts every time earlier and clamps the first frames at 0, never negative', () => {
    const p = paintNotes(
      300,
      [
        { pitch: 60, onFrame: 1, offFrame: 20, bump: [0.3, 0.9, 0.3] },
        { pitch: 64, onFrame: 100, offFrame: 150, bump: [0.3, 0.9, 0.3] },
      ],
      [[0, 40]],
    );
    const performance = decodePerformance(p, LATE);
    const [early, later] = performance.notes;
    expect(early?.onsetSec).toBe(0); // frame 1 is -0.02 s after the offset
    expect(early?.offsetSec).toBeCloseTo(0.17, 9);
    expect(later?.onsetSec).toBeCloseTo(0.97, 9);
    expect(later?.offsetSec).toBeCloseTo(1.47, 9);
    expect(performance.pedal).toEqual([
      { timeSec: 0, value: 127 },
      { timeSec: expect.closeTo(0.37, 9), value: 0 },
    ]);
    expect(performance.durationSec).toBeCloseTo(2.97, 9);
    const times = [...performance.notes.flatMap((n) => [n.onsetSec, n.offsetSec]), ...performance.pedal.map((e) => e.timeSec)];
    expect(Math.min(...times)).toBeGreaterThanOrEqual(0);
  });

  it('keeps the duration floor after clamping a note that starts and ends before 0', () => {
    const p = paintNotes(50, [{ pitch: 70, onFrame: 0, offFrame: 1, bump: [0, 0.9, 0.2] }]);
    const [note] = decodeNotes(p, LATE);
    expect(note?.onsetSec).toBe(0);
    expect(note?.offsetSec).toBeCloseTo(LATE.minNoteDurationSec, 9);
  });
});

describe('decodingConfigFromManifest', () => {
  const manifest = { ...TEST_MANIFEST_DECODING, onset_threshold: 0.4 };
  it('reads every snake_case key', () => {
    expect(decodingConfigFromManifest(manifest, 100)).toMatchObject({ onsetThreshold: 0.4, noteOffFrames: 2, frameRateHz: 100 });
  });
  it('names the key that is missing or invalid', () => {
    const { note_off_frames: _dropped, ...missing } = manifest;
    expect(() => decodingConfigFromManifest(missing, 100)).toThrow(/note_off_frames/);
    expect(() => decodingConfigFromManifest({ ...manifest, onset_threshold: 2 }, 100)).toThrow(/onsetThreshold/);
    expect(() => decodingConfigFromManifest(null, 100)).toThrow(AppError);
  });
});

describe('concatPosteriors', () => {
  it('joins stretches so decoding the parts equals decoding the whole', () => {
    const whole = paintNotes(120, [
      { pitch: 60, onFrame: 10, offFrame: 70 },
      { pitch: 62, onFrame: 45, offFrame: 100 },
    ]);
    const part = (from: number, to: number) => ({
      frameCount: to - from,
      onset: whole.onset.slice(from * 88, to * 88),
      frame: whole.frame.slice(from * 88, to * 88),
      offset: whole.offset.slice(from * 88, to * 88),
      velocity: whole.velocity.slice(from * 88, to * 88),
      pedal: whole.pedal.slice(from, to),
    });
    const joined = concatPosteriors([part(0, 33), part(33, 34), part(34, 120)]);
    expect(joined).toEqual(whole);
    expect(decodeNotes(joined, TEST_CONFIG)).toEqual(decodeNotes(whole, TEST_CONFIG));
  });
});
