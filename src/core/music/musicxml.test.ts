import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { Score, ScoreNote } from '../../shared/score';
import { parseMusicXml } from './musicxml';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

const fixture = (name: string): string => readFileSync(resolve(REPO_ROOT, 'test/fixtures/scores', name), 'utf8');
const byId = (score: Score, id: string): ScoreNote => {
  const note = score.notes.find((n) => n.id === id);
  if (!note) throw new Error(`no note ${id}`);
  return note;
};

describe('parseMusicXml: features fixture', () => {
  const score = parseMusicXml(fixture('features.musicxml'));

  it('reads title, composer and the piano part with two staves', () => {
    expect(score.title).toBe('Feature Study');
    expect(score.composer).toBe('Test Writer');
    expect(score.parts).toEqual([{ id: 'P1', name: 'Piano', staves: 2 }]);
    expect(score.source).toBe('musicxml');
  });

  it('places chords, backup/forward voices and staves on the right hands', () => {
    expect(byId(score, 'a1')).toMatchObject({ pitch: 72, onsetBeats: 0, hand: 'right', staff: 1 });
    expect(byId(score, 'a2')).toMatchObject({ pitch: 76, onsetBeats: 0, durationBeats: 1 });
    expect(byId(score, 'v2')).toMatchObject({ pitch: 71, onsetBeats: 2, durationBeats: 2, voice: 2 });
    expect(byId(score, 'b1')).toMatchObject({ pitch: 48, onsetBeats: 0, durationBeats: 4, hand: 'left', staff: 2, voice: 5 });
  });

  it('merges a tie across the barline into the struck note', () => {
    const tied = byId(score, 'a3');
    expect(tied).toMatchObject({ pitch: 78, onsetBeats: 2, durationBeats: 3, tiedDisplayBeats: [2, 1] });
    expect(score.notes.some((n) => n.sourceId === 'a4')).toBe(false);
    expect(tied.spelling).toEqual({ step: 'F', alter: 1, octave: 5 });
  });

  it('puts a grace note, zero-length, just before its main note', () => {
    const grace = byId(score, 'g1');
    expect(grace).toMatchObject({ grace: true, durationBeats: 0, onsetBeats: 2, pitch: 79 });
    // Sorted ahead of the notes on its beat, even the lower ones (B4 of voice 2).
    const atBeat = score.notes.filter((n) => n.onsetBeats === 2).map((n) => n.id);
    expect(atBeat).toEqual(['g1', 'v2', 'a3']);
  });

  it('reads tuplets, dots and note types', () => {
    const triplet = ['t1', 't2', 't3'].map((id) => byId(score, id));
    expect(triplet.map((n) => n.onsetBeats)).toEqual([5, 5.333333, 5.666667]);
    expect(triplet[0]?.tuplet).toEqual({ actual: 3, normal: 2 });
    expect(triplet[0]?.noteType).toBe('eighth');
    expect(byId(score, 'b2')).toMatchObject({ durationBeats: 3, dots: 1, noteType: 'half' });
  });

  it('follows key, time and tempo changes, and converts beats to seconds', () => {
    expect(score.measures.map((m) => [m.startBeats, m.durationBeats, m.keyFifths, m.timeSignature.numerator])).toEqual([
      [0, 4, 1, 4],
      [4, 3, 2, 3],
    ]);
    expect(score.tempos).toEqual([
      { beats: 0, qpm: 90 },
      { beats: 4, qpm: 60 },
    ]);
    expect(score.measures[1]?.startSec).toBeCloseTo(4 * (60 / 90), 9);
    expect(byId(score, 't1').onsetSec).toBeCloseTo(4 * (60 / 90) + 1, 6);
    // The tied note spans the tempo change: two beats at 90 qpm, one at 60.
    expect(byId(score, 'a3').durationSec).toBeCloseTo(2 * (60 / 90) + 1, 6);
    expect(byId(score, 'a5').durationSec).toBeCloseTo(1, 6);
  });

  it('keeps dynamics and articulations on the notes', () => {
    expect(byId(score, 'a1').dynamic).toBe('p');
    expect(byId(score, 'a1').articulations).toEqual(['staccato']);
    expect(byId(score, 'a3').articulations).toEqual(['accent']);
    expect(byId(score, 'a5').articulations).toEqual(['fermata']);
    expect(byId(score, 't1').dynamic).toBe('f');
    expect(byId(score, 'b2').dynamic).toBe('f');
    expect(byId(score, 'b1').dynamic).toBeUndefined();
  });

  it('sorts notes by onset with valid measure indices', () => {
    for (let i = 1; i < score.notes.length; i++) {
      expect(score.notes[i]!.onsetBeats).toBeGreaterThanOrEqual(score.notes[i - 1]!.onsetBeats);
    }
    for (const note of score.notes) {
      const measure = score.measures[note.measureIndex]!;
      expect(note.onsetBeats).toBeGreaterThanOrEqual(measure.startBeats);
      expect(note.onsetBeats).toBeLessThan(measure.startBeats + measure.durationBeats);
    }
  });
});

describe('parseMusicXml: repeats and navigation', () => {
  it('expands a repeat with first and second endings in playing order', () => {
    const score = parseMusicXml(fixture('repeats-voltas.musicxml'));
    expect(score.measures.map((m) => m.number)).toEqual(['1', '2', '3', '1', '2', '4', '5']);
    expect(score.notes.map((n) => n.id)).toEqual(['m1', 'm2', 'm3', 'm1#2', 'm2#2', 'm4', 'm5']);
    expect(score.notes.map((n) => n.sourceId)).toEqual(['m1', 'm2', 'm3', 'm1', 'm2', 'm4', 'm5']);
    expect(score.notes.map((n) => n.onsetBeats)).toEqual([0, 4, 8, 12, 16, 20, 24]);
    expect(score.notes.map((n) => n.measureIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(score.title).toBe('Repeat With Voltas');
  });

  it('plays a pickup bar at its written length and follows D.C. al Fine', () => {
    const score = parseMusicXml(fixture('pickup-dacapo.musicxml'));
    expect(score.measures.map((m) => [m.number, m.startBeats, m.durationBeats])).toEqual([
      ['0', 0, 1],
      ['1', 1, 3],
      ['2', 4, 3],
      ['0', 7, 1],
      ['1', 8, 3],
    ]);
    expect(score.notes.map((n) => n.pitch)).toEqual([69, 70, 69, 65, 69, 70, 69]);
    expect(score.notes[0]?.id).toBe('P1-m0-n1');
    expect(score.notes[4]?.id).toBe('P1-m0-n1#2');
    expect(score.notes[1]?.spelling).toEqual({ step: 'B', alter: -1, octave: 4 });
    // No tempo marking: 120 quarter notes per minute.
    expect(score.tempos).toEqual([{ beats: 0, qpm: 120 }]);
    expect(score.notes[3]?.onsetSec).toBeCloseTo(2, 9);
  });

  it('follows D.C. al Fine written only as words', () => {
    const words = fixture('pickup-dacapo.musicxml').replace(/<sound (fine|dacapo)="yes"\/>/g, '');
    expect(words).not.toMatch(/dacapo/);
    const score = parseMusicXml(words);
    expect(score.measures.map((m) => m.number)).toEqual(['0', '1', '2', '0', '1']);
  });

  it('merges parts and gives a left-hand part to the left hand', () => {
    const score = parseMusicXml(fixture('two-parts.musicxml'));
    expect(score.parts.map((p) => p.id)).toEqual(['RH', 'LH']);
    expect(score.measures).toHaveLength(2);
    expect(score.notes.map((n) => [n.pitch, n.onsetBeats, n.hand, n.partId])).toEqual([
      [48, 0, 'left', 'LH'],
      [76, 0, 'right', 'RH'],
      [74, 1, 'right', 'RH'],
      [43, 2, 'left', 'LH'],
      [72, 2, 'right', 'RH'],
    ]);
  });
});

describe('parseMusicXml: grace chords', () => {
  it('puts a grace chord on the beat of its main note, in written order', () => {
    const xml = `<score-partwise><part id="P1"><measure number="1">
      <attributes><divisions>1</divisions><time><beats>2</beats><beat-type>4</beat-type></time></attributes>
      <note><rest/><duration>1</duration></note>
      <note id="g1"><grace/><pitch><step>F</step><octave>5</octave></pitch></note>
      <note id="g2"><grace/><chord/><pitch><step>D</step><octave>5</octave></pitch></note>
      <note id="main"><pitch><step>E</step><octave>5</octave></pitch><duration>1</duration></note>
    </measure></part></score-partwise>`;
    const score = parseMusicXml(xml);
    expect(score.notes.map((n) => [n.id, n.onsetBeats, n.durationBeats, n.grace])).toEqual([
      ['g1', 1, 0, true],
      ['g2', 1, 0, true],
      ['main', 1, 1, false],
    ]);
  });
});

describe('parseMusicXml: bad input', () => {
  const expectAppError = (xml: string, code: string, message: RegExp): void => {
    let caught: unknown;
    try {
      parseMusicXml(xml);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe(code);
    expect((caught as AppError).message).toMatch(message);
  };

  it('names truncated XML', () => {
    const text = fixture('features.musicxml');
    expectAppError(text.slice(0, text.length / 2), 'PARSE_ERROR', /malformed XML/);
  });
  it('rejects empty input', () => expectAppError('  ', 'PARSE_ERROR', /empty/));
  it('rejects a wrong root element', () => expectAppError('<html><body/></html>', 'PARSE_ERROR', /root element is <html>/));
  it('rejects timewise MusicXML', () =>
    expectAppError('<score-timewise><measure number="1"/></score-timewise>', 'UNSUPPORTED', /timewise MusicXML is not supported/));
  it('rejects binary garbage', () => expectAppError('\u0000\u0001\u00ff\u00fe garbage', 'PARSE_ERROR', /malformed XML|no root/));
  it('names the measure of a note without pitch or rest', () =>
    expectAppError(
      '<score-partwise><part id="P1"><measure number="12"><note><duration>1</duration></note></measure></part></score-partwise>',
      'PARSE_ERROR',
      /measure 12 \(part P1\): note without pitch or rest/,
    ));
  it('rejects a score without parts or notes', () => {
    expectAppError('<score-partwise><part-list/></score-partwise>', 'PARSE_ERROR', /no <part>/);
    expectAppError(
      '<score-partwise><part id="P1"><measure number="1"><note><rest/><duration>4</duration></note></measure></part></score-partwise>',
      'PARSE_ERROR',
      /no pitched notes/,
    );
  });
});
