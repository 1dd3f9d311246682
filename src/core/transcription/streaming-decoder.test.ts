import { describe, expect, it } from 'vitest';
import type { LiveNoteEvent, PedalEvent, PerformedNote } from '../../shared/performance';
import { decodeNotes } from './offline-decoder';
import { decodePedal } from './pedal';
import type { Posteriors } from './posteriors';
import { posteriorFrameAt } from './posteriors';
import { notesFromEvents, StreamingNoteDecoder } from './streaming-decoder';
import type { PaintedNote } from './test-posteriors';
import { paintNotes, set, TEST_CONFIG } from './test-posteriors';

function runStreaming(p: Posteriors, decoder = new StreamingNoteDecoder(TEST_CONFIG)) {
  const notes: LiveNoteEvent[] = [];
  const pedal: PedalEvent[] = [];
  const emittedAtFrame: number[] = [];
  for (let t = 0; t < p.frameCount; t++) {
    const out = decoder.push(posteriorFrameAt(p, t));
    notes.push(...out.notes);
    pedal.push(...out.pedal);
    out.notes.forEach(() => emittedAtFrame.push(t));
  }
  const end = decoder.flush();
  return { notes: [...notes, ...end.notes], pedal: [...pedal, ...end.pedal], emittedAtFrame };
}

/** A deterministic pseudo-random clip: many notes over the keyboard, chords, repeats, pedal. */
function busyClip(): { posteriors: Posteriors; painted: PaintedNote[] } {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const painted: PaintedNote[] = [];
  const nextFree = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const pitch = 21 + Math.floor(random() * 88);
    const onFrame = Math.max(nextFree.get(pitch) ?? 1, 1 + Math.floor(random() * 1900));
    const offFrame = onFrame + 4 + Math.floor(random() * 60);
    if (offFrame >= 2000) continue;
    nextFree.set(pitch, offFrame + 5);
    const peak = 0.55 + random() * 0.44;
    painted.push({ pitch, onFrame, offFrame, velocity: random(), bump: [random() * 0.45, peak, random() * peak] });
  }
  const posteriors = paintNotes(2000, painted, [
    [100, 400],
    [410, 412],
    [900, 1500],
  ]);
  return { posteriors, painted };
}

describe('StreamingNoteDecoder (docs/transcription-decoding.md §4)', () => {
  it('emits note-on on the rising-edge frame and note-off K frames after release, back-dated', () => {
    const p = paintNotes(100, [{ pitch: 60, onFrame: 10, offFrame: 30, velocity: 0.25, bump: [0.6, 0.9, 0.4] }]);
    const { notes, emittedAtFrame } = runStreaming(p);
    // Velocity is read on the rising-edge frame 9, where this painted head is still 0 (-> floor 1).
    expect(notes).toEqual([
      { kind: 'on', pitch: 60, velocity: 1, timeSec: 0.09 },
      { kind: 'off', pitch: 60, velocity: 0, timeSec: 0.3 },
    ]);
    // The rising edge is frame 9 (0.6 >= 0.5): emitted on that very frame.
    expect(emittedAtFrame[0]).toBe(9);
    // Released from frame 30; K = 2, so known on frame 31.
    expect(emittedAtFrame[1]).toBe(31);
  });

  it('reads velocity at the rising edge and re-strikes a held key', () => {
    const p = paintNotes(200, [
      { pitch: 48, onFrame: 20, offFrame: 150, velocity: 0.8 },
      { pitch: 48, onFrame: 80, offFrame: 150, velocity: 0.4 },
    ]);
    const events = runStreaming(p).notes;
    expect(events.map((e) => `${e.kind}@${e.timeSec.toFixed(2)}`)).toEqual(['on@0.20', 'off@0.80', 'on@0.80', 'off@1.50']);
    expect(events[0]?.velocity).toBe(Math.round(0.8 * 127));
    expect(events[2]?.velocity).toBe(Math.round(0.4 * 127));
  });

  it('ends a note on the offset head rising edge', () => {
    const p = paintNotes(200, [{ pitch: 50, onFrame: 10, offFrame: 90 }]);
    set(p.offset, 41, 50, 0.7);
    const notes = notesFromEvents(runStreaming(p).notes);
    expect(notes[0]?.offsetSec).toBeCloseTo(0.41, 9);
  });

  it('agrees with the offline decoder on a busy clip: pitches, onsets within a frame, offsets, pedal', () => {
    const { posteriors } = busyClip();
    const byPitch = (a: PerformedNote, b: PerformedNote) => a.pitch - b.pitch || a.onsetSec - b.onsetSec;
    const offline = decodeNotes(posteriors, TEST_CONFIG).sort(byPitch);
    const streamed = runStreaming(posteriors);
    const online = notesFromEvents(streamed.notes).sort(byPitch);
    expect(offline.length).toBeGreaterThan(200);
    expect(online).toHaveLength(offline.length);
    online.forEach((note, i) => {
      const ref = offline[i];
      expect(note.pitch).toBe(ref?.pitch);
      expect(Math.abs(note.onsetSec - (ref?.onsetSec ?? 0))).toBeLessThanOrEqual(0.01 + 1e-9);
      expect(Math.abs(note.offsetSec - (ref?.offsetSec ?? 0))).toBeLessThanOrEqual(0.01 + 1e-9);
    });
    expect(streamed.pedal).toEqual(decodePedal(posteriors.pedal, TEST_CONFIG));
  });

  it('closes sounding notes and the pedal on flush, and starts over after reset', () => {
    const p = paintNotes(50, [{ pitch: 70, onFrame: 5, offFrame: 50 }], [[0, 50]]);
    const decoder = new StreamingNoteDecoder(TEST_CONFIG);
    for (let t = 0; t < 40; t++) decoder.push(posteriorFrameAt(p, t));
    const end = decoder.flush();
    expect(end.notes).toEqual([{ kind: 'off', pitch: 70, velocity: 0, timeSec: 0.4 }]);
    expect(end.pedal).toEqual([{ timeSec: 0.4, value: 0 }]);
    decoder.reset();
    expect(decoder.framesSeen).toBe(0);
    expect(decoder.push(posteriorFrameAt(p, 5)).notes[0]?.timeSec).toBe(0);
  });
});

describe('StreamingNoteDecoder with a negative time_offset_s', () => {
  it('agrees with the offline decoder and never reports a negative time', () => {
    const late = { ...TEST_CONFIG, timeOffsetSec: -0.03 };
    const p = paintNotes(
      200,
      [
        { pitch: 50, onFrame: 1, offFrame: 30 },
        { pitch: 55, onFrame: 2, offFrame: 60 },
        { pitch: 50, onFrame: 80, offFrame: 120 },
      ],
      [[0, 50]],
    );
    const streamed = runStreaming(p, new StreamingNoteDecoder(late));
    const times = [...streamed.notes.map((e) => e.timeSec), ...streamed.pedal.map((e) => e.timeSec)];
    expect(Math.min(...times)).toBe(0);
    expect(streamed.pedal[0]).toEqual({ timeSec: 0, value: 127 });
    const offline = decodeNotes(p, late);
    const fromEvents = notesFromEvents(streamed.notes);
    expect(fromEvents.map((n) => n.pitch)).toEqual(offline.map((n) => n.pitch));
    fromEvents.forEach((n, i) => expect(n.onsetSec).toBeCloseTo(offline[i]?.onsetSec ?? NaN, 1));
    expect(fromEvents[2]?.onsetSec).toBeCloseTo(0.77, 9);
  });
});
