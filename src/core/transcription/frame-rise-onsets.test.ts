import { describe, expect, it } from 'vitest';
import { decodeNotes } from './offline-decoder';
import { decodingConfigFromManifest, validateDecodingConfig } from './decoding-config';
import { frameRiseOnsets } from './frame-rise-onsets';
import { paintNotes, set, TEST_CONFIG, TEST_MANIFEST_DECODING } from './test-posteriors';
import { emptyPosteriors, posteriorFrameAt } from './posteriors';
import { notesFromEvents, StreamingNoteDecoder } from './streaming-decoder';
import type { LiveNoteEvent } from '../../shared/performance';
import type { Posteriors } from './posteriors';

const ON = { ...TEST_CONFIG, frameOnsetMaxPitch: 40 };

/** A key whose frame posterior climbs from 0 to `level` over `rise` frames from `start`, held until `end`. */
function frameOnly(pitch: number, start: number, end: number, level = 0.9, rise = 2, frameCount = 120) {
  const p = emptyPosteriors(frameCount);
  for (let t = start; t < end; t++) set(p.frame, t, pitch, Math.min(level, (level * (t - start + 1)) / rise));
  set(p.velocity, start, pitch, 0.4);
  return p;
}

describe('frame-rise onsets (§3.1c)', () => {
  it('start a bass note the onset head missed, at the first frame halfway up the rise', () => {
    const p = frameOnly(33, 20, 70);
    expect(decodeNotes(p, TEST_CONFIG)).toEqual([]);
    const notes = decodeNotes(p, ON);
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note!.pitch).toBe(33);
    // frames 19 / 20 / 21 hold 0 / 0.45 / 0.9; halfway between low and high is 0.4: frame 20.
    expect(note!.onsetSec).toBeCloseTo(0.2, 9);
    expect(note!.offsetSec).toBeCloseTo(0.7, 9);
  });

  it('add nothing where the onset head has a peak on that key', () => {
    const p = paintNotes(120, [{ pitch: 33, onFrame: 20, offFrame: 70 }]);
    expect(decodeNotes(p, ON)).toEqual(decodeNotes(p, TEST_CONFIG));
    expect(decodeNotes(p, ON)).toHaveLength(1);
  });

  it('leave keys above frameOnsetMaxPitch, short blips and slow swells alone', () => {
    expect(decodeNotes(frameOnly(41, 20, 70), ON)).toEqual([]);
    expect(decodeNotes(frameOnly(33, 20, 26), ON)).toEqual([]); // held 6 frames < 10 to confirm
    expect(decodeNotes(frameOnly(33, 20, 70, 0.9, 9), ON)).toEqual([]); // 9 frames to rise > 4
    expect(decodeNotes(frameOnly(33, 20, 70, 0.5), ON)).toEqual([]); // never reaches 0.6
  });

  it('read a re-strike after the posterior fell back, and end the first note there', () => {
    const p = frameOnly(30, 10, 40, 0.9, 4);
    for (let t = 50; t < 90; t++) set(p.frame, t, 30, 0.9);
    const notes = decodeNotes(p, ON);
    // 0.225 / 0.45 / 0.675 / 0.9 from frame 10: halfway (0.4) is first reached at frame 11.
    expect(notes.map((n) => n.onsetSec.toFixed(2))).toEqual(['0.11', '0.50']);
    expect(notes[0]!.offsetSec).toBeLessThanOrEqual(0.5);
  });

  it('skip a rise within frameOnsetWindowSec of an onset peak of the key', () => {
    const frame = new Float32Array(80);
    for (let t = 20; t < 60; t++) frame[t] = 0.9;
    expect(frameRiseOnsets(frame, [], ON)).toEqual([20]);
    expect(frameRiseOnsets(frame, [24], ON)).toEqual([]);
    expect(frameRiseOnsets(frame, [26], ON)).toEqual([20]);
  });

  it('is off for manifests without the keys and refuses inconsistent constants', () => {
    expect(decodingConfigFromManifest(TEST_MANIFEST_DECODING, 100).frameOnsetMaxPitch).toBe(0);
    const read = decodingConfigFromManifest({ ...TEST_MANIFEST_DECODING, frame_onset_max_pitch: 40, frame_onset_low: 0.2, frame_onset_high: 0.6, frame_onset_rise_frames: 4, frame_onset_confirm_frames: 10, frame_onset_window_s: 0.05 }, 100);
    expect(read).toMatchObject({ frameOnsetMaxPitch: 40, frameOnsetLow: 0.2, frameOnsetHigh: 0.6, frameOnsetRiseFrames: 4, frameOnsetConfirmFrames: 10, frameOnsetWindowSec: 0.05 });
    expect(() => validateDecodingConfig({ ...ON, frameOnsetLow: 0.7 })).toThrow(/frameOnsetLow < frameOnsetHigh/);
    expect(() => validateDecodingConfig({ ...ON, frameOnsetMaxPitch: 12 })).toThrow(/piano key/);
    expect(() => validateDecodingConfig({ ...ON, frameOnsetConfirmFrames: 0 })).toThrow(/integer >= 1/);
  });
});

/** Every event of a whole clip streamed frame by frame, with the frame index each came out at. */
function streamed(p: Posteriors) {
  const decoder = new StreamingNoteDecoder(ON);
  const events: (LiveNoteEvent & { at: number })[] = [];
  for (let t = 0; t < p.frameCount; t++) for (const e of decoder.push(posteriorFrameAt(p, t)).notes) events.push({ ...e, at: t });
  for (const e of decoder.flush().notes) events.push({ ...e, at: p.frameCount });
  return events;
}

describe('frame-rise onsets, streaming (§4)', () => {
  it('send the note-on once the rise is confirmed, stamped with the rise itself, as offline', () => {
    const p = frameOnly(33, 20, 70);
    const events = streamed(p);
    const on = events.find((e) => e.kind === 'on')!;
    expect(on.timeSec).toBeCloseTo(0.2, 9);
    expect(on.at).toBe(21 + ON.frameOnsetConfirmFrames - 1); // detected at 21 (0.9 >= 0.6), confirmed 9 frames on
    expect(notesFromEvents(events)).toEqual(decodeNotes(p, ON));
  });

  it('agree with the offline decoder on blips, swells, other keys and re-strikes', () => {
    const restrike = frameOnly(30, 10, 40, 0.9, 4);
    for (let t = 50; t < 90; t++) set(restrike.frame, t, 30, 0.9);
    for (const p of [frameOnly(33, 20, 26), frameOnly(33, 20, 70, 0.9, 9), frameOnly(41, 20, 70), restrike]) {
      expect(notesFromEvents(streamed(p))).toEqual(decodeNotes(p, ON));
    }
    expect(notesFromEvents(streamed(restrike))).toHaveLength(2);
  });

  it('never stamp a late rise before a note-on already sent (the follower reads stamps as press order)', () => {
    const p = frameOnly(33, 20, 70);
    const other = paintNotes(120, [{ pitch: 60, onFrame: 25, offFrame: 60 }]);
    for (const head of ['onset', 'frame', 'velocity'] as const) other[head].forEach((v, i) => { if (v) p[head][i] = v; });
    const ons = streamed(p).filter((e) => e.kind === 'on');
    expect(ons.map((e) => [e.pitch, Number(e.timeSec.toFixed(9))])).toEqual([[60, 0.25], [33, 0.25]]);
    expect(decodeNotes(p, ON).map((n) => [n.pitch, Number(n.onsetSec.toFixed(2))])).toEqual([[33, 0.2], [60, 0.25]]); // offline keeps the rise's own time
  });

  it('drop a rise the onset head has already announced', () => {
    const p = paintNotes(120, [{ pitch: 33, onFrame: 20, offFrame: 70 }]);
    expect(notesFromEvents(streamed(p))).toHaveLength(1);
  });
});
