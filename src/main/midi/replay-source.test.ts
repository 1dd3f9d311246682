import { describe, expect, it } from 'vitest';
import type { Performance } from '../../shared/performance';
import { MidiByteParser } from './parser';
import type { MidiMessage } from './parser';
import { ReplayMidiSource, performanceToMessages } from './replay-source';

const perf: Performance = {
  notes: [
    { pitch: 60, onsetSec: 0, offsetSec: 0.5, velocity: 80 },
    { pitch: 60, onsetSec: 0.5, offsetSec: 1.0, velocity: 70 },
    { pitch: 64, onsetSec: 0.25, offsetSec: 1.0, velocity: 0 },
  ],
  pedal: [{ timeSec: 0.1, value: 127 }],
  durationSec: 1,
};

describe('replay source', () => {
  it('orders note-off before note-on at the same instant, so repeated notes re-strike', () => {
    const parser = new MidiByteParser();
    const messages = performanceToMessages(perf).flatMap((m) => parser.feed(m.bytes).map((x) => [m.timeSec, x] as const));
    const at05 = messages.filter(([t]) => t === 0.5).map(([, m]) => m.type);
    expect(at05).toEqual(['noteOff', 'noteOn']);
    // Velocity 0 would read as a note-off: it is sent as 1.
    expect(messages.find(([, m]) => m.type === 'noteOn' && m.pitch === 64)?.[1]).toMatchObject({ velocity: 1 });
    expect(messages.some(([, m]) => m.type === 'controlChange' && m.controller === 64)).toBe(true);
  });

  it('plays at speed x with performance-clock times and ends by itself', async () => {
    const source = new ReplayMidiSource(perf, 10);
    const parser = new MidiByteParser();
    const got: { timeSec: number; message: MidiMessage; wallMs: number }[] = [];
    const t0 = performance.now();
    await new Promise<void>((resolve) =>
      source.start({
        bytes: (data, timeSec) => parser.feed(data).forEach((message) => got.push({ timeSec, message, wallMs: performance.now() - t0 })),
        end: (end) => {
          expect(end).toEqual({ reason: 'finished' });
          resolve();
        },
      }),
    );
    expect(got).toHaveLength(7);
    const last = got.at(-1)!;
    expect(last.timeSec).toBe(1);
    // 1 s of music at 10x takes ~100 ms of wall time, never less.
    expect(last.wallMs).toBeGreaterThanOrEqual(95);
    for (const g of got) expect(g.wallMs).toBeGreaterThanOrEqual(g.timeSec * 100 - 5);
  });

  it('stop() silences it without an end callback', async () => {
    const source = new ReplayMidiSource(perf, 1);
    let count = 0;
    let ended = false;
    source.start({ bytes: () => count++, end: () => (ended = true) });
    await new Promise((r) => setTimeout(r, 150));
    source.stop();
    const atStop = count;
    await new Promise((r) => setTimeout(r, 400));
    expect(count).toBe(atStop);
    expect(ended).toBe(false);
  });
});

describe('replay clock', () => {
  it('never runs ahead of the next undelivered message, even when the timer is late', () => {
    const source = new ReplayMidiSource(perf, 100);
    source.start({ bytes: () => undefined, end: () => undefined });
    // Block the loop for 50 ms: at 100x the wall clock is 5 s ahead, but nothing was delivered yet.
    const until = performance.now() + 50;
    while (performance.now() < until);
    expect(source.nowSec()).toBe(0);
    source.stop();
  });
});
