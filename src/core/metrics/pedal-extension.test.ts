import { describe, expect, it } from 'vitest';
import { extendOffsetsByPedal, pedalIntervals } from './pedal-extension';

const note = (pitch: number, onsetSec: number, offsetSec: number) => ({ pitch, onsetSec, offsetSec, velocity: 64 });

describe('pedalIntervals', () => {
  it('pairs CC64 down/up (>= 64 is down), ignoring repeats, closing at the end', () => {
    expect(
      pedalIntervals(
        [
          { timeSec: 1, value: 127 },
          { timeSec: 1.5, value: 100 },
          { timeSec: 2, value: 0 },
          { timeSec: 3, value: 64 },
        ],
        5,
      ),
    ).toEqual([
      [1, 2],
      [3, 5],
    ]);
  });
});

describe('extendOffsetsByPedal', () => {
  it('extends a note released under the pedal to the pedal release, not one released before it', () => {
    const pedal = [
      { timeSec: 1, value: 127 },
      { timeSec: 3, value: 0 },
    ];
    const out = extendOffsetsByPedal([note(60, 0, 0.5), note(64, 0.5, 1.5), note(67, 2, 2.5)], pedal);
    expect(out.map((n) => n.offsetSec)).toEqual([0.5, 3, 3]);
  });
  it('never extends past the next onset of the same key', () => {
    const pedal = [
      { timeSec: 0, value: 127 },
      { timeSec: 4, value: 0 },
    ];
    const out = extendOffsetsByPedal([note(60, 0, 0.5), note(60, 1, 1.2), note(62, 0, 0.3)], pedal);
    expect(out.map((n) => n.offsetSec)).toEqual([1, 4, 4]);
  });
});
