import { describe, expect, it } from 'vitest';
import { MidiByteParser, encodeNote } from './parser';

describe('MidiByteParser', () => {
  it('decodes note-on, note-off and treats note-on velocity 0 as note-off', () => {
    const p = new MidiByteParser();
    expect(p.feed([0x90, 60, 100, 0x80, 60, 64, 0x91, 62, 0])).toEqual([
      { type: 'noteOn', channel: 0, pitch: 60, velocity: 100 },
      { type: 'noteOff', channel: 0, pitch: 60, velocity: 64 },
      { type: 'noteOff', channel: 1, pitch: 62, velocity: 0 },
    ]);
  });

  it('applies running status across messages and across feed() calls', () => {
    const p = new MidiByteParser();
    const first = p.feed([0x90, 60, 90, 64, 80, 67]);
    const second = p.feed([70, 60, 0]);
    expect(first.map((m) => m.type === 'noteOn' && m.pitch)).toEqual([60, 64]);
    expect(second).toEqual([
      { type: 'noteOn', channel: 0, pitch: 67, velocity: 70 },
      { type: 'noteOff', channel: 0, pitch: 60, velocity: 0 },
    ]);
  });

  it('ignores real-time bytes even in the middle of a message', () => {
    const p = new MidiByteParser();
    expect(p.feed([0xf8, 0x90, 0xfe, 60, 0xf8, 100, 0xfa])).toEqual([
      { type: 'noteOn', channel: 0, pitch: 60, velocity: 100 },
    ]);
  });

  it('skips sysex and system-common messages, which cancel running status', () => {
    const p = new MidiByteParser();
    const bytes = [0x90, 60, 100, 0xf0, 0x7e, 0x7f, 0x09, 0x01, 0xf7, 61, 100, 0xf2, 0x10, 0x20, 0x90, 62, 50];
    expect(p.feed(bytes)).toEqual([
      { type: 'noteOn', channel: 0, pitch: 60, velocity: 100 },
      { type: 'noteOn', channel: 0, pitch: 62, velocity: 50 },
    ]);
  });

  it('decodes sustain pedal (CC64) and skips program change and pitch bend with their data', () => {
    const p = new MidiByteParser();
    const bytes = [0xc0, 5, 0xb0, 64, 127, 64, 0, 0xe0, 0x00, 0x40, 0x90, 48, 30];
    expect(p.feed(bytes)).toEqual([
      { type: 'controlChange', channel: 0, controller: 64, value: 127 },
      { type: 'controlChange', channel: 0, controller: 64, value: 0 },
      { type: 'noteOn', channel: 0, pitch: 48, velocity: 30 },
    ]);
  });

  it('drops stray data bytes and a message cut off by a new status', () => {
    const p = new MidiByteParser();
    expect(p.feed([60, 70, 0x90, 60, 0x80, 61, 0])).toEqual([{ type: 'noteOff', channel: 0, pitch: 61, velocity: 0 }]);
  });

  it('round-trips a long random stream of encoded notes', () => {
    const p = new MidiByteParser();
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const sent: { kind: 'on' | 'off'; pitch: number }[] = [];
    const chunks: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const kind = rand() < 0.5 ? 'on' : 'off';
      const pitch = 21 + Math.floor(rand() * 88);
      sent.push({ kind, pitch });
      chunks.push(...encodeNote(kind, pitch, 1 + Math.floor(rand() * 126)));
      if (rand() < 0.1) chunks.push(0xf8);
    }
    const got: { kind: 'on' | 'off'; pitch: number }[] = [];
    for (let i = 0; i < chunks.length; i += 5) {
      for (const m of p.feed(chunks.slice(i, i + 5))) {
        if (m.type !== 'controlChange') got.push({ kind: m.type === 'noteOn' ? 'on' : 'off', pitch: m.pitch });
      }
    }
    expect(got).toEqual(sent);
  });
});
