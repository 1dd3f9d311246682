/**
 * Chord templates and pitch-class template matching: a pitch-class profile (duration-weighted)
 * is scored against every root × quality; the best fit names the chord.
 */
import type { ChordQuality } from '../../shared/chords';

export const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/** Chord tones as intervals from the root, in inversion order (root, third/sus, fifth, seventh). */
export const CHORD_TEMPLATES: ReadonlyArray<{ quality: ChordQuality; intervals: readonly number[]; suffix: string }> = [
  { quality: 'maj', intervals: [0, 4, 7], suffix: '' },
  { quality: 'min', intervals: [0, 3, 7], suffix: 'm' },
  { quality: 'dim', intervals: [0, 3, 6], suffix: 'dim' },
  { quality: 'aug', intervals: [0, 4, 8], suffix: 'aug' },
  { quality: '7', intervals: [0, 4, 7, 10], suffix: '7' },
  { quality: 'maj7', intervals: [0, 4, 7, 11], suffix: 'maj7' },
  { quality: 'm7', intervals: [0, 3, 7, 10], suffix: 'm7' },
  { quality: 'sus2', intervals: [0, 2, 7], suffix: 'sus2' },
  { quality: 'sus4', intervals: [0, 5, 7], suffix: 'sus4' },
];

/** Score lost per chord tone that is (almost) absent, so a triad beats a seventh chord missing its 7th. */
const MISSING_TONE_PENALTY = 0.15;
/** A pitch class below this share of the profile counts as absent. */
const PRESENT_SHARE = 0.05;
/** Small preference for the reading whose root is in the bass (C6 vs Am7, Csus2 vs Gsus4). */
const ROOT_IN_BASS_BONUS = 0.05;

export interface TemplateMatch {
  root: number;
  quality: ChordQuality;
  intervals: readonly number[];
  suffix: string;
  /** Fit without the bass bonus, in [-1, 1]. */
  fit: number;
}

/**
 * Best root × quality for a 12-bin pitch-class profile (any non-negative weights), or null when
 * the profile is empty. Ties go to the earlier template (simpler chord), then the lower root.
 */
export function matchChordTemplate(profile: ArrayLike<number>, bass: number | null): TemplateMatch | null {
  let total = 0;
  for (let pc = 0; pc < 12; pc++) total += profile[pc] ?? 0;
  if (!(total > 0)) return null;
  const share = Array.from({ length: 12 }, (_, pc) => (profile[pc] ?? 0) / total);
  let best: TemplateMatch | null = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const template of CHORD_TEMPLATES) {
    for (let root = 0; root < 12; root++) {
      let inside = 0;
      let missing = 0;
      for (const interval of template.intervals) {
        const s = share[(root + interval) % 12] as number;
        inside += s;
        if (s < PRESENT_SHARE) missing++;
      }
      const fit = inside - (1 - inside) - MISSING_TONE_PENALTY * missing;
      const score = fit + (bass === root ? ROOT_IN_BASS_BONUS : 0);
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = { root, quality: template.quality, intervals: template.intervals, suffix: template.suffix, fit };
      }
    }
  }
  return best;
}

/** Inversion from the bass: index of the bass among the chord tones, 0 if it is none of them. */
export function inversionOf(match: Pick<TemplateMatch, 'root' | 'intervals'>, bass: number): number {
  const index = match.intervals.indexOf((bass - match.root + 12) % 12);
  return index < 0 ? 0 : index;
}

export function chordSymbol(root: number, suffix: string, bass: number): string {
  const name = `${PITCH_CLASS_NAMES[root] ?? '?'}${suffix}`;
  return bass === root ? name : `${name}/${PITCH_CLASS_NAMES[bass] ?? '?'}`;
}
