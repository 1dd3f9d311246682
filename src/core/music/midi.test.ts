import { Midi } from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { parseMidiScore, performanceFromMidi } from './midi';

/** A two-track piece: 3/4 at 100 qpm, tempo 50 from beat 6; right hand high, left hand low. */
function twoTrackMidi(): Uint8Array {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  midi.header.tempos.push({ ticks: 0, bpm: 100 }, { ticks: 6 * ppq, bpm: 50 });
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [3, 4] });
  midi.header.update();
  const low = midi.addTrack();
  low.addNote({ midi: 43, ticks: 0, durationTicks: 3 * ppq, velocity: 0.5 });
  low.addNote({ midi: 50, ticks: 3 * ppq, durationTicks: 3 * ppq, velocity: 0.5 });
  const high = midi.addTrack();
  [67, 69, 71, 72, 74, 76, 78].forEach((pitch, i) => high.addNote({ midi: pitch, ticks: i * ppq, durationTicks: ppq, velocity: 0.8 }));
  return withKeySignature(midi.toArray(), 1);
}

/**
 * @tonejs/midi mis-encodes key signatures on write, so the test inserts the meta event itself:
 * FF 59 02 <sharps> <minor> at delta 0 at the start of the first track.
 */
function withKeySignature(bytes: Uint8Array, sharps: number): Uint8Array {
  const trackStart = bytes.findIndex((_, i) => String.fromCharCode(...bytes.subarray(i, i + 4)) === 'MTrk');
  const event = [0x00, 0xff, 0x59, 0x02, sharps & 0xff, 0x00];
  const out = new Uint8Array(bytes.length + event.length);
  out.set(bytes.subarray(0, trackStart + 8));
  out.set(event, trackStart + 8);
  out.set(bytes.subarray(trackStart + 8), trackStart + 8 + event.length);
  const view = new DataView(out.buffer);
  view.setUint32(trackStart + 4, view.getUint32(trackStart + 4) + event.length);
  return out;
}

describe('parseMidiScore', () => {
  const score = parseMidiScore(twoTrackMidi(), 'Scale');

  it('converts ticks to beats and applies the tempo map', () => {
    expect(score.source).toBe('midi');
    expect(score.title).toBe('Scale');
    expect(score.tempos).toEqual([
      { beats: 0, qpm: 100 },
      { beats: 6, qpm: 50 },
    ]);
    const last = score.notes[score.notes.length - 1]!;
    expect(last).toMatchObject({ pitch: 78, onsetBeats: 6, durationBeats: 1 });
    expect(last.onsetSec).toBeCloseTo(6 * 0.6, 6);
    expect(last.durationSec).toBeCloseTo(1.2, 6);
  });

  it('builds measures from the time signature and key', () => {
    expect(score.measures.map((m) => [m.startBeats, m.durationBeats])).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
    ]);
    expect(score.measures[0]?.timeSignature).toEqual({ numerator: 3, denominator: 4 });
    expect(score.measures[0]?.keyFifths).toBe(1);
    expect(score.notes.find((n) => n.pitch === 72)?.measureIndex).toBe(1);
  });

  it('gives the higher of two tracks to the right hand', () => {
    expect(score.notes.filter((n) => n.hand === 'left').map((n) => n.pitch)).toEqual([43, 50]);
    expect(score.notes.filter((n) => n.hand === 'right')).toHaveLength(7);
    for (let i = 1; i < score.notes.length; i++) {
      expect(score.notes[i]!.onsetBeats).toBeGreaterThanOrEqual(score.notes[i - 1]!.onsetBeats);
    }
  });

  it('splits a single track at middle C', () => {
    const midi = new Midi();
    const track = midi.addTrack();
    track.addNote({ midi: 59, ticks: 0, durationTicks: 480 });
    track.addNote({ midi: 60, ticks: 0, durationTicks: 480 });
    const single = parseMidiScore(midi.toArray());
    expect(single.notes.map((n) => [n.pitch, n.hand])).toEqual([
      [59, 'left'],
      [60, 'right'],
    ]);
    expect(single.tempos).toEqual([{ beats: 0, qpm: 120 }]);
  });

  it('rejects files that are not MIDI or are cut short', () => {
    expect(() => parseMidiScore(new TextEncoder().encode('hello world, not midi'))).toThrow(/header MThd missing/);
    const bytes = twoTrackMidi();
    const cut = bytes.subarray(0, 40);
    let caught: unknown;
    try {
      parseMidiScore(cut);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('PARSE_ERROR');
  });

  it('rejects a MIDI file without notes', () => {
    expect(() => parseMidiScore(new Midi().toArray())).toThrow(/no notes/);
  });
});

describe('performanceFromMidi', () => {
  it('returns performed notes in seconds with sustain pedal events', () => {
    const midi = new Midi();
    midi.header.tempos.push({ ticks: 0, bpm: 60 });
    midi.header.update();
    const track = midi.addTrack();
    track.addNote({ midi: 64, time: 0.5, duration: 0.25, velocity: 100 / 127 });
    track.addNote({ midi: 60, time: 0, duration: 1, velocity: 64 / 127 });
    track.addCC({ number: 64, time: 0.1, value: 1 });
    track.addCC({ number: 64, time: 1.5, value: 0 });
    const performance = performanceFromMidi(midi.toArray());
    expect(performance.notes.map((n) => [n.pitch, n.velocity])).toEqual([
      [60, 64],
      [64, 100],
    ]);
    expect(performance.notes[1]?.onsetSec).toBeCloseTo(0.5, 2);
    expect(performance.notes[1]?.offsetSec).toBeCloseTo(0.75, 2);
    expect(performance.pedal.map((p) => p.value)).toEqual([127, 0]);
    expect(performance.pedal[1]?.timeSec).toBeCloseTo(1.5, 2);
    expect(performance.durationSec).toBeCloseTo(1.5, 2);
  });
});
