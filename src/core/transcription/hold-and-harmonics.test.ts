/**
 * The post-attack hold (docs/transcription-decoding.md §3.4 rule 3, §4 step 3), harmonic
 * suppression (§3.1b), the pedal's own time offset (§1 pedal_time), the keys added later to the
 * manifest (§2), and the sounding notes of §4 checked against the Python reference beside the
 * newest model.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { PerformedNote } from '../../shared/performance';
import { extendOffsetsByPedal } from '../metrics/pedal-extension';
import { decodingConfigFromManifest, validateDecodingConfig } from './decoding-config';
import { decodeNotes, decodePerformance } from './offline-decoder';
import { decodePedal } from './pedal';
import type { Posteriors } from './posteriors';
import { posteriorFrameAt } from './posteriors';
import { notesFromEvents, StreamingNoteDecoder } from './streaming-decoder';
import { paintNotes, set, TEST_CONFIG, TEST_MANIFEST_DECODING } from './test-posteriors';

const HOLD = { ...TEST_CONFIG, minHoldSec: 0.06 };
const HARMONICS = { ...TEST_CONFIG, harmonicMaxOnset: 0.8, harmonicWindowSec: 0.02 };

function streamed(p: Posteriors, config = HOLD): PerformedNote[] {
  const decoder = new StreamingNoteDecoder(config);
  const events = [];
  for (let t = 0; t < p.frameCount; t++) events.push(...decoder.push(posteriorFrameAt(p, t)).notes);
  events.push(...decoder.flush().notes);
  return notesFromEvents(events);
}

/** A note held to frame 80 whose frame head dips below threshold for frames 14-16 after the attack at 10. */
function dippingNote(): Posteriors {
  const p = paintNotes(200, [{ pitch: 60, onFrame: 10, offFrame: 80 }]);
  for (const t of [14, 15, 16]) set(p.frame, t, 60, 0.2);
  return p;
}

describe('post-attack hold (min_hold_s)', () => {
  it('ignores a release that starts within the hold, offline and streaming alike', () => {
    const p = dippingNote();
    expect(decodeNotes(p, TEST_CONFIG)[0]?.offsetSec).toBeCloseTo(0.14, 9); // no hold: ended in the dip
    expect(decodeNotes(p, HOLD)[0]?.offsetSec).toBeCloseTo(0.8, 9);
    expect(streamed(p, TEST_CONFIG)[0]?.offsetSec).toBeCloseTo(0.14, 9);
    expect(streamed(p)[0]?.offsetSec).toBeCloseTo(0.8, 9);
  });

  it('still ends a note on a release that begins right after the hold', () => {
    // Hold 6 frames after the onset at 10: frames up to 16 are not counted, a release from 17 is.
    const p = paintNotes(200, [{ pitch: 60, onFrame: 10, offFrame: 17 }]);
    expect(decodeNotes(p, HOLD)[0]?.offsetSec).toBeCloseTo(0.17, 9);
    expect(streamed(p)[0]?.offsetSec).toBeCloseTo(0.17, 9);
    // A release that begins inside the hold and lasts past it ends at the first frame after the hold.
    const short = paintNotes(200, [{ pitch: 60, onFrame: 10, offFrame: 13 }]);
    expect(decodeNotes(short, HOLD)[0]?.offsetSec).toBeCloseTo(0.17, 9);
    expect(streamed(short)[0]?.offsetSec).toBeCloseTo(0.17, 9);
  });
});

describe('harmonic suppression (§3.1b)', () => {
  /** A strong note at 48 and a weaker simultaneous peak `interval` keys away. */
  function withGhost(interval: number, ghostPeak: number, ghostFrame = 20): Posteriors {
    return paintNotes(100, [
      { pitch: 48, onFrame: 20, offFrame: 60, bump: [0.3, 0.95, 0.4] },
      { pitch: 48 + interval, onFrame: ghostFrame, offFrame: 40, bump: [0.2, ghostPeak, 0.3] },
    ]);
  }
  const pitches = (p: Posteriors, config = HARMONICS) => decodeNotes(p, config).map((n) => n.pitch);

  it('drops a weaker octave, twelfth or double octave above a note, and a sub-octave ghost below it', () => {
    for (const interval of [12, 19, 24, -12]) expect(pitches(withGhost(interval, 0.7)), `interval ${interval}`).toEqual([48]);
  });

  it('keeps other intervals, confident peaks, distant peaks, and everything when turned off', () => {
    expect(pitches(withGhost(7, 0.7))).toEqual([48, 55]);
    expect(pitches(withGhost(12, 0.85))).toEqual([48, 60]); // at or above harmonic_max_onset
    expect(pitches(withGhost(12, 0.7, 23))).toEqual([48, 60]); // 3 frames apart, window 2
    expect(pitches(withGhost(12, 0.7), TEST_CONFIG)).toEqual([48, 60]);
  });

  it('compares with the unsuppressed peaks: of two equal weak octaves both go, a stronger one stays', () => {
    const equal = paintNotes(100, [
      { pitch: 48, onFrame: 20, offFrame: 60, bump: [0.2, 0.7, 0.3] },
      { pitch: 60, onFrame: 20, offFrame: 60, bump: [0.2, 0.7, 0.3] },
    ]);
    expect(pitches(equal)).toEqual([]);
    expect(pitches(withGhost(-12, 0.97))).toEqual([36, 48]); // the lower one is the stronger: 48 is the ghost
  });
});

describe('semitone leakage (§3.1b, semitone_max_onset)', () => {
  const SEMITONES = { ...TEST_CONFIG, semitoneMaxOnset: 0.9, harmonicWindowSec: 0.02 };
  function beside(side: number, peak: number, frame = 20, other = 0.97): Posteriors {
    return paintNotes(100, [
      { pitch: 60, onFrame: 20, offFrame: 60, bump: [0.3, other, 0.4] },
      { pitch: 60 + side, onFrame: frame, offFrame: 40, bump: [0.2, peak, 0.3] },
    ]);
  }
  const pitches = (p: Posteriors, config: typeof TEST_CONFIG = SEMITONES) => decodeNotes(p, config).map((n) => n.pitch).sort((a, b) => a - b);

  it('drops a weaker peak a semitone above or below a stronger one, as the Python decoder does', () => {
    for (const side of [-1, 1]) {
      const both = [60, 60 + side].sort((a, b) => a - b);
      expect(pitches(beside(side, 0.8)), `side ${side}`).toEqual([60]);
      expect(pitches(beside(side, 0.8), TEST_CONFIG)).toEqual(both); // off
      expect(pitches(beside(side, 0.92))).toEqual(both); // at or above semitone_max_onset
      expect(pitches(beside(side, 0.8, 23))).toEqual(both); // 3 frames apart, window 2
      expect(pitches(beside(side, 0.8), HARMONICS)).toEqual(both); // the harmonic rule leaves semitones alone
      expect(pitches(beside(side, 0.85, 20, 0.8))).toEqual([60 + side]); // the weaker of the two goes
    }
  });
});

describe('streaming: causal suppression (§4 effective onset)', () => {
  const ON = { ...TEST_CONFIG, harmonicMaxOnset: 0.8, semitoneMaxOnset: 0.9, harmonicWindowSec: 0.02, streamingSuppression: 1, minHoldSec: 0 };
  /** A strong note at 60 rising at frame 20 and a weaker one `interval` keys away rising at `frame`. */
  function pair(interval: number, frame: number, weak = 0.7): Posteriors {
    return paintNotes(100, [
      { pitch: 60, onFrame: 20, offFrame: 60, bump: [0.3, 0.95, 0.4] },
      { pitch: 60 + interval, onFrame: frame, offFrame: 45, bump: [0.2, weak, 0.3] },
    ]);
  }
  const heard = (p: Posteriors, config: typeof ON) => streamed(p, config).map((n) => n.pitch).sort((a, b) => a - b);

  it('drops a weaker semitone neighbour or harmonic firing with or just after a stronger key, only when on', () => {
    for (const interval of [1, -1, 12, 19]) {
      expect(heard(pair(interval, 20), ON), `interval ${interval}`).toEqual([60]);
      expect(heard(pair(interval, 21), ON), `interval ${interval}, a frame later`).toEqual([60]);
      expect(heard(pair(interval, 20), { ...ON, streamingSuppression: 0 })).toEqual([60, 60 + interval].sort((a, b) => a - b));
    }
    expect(heard(pair(7, 20), ON)).toEqual([60, 67]); // not a related key
    expect(heard(pair(1, 20, 0.93), ON)).toEqual([60, 61]); // at or above semitone_max_onset
  });

  it('is causal: a note that rose before the stronger key is kept', () => {
    expect(heard(pair(1, 17), ON)).toEqual([60, 61]);
  });
});

describe('pedal_time_offset_s (§1 pedal_time)', () => {
  it('moves pedal events only, on top of time_offset_s, clamped at 0, offline and streaming alike', () => {
    const p = paintNotes(300, [{ pitch: 60, onFrame: 50, offFrame: 80 }], [
      [2, 40],
      [100, 200],
    ]);
    const config = { ...TEST_CONFIG, timeOffsetSec: -0.01, pedalTimeOffsetSec: -0.04 };
    const performance = decodePerformance(p, config);
    expect(performance.pedal.map((e) => e.timeSec)).toEqual([0, expect.closeTo(0.35, 9), expect.closeTo(0.95, 9), expect.closeTo(1.95, 9)]);
    // Notes keep time_offset_s only: the same as without the pedal offset, 10 ms before no offset at all.
    expect(performance.notes).toEqual(decodeNotes(p, { ...config, pedalTimeOffsetSec: 0 }));
    expect(performance.notes[0]?.offsetSec).toBeCloseTo(0.79, 9);
    const decoder = new StreamingNoteDecoder(config);
    const live = [];
    for (let t = 0; t < p.frameCount; t++) live.push(...decoder.push(posteriorFrameAt(p, t)).pedal);
    live.push(...decoder.flush().pedal);
    expect(live).toEqual(decodePedal(p.pedal, config));
  });
});

describe('manifest keys added later', () => {
  const manifest = TEST_MANIFEST_DECODING;

  it('reads them when present and turns their rules off when absent (an older manifest decodes as before)', () => {
    const later = { min_hold_s: 0.03, harmonic_max_onset: 0.8, harmonic_window_s: 0.02, semitone_max_onset: 0.9, streaming_suppression: 1, pedal_time_offset_s: -0.04 };
    const read = decodingConfigFromManifest({ ...manifest, ...later }, 100);
    expect(read).toMatchObject({ minHoldSec: 0.03, harmonicMaxOnset: 0.8, harmonicWindowSec: 0.02, semitoneMaxOnset: 0.9, streamingSuppression: 1, pedalTimeOffsetSec: -0.04 });
    expect(decodingConfigFromManifest(manifest, 100)).toMatchObject({ minHoldSec: 0, harmonicMaxOnset: 0, harmonicWindowSec: 0, semitoneMaxOnset: 0, streamingSuppression: 0, pedalTimeOffsetSec: 0 });
    expect(() => decodingConfigFromManifest({ ...manifest, min_hold_s: 'x' }, 100)).toThrow(/min_hold_s/);
  });

  it('rejects out-of-range values', () => {
    expect(() => validateDecodingConfig({ ...TEST_CONFIG, harmonicMaxOnset: 1.5 })).toThrow(AppError);
    expect(() => validateDecodingConfig({ ...TEST_CONFIG, semitoneMaxOnset: -0.1 })).toThrow(/semitoneMaxOnset/);
    expect(() => validateDecodingConfig({ ...TEST_CONFIG, streamingSuppression: 0.5 })).toThrow(/streamingSuppression/);
    expect(() => validateDecodingConfig({ ...TEST_CONFIG, minHoldSec: -0.01 })).toThrow(/minHoldSec/);
  });
});

interface ReferenceNote {
  pitch: number;
  onset_s: number;
  offset_s: number;
  velocity: number;
}

/** The newest model's reference.json that carries sounding notes (written by export.py), if any. */
function newestReferenceWithSoundingNotes(): { notes: ReferenceNote[]; pedal: Array<{ time_s: number; value: number }>; sounding_notes: ReferenceNote[] } | null {
  const root = resolve(process.cwd(), 'models/transcription');
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'reference', 'reference.json')))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  for (const v of versions) {
    const ref = JSON.parse(readFileSync(join(root, v, 'reference', 'reference.json'), 'utf8'));
    if (Array.isArray(ref.sounding_notes)) return ref;
  }
  return null;
}

describe('sounding notes (§4): TS pedal extension reproduces the Python reference', () => {
  const ref = newestReferenceWithSoundingNotes();
  it.skipIf(!ref)('extends the reference notes by the reference pedal exactly as decode.sounding_notes does', () => {
    if (!ref) return;
    const toNote = (n: ReferenceNote): PerformedNote => ({ pitch: n.pitch, onsetSec: n.onset_s, offsetSec: n.offset_s, velocity: n.velocity });
    const extended = extendOffsetsByPedal(
      ref.notes.map(toNote),
      ref.pedal.map((e) => ({ timeSec: e.time_s, value: e.value })),
    );
    expect(extended).toHaveLength(ref.sounding_notes.length);
    extended.forEach((n, i) => {
      const expected = toNote(ref.sounding_notes[i] as ReferenceNote);
      expect(n.pitch).toBe(expected.pitch);
      expect(n.onsetSec).toBeCloseTo(expected.onsetSec, 9);
      expect(n.offsetSec).toBeCloseTo(expected.offsetSec, 9);
    });
    // The reference clip is only a useful check if the pedal lengthens some of its notes.
    expect(extended.some((n, i) => n.offsetSec > (ref.notes[i] as ReferenceNote).offset_s + 0.05)).toBe(true);
  });
});
