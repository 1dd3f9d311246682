import { describe, expect, it } from 'vitest';
import { PIANO_HIGHEST_PITCH, PIANO_LOWEST_PITCH } from '../../shared/units';
import type { Hand, Score } from '../../shared/score';
import { keyAlterations, spellingToMidi } from '../music/pitch';
import { findScoreProblem } from '../music/validate';
import { buildScore } from './build';
import { degreeToken, SCALE_KEYS } from './exercises';
import { starterLibrary } from './index';

const library = starterLibrary();

/** Checks that each hand's notes tile every bar it plays in: no gap, no overlap, no overflow. */
function barFillProblems(score: Score): string[] {
  const problems: string[] = [];
  for (const measure of score.measures) {
    for (const hand of ['right', 'left'] as Hand[]) {
      const notes = score.notes.filter((n) => n.measureIndex === measure.index && n.hand === hand);
      if (notes.length === 0) continue;
      const onsets = [...new Set(notes.map((n) => n.onsetBeats))].sort((a, b) => a - b);
      let cursor = measure.startBeats;
      for (const onset of onsets) {
        if (Math.abs(onset - cursor) > 1e-9) problems.push(`${hand} bar ${measure.number}: gap or overlap at beat ${onset}`);
        const durations = new Set(notes.filter((n) => n.onsetBeats === onset).map((n) => n.durationBeats));
        if (durations.size !== 1) problems.push(`${hand} bar ${measure.number}: chord with mixed lengths`);
        cursor = onset + [...durations][0]!;
      }
      if (Math.abs(cursor - (measure.startBeats + measure.durationBeats)) > 1e-9) {
        problems.push(`${hand} bar ${measure.number}: fills ${cursor - measure.startBeats} of ${measure.durationBeats} beats`);
      }
    }
  }
  return problems;
}

describe('starterLibrary', () => {
  it('covers every category with unique, stable slugs', () => {
    const slugs = library.map((p) => p.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(library.map((p) => p.category))).toEqual(new Set(['five-finger', 'scale', 'chords', 'melody']));
    expect(slugs).toContain('minuet-in-g-opening');
    expect(slugs).toContain('scale-g-major-2-octave-both');
    // Building twice gives the same pieces (slugs must stay stable for the library database).
    expect(starterLibrary().map((p) => p.slug)).toEqual(slugs);
  });

  it.each(library.map((p) => [p.slug, p] as const))('%s is a well-formed score', (_, piece) => {
    const { score } = piece;
    expect(piece.difficulty).toBeGreaterThanOrEqual(1);
    expect(piece.difficulty).toBeLessThanOrEqual(9);
    expect(score.source).toBe('generated');
    expect(findScoreProblem(score)).toBeNull();
    for (const note of score.notes) {
      expect(note.pitch).toBeGreaterThanOrEqual(PIANO_LOWEST_PITCH);
      expect(note.pitch).toBeLessThanOrEqual(PIANO_HIGHEST_PITCH);
      expect(spellingToMidi(note.spelling!)).toBe(note.pitch);
      expect(note.staff).toBe(note.hand === 'right' ? 1 : 2);
    }
    expect(barFillProblems(score)).toEqual([]);
  });

  it('spells every note by its key signature (only the minor leading tone is raised)', () => {
    for (const piece of library) {
      const minorKey = SCALE_KEYS.find((k) => k.minor && piece.slug.includes(k.name.toLowerCase().replace(' ', '-')));
      for (const note of piece.score.notes) {
        const measure = piece.score.measures[note.measureIndex]!;
        const expected = keyAlterations(measure.keyFifths)[note.spelling!.step];
        const leadingTone = minorKey && degreeToken(minorKey, 4, 6).startsWith(note.spelling!.step);
        expect(note.spelling!.alter, `${piece.slug} ${note.id}`).toBe(leadingTone ? expected + 1 : expected);
      }
    }
  });

  it('writes F# in G major, Bb in F major and G# in A harmonic minor', () => {
    const names = (slug: string): string[] =>
      library.find((p) => p.slug === slug)!.score.notes.map((n) => `${n.spelling!.step}${n.spelling!.alter}`);
    expect(names('scale-g-major-1-octave-right')).toContain('F1');
    expect(names('scale-f-major-1-octave-right')).toContain('B-1');
    expect(names('scale-a-minor-1-octave-right')).toContain('G1');
    expect(names('scale-a-minor-1-octave-right')).not.toContain('G0');
  });

  it('plays hands-together pieces with both hands from the first beat', () => {
    for (const piece of library.filter((p) => p.slug.endsWith('-both') || p.category === 'chords')) {
      const first = piece.score.notes.filter((n) => n.onsetBeats === 0);
      expect(new Set(first.map((n) => n.hand))).toEqual(new Set(['right', 'left']));
    }
  });
});

describe('buildScore', () => {
  it('rejects a bar that does not fill its time signature', () => {
    expect(() =>
      buildScore({ title: 'Bad', composer: '', keyFifths: 0, time: { numerator: 3, denominator: 4 }, qpm: 60, right: 'C4:q D4:q | E4:h.' }),
    ).toThrow(/bar 1 holds 2 beats, expected 3/);
  });

  it('allows a pickup bar and converts beats to seconds', () => {
    const score = buildScore({ title: 'Pickup', composer: '', keyFifths: 0, time: { numerator: 3, denominator: 4 }, qpm: 60, pickupBeats: 1, right: 'G4:q | C5:h. ' });
    expect(score.measures.map((m) => [m.number, m.startBeats, m.durationBeats])).toEqual([
      ['0', 0, 1],
      ['1', 1, 3],
    ]);
    expect(score.notes[1]).toMatchObject({ pitch: 72, onsetSec: 1, durationSec: 3, dots: 1, noteType: 'half' });
  });
});
