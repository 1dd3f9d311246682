/**
 * Turns the Score model (notes in playing order with onsets and durations) into what a page of
 * music shows: per measure, per staff, per voice, a sequence of chords and rests with written
 * values, ties, tuplets and accidentals. Pure data, no VexFlow: drawScore.ts draws it.
 */
import type { Measure, Score, ScoreNote } from '../../shared/score';
import type { Beats } from '../../shared/units';
import type { NoteValue } from './durations';
import { GRID_PER_BEAT, MIDI_GRID_PER_BEAT, exactNoteValue, isBinaryDuration, quantizeBeats, splitIntoNoteValues, splitRest } from './durations';
import type { Clef } from './clefs';
import { diatonicIndex, nextClef } from './clefs';
import type { Spelled } from './spelling';
import { MeasureAccidentals, keySignatureAlters, spellingOf } from './spelling';
import type { DisplayGrace, PendingGrace } from './graceLayout';
import { attachGraces } from './graceLayout';

export type StaffNumber = 1 | 2;

export interface DisplayKey {
  noteId: string;
  /** The hand the score assigns (what hands-separate practice goes by), whatever staff shows it. */
  hand: 'left' | 'right';
  spelled: Spelled;
  /** Accidental to print, null when the key signature or the bar already implies it. */
  accidental: string | null;
  /** True when a tie goes from this notehead to the same key in the next event of this note. */
  tiesToNext: boolean;
  /** True for the struck notehead (the first piece of a tie chain): verdict colours start here. */
  struck: boolean;
}

export interface DisplayEvent {
  kind: 'note' | 'rest';
  /** Onset relative to the measure start. */
  onset: Beats;
  value: NoteValue;
  keys: DisplayKey[];
  /** Tuplet this event belongs to (3:2 triplet, 5:4 quintuplet, ...), null for plain values. */
  tuplet: TupletRatio | null;
  /** A rest that fills the whole bar (drawn centred as a whole rest). */
  fullBar: boolean;
  /** Grace notes drawn small before this note, in written order (see graceLayout.ts). */
  graces?: DisplayGrace[];
}

export interface TupletRatio {
  /** Notes played ... */
  actual: number;
  /** ... in the time of this many. */
  normal: number;
}

const TRIPLET: TupletRatio = { actual: 3, normal: 2 };

export interface DisplayVoice {
  staff: StaffNumber;
  voice: number;
  events: DisplayEvent[];
}

export interface DisplayMeasure {
  index: number;
  number: string;
  startBeats: Beats;
  durationBeats: Beats;
  timeSignature: { numerator: number; denominator: number };
  keyFifths: number;
  timeChanged: boolean;
  keyChanged: boolean;
  /** Clef of each staff in this bar (inferred from the pitches; see clefs.ts). */
  clefs: { 1: Clef; 2: Clef };
  voices: DisplayVoice[];
}

interface Segment {
  note: ScoreNote;
  onset: Beats;
  length: Beats;
  struck: boolean;
  tiesToNext: boolean;
}

const EPS = 1e-6;

/** Index of the measure containing `beats` (measures are contiguous in playing order). */
export function measureIndexAt(measures: readonly Measure[], beats: Beats): number {
  let lo = 0;
  let hi = measures.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const m = measures[mid];
    if (m && m.startBeats <= beats + EPS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The note's written pieces (tie chains), cut again at barlines, each tagged with its measure. */
function segmentsOf(note: ScoreNote, measures: readonly Measure[], grid: number): { measure: number; segment: Segment }[] {
  const pieces = note.tiedDisplayBeats && note.tiedDisplayBeats.length > 0 ? note.tiedDisplayBeats : [note.durationBeats];
  const out: { measure: number; segment: Segment }[] = [];
  let onset = quantizeBeats(note.onsetBeats, grid);
  for (const piece of pieces) {
    let remaining = Math.max(quantizeBeats(piece, grid), 1 / grid);
    while (remaining > EPS) {
      const mi = measureIndexAt(measures, onset);
      const m = measures[mi];
      if (!m) break;
      const end = quantizeBeats(m.startBeats + m.durationBeats, grid);
      // The last measure takes whatever hangs over its end rather than losing it.
      const fits = mi === measures.length - 1 ? remaining : Math.min(remaining, end - onset);
      const length = fits > EPS ? fits : remaining;
      out.push({ measure: mi, segment: { note, onset, length, struck: out.length === 0, tiesToNext: true } });
      onset += length;
      remaining -= length;
    }
  }
  const last = out[out.length - 1];
  if (last) last.segment.tiesToNext = false;
  return out;
}

/**
 * Written values for a length. A tuplet value is written as actual/normal of its length (a
 * triplet eighth lasts 1/3 beat and is written as an eighth; a quintuplet sixteenth lasts 1/5).
 * The ratio comes from the score when it has one, else 3:2 for lengths that are not binary.
 */
function writtenValues(length: Beats, ratio: TupletRatio | null): { values: NoteValue[]; tuplet: TupletRatio | null } {
  if (isBinaryDuration(length) && !ratio) return { values: splitIntoNoteValues(length), tuplet: null };
  const r = ratio ?? TRIPLET;
  const factor = r.actual / r.normal;
  const written = length * factor;
  const exact = exactNoteValue(written);
  if (exact) return { values: [{ ...exact, beats: length }], tuplet: r };
  const split = splitIntoNoteValues(quantizeBeats(written));
  return { values: split.map((v) => ({ ...v, beats: v.beats / factor })), tuplet: r };
}

function restEvents(start: Beats, length: Beats, beatLength: Beats, ratio: TupletRatio | null): DisplayEvent[] {
  const out: DisplayEvent[] = [];
  if (length <= EPS) return out;
  const binary = isBinaryDuration(length);
  // A gap inside a tuplet group takes the group's ratio; other binary gaps are plain rests.
  const { values, tuplet } = binary && !ratio ? { values: splitRest(start, length, beatLength), tuplet: null } : writtenValues(length, binary ? ratio : (ratio ?? TRIPLET));
  let onset = start;
  for (const value of values) {
    out.push({ kind: 'rest', onset, value, keys: [], tuplet, fullBar: false });
    onset += value.beats;
  }
  return out;
}

function ratioOf(chord: readonly Segment[]): TupletRatio | null {
  const t = chord.find((s) => s.note.tuplet && s.note.tuplet.actual > 0 && s.note.tuplet.normal > 0)?.note.tuplet;
  return t && t.actual !== t.normal ? { actual: t.actual, normal: t.normal } : null;
}

function voiceEvents(segments: Segment[], measure: Measure, measureStart: Beats, grid: number): DisplayEvent[] {
  const byOnset = new Map<number, Segment[]>();
  for (const s of segments) {
    const key = Math.round((s.onset - measureStart) * grid);
    const group = byOnset.get(key);
    if (group) group.push(s);
    else byOnset.set(key, [s]);
  }
  const onsets = [...byOnset.keys()].sort((a, b) => a - b);
  const measureLength = quantizeBeats(measure.durationBeats, grid);
  const beatLength = 4 / measure.timeSignature.denominator;
  const events: DisplayEvent[] = [];
  let cursor = 0;
  onsets.forEach((onsetKey, i) => {
    const chord = (byOnset.get(onsetKey) ?? []).sort((a, b) => a.note.pitch - b.note.pitch);
    const onset = onsetKey / grid;
    if (onset < cursor - EPS) return; // overlaps the previous chord's written value: cannot be shown in this voice
    const ratio = ratioOf(chord);
    const gap = onset - cursor;
    // A rest before a tuplet note belongs to its group only when the gap is not a plain value.
    events.push(...restEvents(cursor, gap, beatLength, ratio && !isBinaryDuration(gap) ? ratio : null));
    const next = onsets[i + 1];
    const limit = Math.min(next !== undefined ? next / grid : Infinity, Math.max(measureLength, onset + 1 / grid));
    const length = Math.max(1 / grid, Math.min(Math.min(...chord.map((s) => s.length)), limit - onset));
    const { values, tuplet } = writtenValues(length, ratio);
    let at = onset;
    values.forEach((value, vi) => {
      const lastPiece = vi === values.length - 1;
      events.push({
        kind: 'note',
        onset: at,
        value,
        tuplet,
        fullBar: false,
        keys: chord.map((s) => ({
          noteId: s.note.id,
          hand: s.note.hand,
          spelled: spellingOf(s.note, measure.keyFifths),
          accidental: null,
          tiesToNext: lastPiece ? s.tiesToNext : true,
          struck: s.struck && vi === 0,
        })),
      });
      at += value.beats;
    });
    cursor = at;
  });
  if (cursor < measureLength - EPS) events.push(...restEvents(cursor, measureLength - cursor, beatLength, null));
  return events;
}

function assignAccidentals(voices: DisplayVoice[], keyFifths: number): void {
  for (const staff of [1, 2] as const) {
    const tracker = new MeasureAccidentals(keySignatureAlters(keyFifths));
    const keys = voices
      .filter((v) => v.staff === staff)
      // Grace notes are read before the note they ornament (stable sort keeps them first).
      .flatMap((v) => v.events.flatMap((e) => [...(e.graces ?? []), ...e.keys].map((k) => ({ onset: e.onset, key: k }))))
      .sort((a, b) => a.onset - b.onset);
    for (const { key } of keys) {
      // Tied continuations never reprint an accidental.
      if (key.struck) key.accidental = tracker.accidentalFor(key.spelled);
    }
  }
}

function fullBarRest(staff: StaffNumber, measure: Measure): DisplayVoice {
  const length = quantizeBeats(measure.durationBeats);
  return {
    staff,
    voice: 1,
    events: [{ kind: 'rest', onset: 0, value: { code: 'w', dots: 0, beats: length }, keys: [], tuplet: null, fullBar: true }],
  };
}

/**
 * Builds every measure's display content from a score. Written scores use a fine grid (32nds,
 * triplets); scores made from MIDI files are snapped to sixteenths, since their durations are
 * played, not written.
 */
export function layoutMeasures(score: Score): DisplayMeasure[] {
  const measures = score.measures;
  const grid = score.source === 'midi' ? MIDI_GRID_PER_BEAT : GRID_PER_BEAT;
  // A MIDI file with everything on one staff is split at middle C for display, like a piano score.
  const oneStaff = score.source === 'midi' && !score.notes.some((n) => n.staff >= 2);
  const perMeasure = measures.map(() => new Map<string, Segment[]>());
  const gracesPerMeasure = measures.map((): PendingGrace[] => []);
  for (const note of score.notes) {
    // The printed staff decides where a note goes (a right-hand note may be written on the lower staff).
    const staff: StaffNumber = oneStaff ? (note.pitch < 60 ? 2 : 1) : note.staff >= 2 ? 2 : 1;
    if (note.grace) {
      const onset = quantizeBeats(note.onsetBeats, grid);
      const mi = measureIndexAt(measures, onset);
      const m = measures[mi];
      if (m) gracesPerMeasure[mi]?.push({ note, staff, onset: onset - quantizeBeats(m.startBeats, grid) });
      continue;
    }
    for (const { measure, segment } of segmentsOf(note, measures, grid)) {
      const groups = perMeasure[measure];
      if (!groups) continue;
      const key = `${staff}:${note.voice}`;
      const list = groups.get(key);
      if (list) list.push(segment);
      else groups.set(key, [segment]);
    }
  }
  const clefs = { 1: 'treble' as Clef, 2: 'bass' as Clef };
  return measures.map((m, i) => {
    const groups = perMeasure[i] ?? new Map<string, Segment[]>();
    const voices: DisplayVoice[] = [...groups.entries()]
      .map(([key, segments]) => {
        const [staffText, voiceText] = key.split(':');
        return {
          staff: (staffText === '2' ? 2 : 1) as StaffNumber,
          voice: Number(voiceText),
          events: voiceEvents(segments, m, quantizeBeats(m.startBeats, grid), grid),
        };
      })
      .sort((a, b) => a.staff - b.staff || a.voice - b.voice);
    for (const staff of [1, 2] as const) if (!voices.some((v) => v.staff === staff)) voices.push(fullBarRest(staff, m));
    attachGraces(voices, gracesPerMeasure[i] ?? [], m.keyFifths);
    assignAccidentals(voices, m.keyFifths);
    for (const staff of [1, 2] as const) {
      const positions = voices.filter((v) => v.staff === staff).flatMap((v) => v.events.flatMap((e) => e.keys.map((k) => diatonicIndex(k.spelled))));
      clefs[staff] = nextClef(clefs[staff], positions);
    }
    const prev = measures[i - 1];
    return {
      index: m.index,
      number: m.number,
      startBeats: m.startBeats,
      durationBeats: m.durationBeats,
      timeSignature: m.timeSignature,
      keyFifths: m.keyFifths,
      timeChanged:
        !prev ||
        prev.timeSignature.numerator !== m.timeSignature.numerator ||
        prev.timeSignature.denominator !== m.timeSignature.denominator,
      keyChanged: !prev || prev.keyFifths !== m.keyFifths,
      clefs: { ...clefs },
      voices: voices.sort((a, b) => a.staff - b.staff || a.voice - b.voice),
    };
  });
}
