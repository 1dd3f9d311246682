import { describe, expect, it } from 'vitest';
import { noteEventBytes } from './audioNoteSource';

describe('noteEventBytes', () => {
  it('turns decoded events into note-on / note-off MIDI messages', () => {
    expect(noteEventBytes({ kind: 'on', pitch: 60, velocity: 87.6, timeSec: 1 })).toEqual([0x90, 60, 88]);
    expect(noteEventBytes({ kind: 'off', pitch: 60, velocity: 87, timeSec: 1.5 })).toEqual([0x80, 60, 0]);
  });

  it('keeps a note-on audible: velocity 0 would mean note-off, above 127 is not MIDI', () => {
    expect(noteEventBytes({ kind: 'on', pitch: 21, velocity: 0, timeSec: 0 })).toEqual([0x90, 21, 1]);
    expect(noteEventBytes({ kind: 'on', pitch: 108, velocity: 140, timeSec: 0 })).toEqual([0x90, 108, 127]);
  });
});
