/** Note-level MusicXML details: pitch, ties, articulations, dynamics names, note-type lengths. */
import type { ArticulationMark, DynamicMark } from '../../shared/score';
import { child, childNumber, childText, childrenNamed, descendants, type XmlElement } from './xml-tree';
import { isStep, type Spelling } from './pitch';

export function readSpelling(pitch: XmlElement): Spelling | undefined {
  const step = childText(pitch, 'step')?.toUpperCase();
  const octave = childNumber(pitch, 'octave');
  if (step === undefined || !isStep(step) || octave === undefined) return undefined;
  return { step, alter: childNumber(pitch, 'alter') ?? 0, octave: Math.trunc(octave) };
}

export function readTies(note: XmlElement): { start: boolean; stop: boolean } {
  let start = false;
  let stop = false;
  const marks = [
    ...childrenNamed(note, 'tie'),
    ...childrenNamed(note, 'notations').flatMap((n) => childrenNamed(n, 'tied')),
  ];
  for (const mark of marks) {
    const type = mark.attrs['type'];
    if (type === 'start' || type === 'continue') start = true;
    if (type === 'stop' || type === 'continue') stop = true;
  }
  return { start, stop };
}

const ARTICULATION_NAMES: Record<string, ArticulationMark> = {
  staccato: 'staccato',
  staccatissimo: 'staccatissimo',
  spiccato: 'staccatissimo',
  tenuto: 'tenuto',
  accent: 'accent',
  'strong-accent': 'marcato',
  'detached-legato': 'portato',
};

export function readArticulations(note: XmlElement): ArticulationMark[] {
  const marks = new Set<ArticulationMark>();
  for (const notations of childrenNamed(note, 'notations')) {
    for (const group of childrenNamed(notations, 'articulations')) {
      for (const mark of group.children) {
        const known = ARTICULATION_NAMES[mark.name];
        if (known !== undefined) marks.add(known);
      }
    }
    if (child(notations, 'fermata') !== undefined) marks.add('fermata');
  }
  return [...marks];
}

const DYNAMIC_NAMES: Record<string, DynamicMark> = {
  pppp: 'pppp', ppp: 'ppp', pp: 'pp', p: 'p', mp: 'mp', mf: 'mf', f: 'f', ff: 'ff', fff: 'fff', ffff: 'ffff',
  sf: 'sf', sfz: 'sfz', fp: 'fp', sffz: 'sfz', fz: 'sfz', rf: 'sfz', rfz: 'sfz', sfp: 'fp', sfzp: 'fp',
};

/** Momentary marks accent one onset; the others set a level that lasts until the next mark. */
export function isMomentaryDynamic(mark: DynamicMark): boolean {
  return mark === 'sf' || mark === 'sfz' || mark === 'fp';
}

export function readDynamic(direction: XmlElement): DynamicMark | undefined {
  for (const dynamics of descendants(direction, 'dynamics')) {
    for (const mark of dynamics.children) {
      const name = mark.name === 'other-dynamics' ? mark.text : mark.name;
      const known = DYNAMIC_NAMES[name];
      if (known !== undefined) return known;
    }
  }
  return undefined;
}

const TYPE_QUARTERS: Record<string, number> = {
  maxima: 32, long: 16, breve: 8, whole: 4, half: 2, quarter: 1, eighth: 0.5,
  '16th': 0.25, '32nd': 0.125, '64th': 0.0625, '128th': 0.03125, '256th': 0.015625,
};

/** Length of a written note type with dots and tuplet ratio, in quarter beats. */
export function typeLengthBeats(
  type: string | undefined,
  dots: number,
  tuplet: { actual: number; normal: number } | undefined,
): number | undefined {
  const base = type === undefined ? undefined : TYPE_QUARTERS[type];
  if (base === undefined) return undefined;
  const dotted = base * (2 - 1 / 2 ** dots);
  return tuplet ? (dotted * tuplet.normal) / tuplet.actual : dotted;
}

export function readTuplet(note: XmlElement): { actual: number; normal: number } | undefined {
  const mod = child(note, 'time-modification');
  if (mod === undefined) return undefined;
  const actual = childNumber(mod, 'actual-notes');
  const normal = childNumber(mod, 'normal-notes');
  if (actual === undefined || normal === undefined || actual <= 0 || normal <= 0) return undefined;
  return { actual, normal };
}

/** Metronome mark (beat-unit [dot] = per-minute) converted to quarter notes per minute. */
export function readMetronomeQpm(direction: XmlElement): number | undefined {
  for (const metronome of descendants(direction, 'metronome')) {
    const perMinute = Number(childText(metronome, 'per-minute')?.replace(/[^0-9.]/g, ''));
    const unit = typeLengthBeats(childText(metronome, 'beat-unit'), childrenNamed(metronome, 'beat-unit-dot').length, undefined);
    if (Number.isFinite(perMinute) && perMinute > 0 && unit !== undefined) return perMinute * unit;
  }
  return undefined;
}

/** Ending numbers from attributes like "1", "1, 2", "1-3" or "1.". */
export function parseEndingNumbers(raw: string | undefined): number[] {
  if (raw === undefined) return [];
  const numbers: number[] = [];
  for (const part of raw.split(/[,\s]+/)) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Math.min(Number(range[2]), from + 20);
      for (let n = from; n <= to; n++) numbers.push(n);
      continue;
    }
    const single = /^(\d+)\.?$/.exec(part);
    if (single) numbers.push(Number(single[1]));
  }
  return numbers;
}
