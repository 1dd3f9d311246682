import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMusicXml } from '../../core/music';
import type { Measure, Score, ScoreNote } from '../../shared/score';
import type { DisplayEvent, DisplayMeasure } from './measureLayout';
import { layoutMeasures } from './measureLayout';
import { graceCode, graceSlash } from './graceLayout';

const repoRoot = resolve(import.meta.dirname, '../../..');

const bar: Measure = { index: 0, number: '1', startBeats: 0, durationBeats: 4, startSec: 0, timeSignature: { numerator: 4, denominator: 4 }, keyFifths: 0 };

function note(id: string, pitch: number, onsetBeats: number, durationBeats: number, extra: Partial<ScoreNote> = {}): ScoreNote {
  return {
    id,
    sourceId: id,
    pitch,
    onsetBeats,
    durationBeats,
    onsetSec: onsetBeats / 2,
    durationSec: durationBeats / 2,
    measureIndex: 0,
    staff: 1,
    voice: 1,
    hand: 'right',
    partId: 'P1',
    grace: false,
    articulations: [],
    ...extra,
  };
}

function score(notes: ScoreNote[]): Score {
  return { title: 't', composer: '', source: 'generated', parts: [{ id: 'P1', name: 'Piano', staves: 2 }], measures: [bar], notes, tempos: [{ beats: 0, qpm: 120 }] };
}

function noteEvents(m: DisplayMeasure | undefined): DisplayEvent[] {
  return (m?.voices ?? []).flatMap((v) => v.events.filter((e) => e.kind === 'note'));
}

describe('grace note attachment', () => {
  it('puts grace notes, in written order, in front of the main note at their onset in their voice', () => {
    const s = score([
      note('main1', 60, 0, 2),
      note('g1', 74, 2, 0, { grace: true, noteType: '16th' }),
      note('g2', 75, 2, 0, { grace: true, noteType: '16th' }),
      note('lower', 48, 2, 2, { staff: 2, hand: 'left' }),
      note('main2', 72, 2, 2),
    ]);
    const events = noteEvents(layoutMeasures(s)[0]);
    const owner = events.find((e) => e.keys.some((k) => k.noteId === 'main2'));
    expect(owner?.graces?.map((g) => g.noteId)).toEqual(['g1', 'g2']);
    expect(owner?.graces?.map((g) => g.code)).toEqual(['16', '16']);
    // Neither the earlier note nor the other staff's note at the same onset gets them.
    for (const e of events.filter((x) => x !== owner)) expect(e.graces ?? []).toEqual([]);
  });

  it('falls back to another voice of the same staff and leaves out graces with nothing to ornament', () => {
    const s = score([note('g', 62, 1, 0, { grace: true, voice: 2 }), note('main', 60, 1, 1), note('stray', 64, 3, 0, { grace: true })]);
    const events = noteEvents(layoutMeasures(s)[0]);
    expect(events.flatMap((e) => (e.graces ?? []).map((g) => `${g.noteId}>${e.keys[0]?.noteId}`))).toEqual(['g>main']);
  });

  it('prints accidentals of grace notes against the bar, before the main note', () => {
    // F#: the grace carries the sharp, so the main F# right after it needs none.
    const s = score([note('g', 66, 0, 0, { grace: true }), note('main', 66, 0, 1)]);
    const [e] = noteEvents(layoutMeasures(s)[0]);
    expect(e?.graces?.[0]?.accidental).toBe('#');
    expect(e?.keys[0]?.accidental).toBeNull();
  });

  it('slashes a single short grace (acciaccatura) but not groups or long appoggiaturas', () => {
    expect(graceCode(undefined)).toBe('8');
    expect(graceCode('quarter')).toBe('q');
    expect(graceSlash([{ code: '8' }])).toBe(true);
    expect(graceSlash([{ code: '16' }, { code: '16' }])).toBe(false);
    expect(graceSlash([{ code: 'q' }])).toBe(false);
  });

  it('attaches every grace note of Schubert D783 no. 15 to a note of its own staff', () => {
    const s = parseMusicXml(readFileSync(resolve(repoRoot, '../shared/data/vienna4x22/musicxml/Schubert_D783_no15.musicxml'), 'utf8'));
    const graces = s.notes.filter((n) => n.grace);
    expect(graces.length).toBeGreaterThan(0);
    const attached = new Map<string, number>();
    for (const m of layoutMeasures(s)) {
      for (const v of m.voices) {
        for (const e of v.events) {
          for (const g of e.graces ?? []) {
            attached.set(g.noteId, v.staff);
            const main = s.notes.find((n) => n.id === e.keys[0]?.noteId);
            const grace = s.notes.find((n) => n.id === g.noteId);
            expect(main?.onsetBeats).toBeCloseTo(grace?.onsetBeats ?? -1, 6);
          }
        }
      }
    }
    expect([...attached.keys()].sort()).toEqual(graces.map((n) => n.id).sort());
  });
});
