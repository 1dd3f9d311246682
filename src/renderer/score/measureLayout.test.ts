import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMidiScore, parseMusicXml } from '../../core/music';
import type { Measure, Score, ScoreNote } from '../../shared/score';
import type { DisplayMeasure } from './measureLayout';
import { layoutMeasures, measureIndexAt } from './measureLayout';

const repoRoot = resolve(import.meta.dirname, '../../..');

function measure(index: number, numerator = 4, keyFifths = 0): Measure {
  const durationBeats = numerator;
  return {
    index,
    number: String(index + 1),
    startBeats: index * durationBeats,
    durationBeats,
    startSec: index * durationBeats * 0.5,
    timeSignature: { numerator, denominator: 4 },
    keyFifths,
  };
}

let nextId = 0;
function note(pitch: number, onsetBeats: number, durationBeats: number, extra: Partial<ScoreNote> = {}): ScoreNote {
  const id = `n${nextId++}`;
  return {
    id,
    sourceId: id,
    pitch,
    onsetBeats,
    durationBeats,
    onsetSec: onsetBeats * 0.5,
    durationSec: durationBeats * 0.5,
    measureIndex: Math.floor(onsetBeats / 4),
    staff: 1,
    voice: 1,
    hand: 'right',
    partId: 'P1',
    grace: false,
    articulations: [],
    ...extra,
  };
}

function score(notes: ScoreNote[], measures: Measure[]): Score {
  return { title: 't', composer: '', source: 'generated', parts: [{ id: 'P1', name: 'Piano', staves: 2 }], measures, notes, tempos: [{ beats: 0, qpm: 120 }] };
}

function describeEvents(m: DisplayMeasure, staff: 1 | 2): string[] {
  return m.voices
    .filter((v) => v.staff === staff)
    .flatMap((v) => v.events.map((e) => `${e.kind === 'rest' ? 'r' : e.keys.length}:${e.value.code}${'.'.repeat(e.value.dots)}${e.tuplet ? `/${e.tuplet.actual}` : ''}`));
}

/** Checks what must hold for any score: each drawn note struck once, voices fill their bars exactly. */
function checkInvariants(s: Score, layout: DisplayMeasure[], exactFill = true): void {
  const struck = new Map<string, number>();
  for (const m of layout) {
    for (const v of m.voices) {
      let at = 0;
      for (const e of v.events) {
        if (exactFill) expect(e.onset).toBeCloseTo(at, 6);
        at += e.value.beats;
        for (const k of e.keys) if (k.struck) struck.set(k.noteId, (struck.get(k.noteId) ?? 0) + 1);
      }
      if (exactFill && !v.events.some((e) => e.fullBar)) expect(at).toBeCloseTo(Math.round(m.durationBeats * 120) / 120, 6);
    }
    expect(m.voices.some((v) => v.staff === 1)).toBe(true);
    expect(m.voices.some((v) => v.staff === 2)).toBe(true);
  }
  const drawable = s.notes.filter((n) => !n.grace);
  for (const n of drawable) expect(struck.get(n.id), `note ${n.id}`).toBe(1);
  expect(struck.size).toBe(drawable.length);
}

describe('layoutMeasures on synthetic scores', () => {
  it('fills gaps with rests that respect the beat', () => {
    const s = score([note(60, 1, 1)], [measure(0)]);
    const [m] = layoutMeasures(s);
    expect(describeEvents(m!, 1)).toEqual(['r:q', '1:q', 'r:h']);
    // The empty bass staff gets one full-bar rest.
    expect(describeEvents(m!, 2)).toEqual(['r:w']);
  });

  it('ties a note across the barline and strikes it only once', () => {
    const s = score([note(60, 0, 3), note(64, 3, 2.5)], [measure(0), measure(1)]);
    const [m0, m1] = layoutMeasures(s);
    expect(describeEvents(m0!, 1)).toEqual(['1:h.', '1:q']);
    expect(describeEvents(m1!, 1)).toEqual(['1:q.', 'r:8', 'r:h']);
    const tiedStart = m0!.voices[0]!.events[1]!.keys[0]!;
    const tiedEnd = m1!.voices[0]!.events[0]!.keys[0]!;
    expect(tiedStart).toMatchObject({ struck: true, tiesToNext: true });
    expect(tiedEnd).toMatchObject({ struck: false, tiesToNext: false, noteId: tiedStart.noteId });
  });

  it('writes triplets as eighths under a 3:2 bracket', () => {
    const third = 1 / 3;
    const s = score([note(60, 0, third), note(62, third, third), note(64, 2 * third, third), note(65, 1, 3)], [measure(0)]);
    const [m] = layoutMeasures(s);
    expect(describeEvents(m!, 1)).toEqual(['1:8/3', '1:8/3', '1:8/3', '1:h.']);
  });

  it('writes quintuplets from the score\'s tuplet ratio as sixteenths under a 5', () => {
    const fifth = 1 / 5;
    const five = [0, 1, 2, 3, 4].map((k) => note(60 + k, k * fifth, fifth, { tuplet: { actual: 5, normal: 4 } }));
    const s = score([...five, note(65, 1, 3)], [measure(0)]);
    const [m] = layoutMeasures(s);
    expect(describeEvents(m!, 1)).toEqual(['1:16/5', '1:16/5', '1:16/5', '1:16/5', '1:16/5', '1:h.']);
  });

  it('groups simultaneous notes into chords and puts left-hand notes on the bass staff', () => {
    const s = score([note(60, 0, 4), note(64, 0, 4), note(48, 0, 4, { hand: 'left', staff: 2 })], [measure(0)]);
    const [m] = layoutMeasures(s);
    expect(describeEvents(m!, 1)).toEqual(['2:w']);
    expect(describeEvents(m!, 2)).toEqual(['1:w']);
  });

  it('prints accidentals against the key signature', () => {
    // F major (one flat): Bb needs nothing, B natural a natural sign; MIDI 66 is spelled Gb in a flat key.
    const s = score([note(70, 0, 1), note(71, 1, 1), note(66, 2, 1), note(71, 3, 1)], [measure(0, 4, -1)]);
    const [m] = layoutMeasures(s);
    const accidentals = m!.voices[0]!.events.map((e) => e.keys[0]?.accidental ?? null);
    expect(accidentals).toEqual([null, 'n', 'b', null]);
  });

  it('finds the measure for a beat', () => {
    const ms = [measure(0), measure(1), measure(2)];
    expect(measureIndexAt(ms, 0)).toBe(0);
    expect(measureIndexAt(ms, 3.99)).toBe(0);
    expect(measureIndexAt(ms, 4)).toBe(1);
    expect(measureIndexAt(ms, 100)).toBe(2);
  });
});

describe('layoutMeasures on real scores', () => {
  const files = [
    '../shared/data/partitura_testdata/musicxml/mozart_k265_var1.musicxml',
    '../shared/data/vienna4x22/musicxml/Schubert_D783_no15.musicxml',
    '../shared/data/vienna4x22/musicxml/Chopin_op10_no3.musicxml',
    '../shared/data/vienna4x22/musicxml/Chopin_op38.musicxml',
    'test/fixtures/scores/features.musicxml',
    'test/fixtures/scores/pickup-dacapo.musicxml',
    'test/fixtures/scores/repeats-voltas.musicxml',
  ];
  for (const file of files) {
    it(`draws every note of ${file.split('/').pop()} exactly once and fills every bar`, () => {
      const s = parseMusicXml(readFileSync(resolve(repoRoot, file), 'utf8'));
      const layout = layoutMeasures(s);
      expect(layout).toHaveLength(s.measures.length);
      checkInvariants(s, layout);
    });
  }
});

describe('layoutMeasures on exotic tuplets', () => {
  it('draws every note of test_tuplet_attributes (9:8, 15:8, 5:2 ...) exactly once', () => {
    // Ninths do not fall on the display grid, so bars are only filled approximately here.
    const s = parseMusicXml(readFileSync(resolve(repoRoot, '../shared/data/partitura_testdata/musicxml/test_tuplet_attributes.musicxml'), 'utf8'));
    const layout = layoutMeasures(s);
    checkInvariants(s, layout, false);
    const ratios = new Set(layout.flatMap((m) => m.voices.flatMap((v) => v.events.map((e) => (e.tuplet ? `${e.tuplet.actual}:${e.tuplet.normal}` : '')))));
    expect(ratios).toContain('3:2');
    expect(ratios).toContain('5:4');
  });
});

describe('layoutMeasures on scores made from MIDI files', () => {
  const files = ['../shared/data/partitura_testdata/midi/mozart_k265_var1.mid', '../shared/data/vienna4x22/midi/Chopin_op10_no3_p01.mid'];
  for (const file of files) {
    it(`snaps ${file.split('/').pop()} to sixteenths: no triplets, every note drawn once`, () => {
      const s = parseMidiScore(new Uint8Array(readFileSync(resolve(repoRoot, file))));
      expect(s.source).toBe('midi');
      const layout = layoutMeasures(s);
      checkInvariants(s, layout);
      const events = layout.flatMap((m) => m.voices.flatMap((v) => v.events));
      expect(events.some((e) => e.tuplet)).toBe(false);
      for (const e of events) expect((e.onset * 4) % 1).toBeCloseTo(0, 9);
      // Split at middle C when the file has one staff: both staves carry notes.
      const staves = new Set(layout.flatMap((m) => m.voices.filter((v) => v.events.some((e) => e.kind === 'note')).map((v) => v.staff)));
      expect([...staves].sort()).toEqual([1, 2]);
    });
  }
});
