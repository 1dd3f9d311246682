import { Midi } from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { performanceToMidi } from './midi-export';

describe('performanceToMidi', () => {
  it('round-trips notes (pitch, times to the tick, velocity) and pedal CC64', () => {
    const bytes = performanceToMidi({
      notes: [
        { pitch: 60, onsetSec: 0.5, offsetSec: 1.25, velocity: 80 },
        { pitch: 64, onsetSec: 0.51, offsetSec: 0.9, velocity: 127 },
      ],
      pedal: [
        { timeSec: 0.4, value: 127 },
        { timeSec: 2, value: 0 },
      ],
      durationSec: 2,
    });
    const midi = new Midi(bytes);
    const track = midi.tracks[0];
    const notes = track?.notes ?? [];
    expect(notes.map((n) => n.midi)).toEqual([60, 64]);
    // 120 bpm, 480 ppq: one tick is ~1 ms.
    expect(notes[0]?.time).toBeCloseTo(0.5, 2);
    expect(notes[0]?.duration).toBeCloseTo(0.75, 2);
    expect(Math.round((notes[0]?.velocity ?? 0) * 127)).toBe(80);
    const pedal = track?.controlChanges[64] ?? [];
    expect(pedal.map((c) => [Number(c.time.toFixed(2)), Math.round(c.value * 127)])).toEqual([
      [0.4, 127],
      [2, 0],
    ]);
  });
});
