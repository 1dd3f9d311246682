/** One <note> of a measure (pitch, timing, ties, marks) and the dynamics in force on it. */
import { AppError } from '../../shared/errors';
import type { DynamicMark, Hand, TimeSignature } from '../../shared/score';
import { child, childNumber, childText, childrenNamed, type XmlElement } from './xml-tree';
import {
  isMomentaryDynamic, readArticulations, readSpelling, readTies, readTuplet, typeLengthBeats,
} from './musicxml-notations';
import { spellingToMidi } from './pitch';
import type { WrittenNote } from './musicxml-types';

const EPS = 1e-6;

/** State that carries from measure to measure within one part. */
export interface PartState {
  partId: string;
  divisions: number;
  keyFifths: number;
  time: TimeSignature;
  transposeSemitones: number;
  handForStaff: (staff: number) => Hand;
  /** Lasting dynamic level per staff. */
  dynamicByStaff: Map<number, DynamicMark>;
  usedIds: Set<string>;
}

export interface DynamicEvent {
  staff: number | null;
  offsetBeats: number;
  mark: DynamicMark;
}

export interface NoteRead {
  /** How far the cursor moves (0 for chord members and grace notes). */
  advance: number;
  chord: boolean;
  written: WrittenNote | null;
}

export function readNote(
  el: XmlElement, state: PartState, context: { where: string; number: string }, indexInMeasure: number,
  cursor: number, lastOnset: number, nextOrder: () => number,
): NoteRead {
  const { where } = context;
  const grace = child(el, 'grace') !== undefined;
  const chord = child(el, 'chord') !== undefined;
  const tuplet = readTuplet(el);
  const dots = childrenNamed(el, 'dot').length;
  const noteType = childText(el, 'type');
  const durationDivs = childNumber(el, 'duration');
  let durationBeats = 0;
  if (!grace) {
    const fromType = typeLengthBeats(noteType, dots, tuplet);
    if (durationDivs !== undefined && durationDivs >= 0) durationBeats = durationDivs / state.divisions;
    else if (fromType !== undefined) durationBeats = fromType;
    else if (child(el, 'rest')?.attrs['measure'] === 'yes') durationBeats = (state.time.numerator * 4) / state.time.denominator;
    else throw new AppError('PARSE_ERROR', `${where}: note without duration`);
  }
  const advance = chord || grace ? 0 : durationBeats;
  const pitchEl = child(el, 'pitch');
  if (pitchEl === undefined) {
    if (child(el, 'rest') || child(el, 'unpitched')) return { advance, chord, written: null };
    throw new AppError('PARSE_ERROR', `${where}: note without pitch or rest`);
  }
  const spelling = readSpelling(pitchEl);
  if (spelling === undefined) throw new AppError('PARSE_ERROR', `${where}: pitch without a valid step and octave`);
  const pitch = spellingToMidi(spelling) + state.transposeSemitones;
  if (pitch < 0 || pitch > 127) throw new AppError('PARSE_ERROR', `${where}: pitch ${pitch} is outside MIDI range`);
  const staff = Math.max(1, Math.trunc(childNumber(el, 'staff') ?? 1));
  const voice = Math.trunc(childNumber(el, 'voice') ?? 1) || 1;
  const ties = readTies(el);
  const written: WrittenNote = {
    partId: state.partId,
    sourceId: uniqueId(el.attrs['id'] ?? `${state.partId}-m${context.number}-n${indexInMeasure + 1}`, state.usedIds),
    pitch,
    offsetBeats: chord ? lastOnset : cursor,
    durationBeats,
    staff,
    voice,
    hand: state.handForStaff(staff),
    grace,
    tieStart: ties.start && !grace,
    tieStop: ties.stop && !grace,
    articulations: readArticulations(el),
    spelling,
    order: nextOrder(),
  };
  if (noteType !== undefined) written.noteType = noteType;
  if (dots > 0) written.dots = dots;
  if (tuplet) written.tuplet = tuplet;
  return { advance, chord, written };
}

function uniqueId(candidate: string, used: Set<string>): string {
  let id = candidate;
  for (let k = 2; used.has(id); k++) id = `${candidate}~${k}`;
  used.add(id);
  return id;
}

/**
 * Gives each note the dynamic in force on its staff: the latest lasting mark at or before its
 * onset (carried over from earlier measures), or a momentary mark (sf, fp) exactly at its onset.
 */
export function applyDynamics(notes: WrittenNote[], events: DynamicEvent[], state: PartState): void {
  const sorted = [...events].sort((a, b) => a.offsetBeats - b.offsetBeats);
  const carried = new Map(state.dynamicByStaff);
  for (const note of notes) {
    let level = carried.get(note.staff);
    let accent: DynamicMark | undefined;
    for (const ev of sorted) {
      if (ev.offsetBeats > note.offsetBeats + EPS) break;
      if (ev.staff !== null && ev.staff !== note.staff) continue;
      if (isMomentaryDynamic(ev.mark)) {
        if (Math.abs(ev.offsetBeats - note.offsetBeats) < EPS) accent = ev.mark;
      } else level = ev.mark;
    }
    const dynamic = accent ?? level;
    if (dynamic !== undefined) note.dynamic = dynamic;
  }
  for (const ev of sorted) {
    if (isMomentaryDynamic(ev.mark)) continue;
    if (ev.staff !== null) state.dynamicByStaff.set(ev.staff, ev.mark);
    else for (let s = 1; s <= 4; s++) state.dynamicByStaff.set(s, ev.mark);
  }
}
