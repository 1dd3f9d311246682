/**
 * Reads a partwise MusicXML element tree into written order (WrittenScore): per measure, the notes
 * of all parts with onsets inside the measure, tempo marks, key/time, and navigation marks.
 * Playing order (repeats) and seconds are computed afterwards in musicxml.ts.
 */
import { AppError } from '../../shared/errors';
import type { Hand, PartInfo, TimeSignature } from '../../shared/score';
import { child, childNumber, childText, childrenNamed, descendants, type XmlElement } from './xml-tree';
import { parseEndingNumbers, readDynamic, readMetronomeQpm } from './musicxml-notations';
import { emptyNavigation, type WrittenMeasure, type WrittenNote, type WrittenScore } from './musicxml-types';
import { applyDynamics, readNote, type DynamicEvent, type PartState } from './musicxml-note';

const EPS = 1e-6;

export function readWrittenScore(root: XmlElement): WrittenScore {
  const partList = child(root, 'part-list');
  const partNames = new Map<string, string>();
  for (const scorePart of partList ? childrenNamed(partList, 'score-part') : []) {
    partNames.set(scorePart.attrs['id'] ?? '', childText(scorePart, 'part-name') ?? '');
  }
  const partElements = childrenNamed(root, 'part');
  if (partElements.length === 0) throw new AppError('PARSE_ERROR', 'MusicXML has no <part> element');

  const parts: PartInfo[] = [];
  const measures: WrittenMeasure[] = [];
  let order = 0;
  partElements.forEach((partEl, partIndex) => {
    const partId = partEl.attrs['id'] ?? `P${partIndex + 1}`;
    const name = partNames.get(partId) ?? '';
    const measureEls = childrenNamed(partEl, 'measure');
    const staves = countStaves(partEl);
    parts.push({ id: partId, name, staves });
    const state: PartState = {
      partId,
      divisions: 1,
      keyFifths: 0,
      time: { numerator: 4, denominator: 4 },
      transposeSemitones: 0,
      handForStaff: handAssignment(name, staves, partEl, partIndex, partElements.length),
      dynamicByStaff: new Map(),
      usedIds: new Set(),
    };
    measureEls.forEach((measureEl, measureIndex) => {
      const read = readMeasure(measureEl, measureIndex, state, () => order++);
      const existing = measures[measureIndex];
      if (existing === undefined) measures[measureIndex] = read;
      else mergeMeasure(existing, read);
    });
  });
  return { title: readTitle(root), composer: readComposer(root), parts, measures };
}

/** Files often omit <staves> while using <staff>2</staff>: count what is used. */
function countStaves(partEl: XmlElement): number {
  let staves = 1;
  for (const el of descendants(partEl, 'staves')) staves = Math.max(staves, Number(el.text) || 1);
  for (const el of descendants(partEl, 'staff')) staves = Math.max(staves, Number(el.text) || 1);
  for (const el of descendants(partEl, 'clef')) staves = Math.max(staves, Number(el.attrs['number']) || 1);
  return Math.min(staves, 8);
}

function readTitle(root: XmlElement): string {
  const work = child(root, 'work');
  const workTitle = work ? childText(work, 'work-title') : undefined;
  const movement = childText(root, 'movement-title');
  const titleCredit = childrenNamed(root, 'credit')
    .find((c) => childText(c, 'credit-type') === 'title')
    ?.children.find((c) => c.name === 'credit-words')?.text;
  return (workTitle || movement || titleCredit || 'Untitled').trim();
}

function readComposer(root: XmlElement): string {
  const identification = child(root, 'identification');
  const creators = identification ? childrenNamed(identification, 'creator') : [];
  const composer = creators.find((c) => c.attrs['type'] === 'composer') ?? creators[0];
  return composer?.text ?? '';
}

/** Staff 1 is the right hand and lower staves the left, unless a one-staff part is clearly a left-hand part. */
function handAssignment(
  name: string, staves: number, partEl: XmlElement, partIndex: number, partCount: number,
): (staff: number) => Hand {
  if (staves >= 2) return (staff) => (staff >= 2 ? 'left' : 'right');
  const firstClef = descendants(partEl, 'clef')[0];
  const bassClef = firstClef !== undefined && childText(firstClef, 'sign') === 'F';
  const namedLeft = /\bleft\b|\bl\.\s*h\b|\blh\b|links|gauche|\bbass\b/i.test(name);
  const left = namedLeft || (partCount > 1 && partIndex > 0 && bassClef);
  return () => (left ? 'left' : 'right');
}

function mergeMeasure(into: WrittenMeasure, from: WrittenMeasure): void {
  into.notes.push(...from.notes);
  for (const tempo of from.tempos) {
    if (!into.tempos.some((t) => Math.abs(t.offsetBeats - tempo.offsetBeats) < EPS)) into.tempos.push(tempo);
  }
  into.contentBeats = Math.max(into.contentBeats, from.contentBeats);
  const a = into.navigation;
  const b = from.navigation;
  a.forwardRepeat ||= b.forwardRepeat;
  a.backwardRepeatTimes ??= b.backwardRepeatTimes;
  a.endingStartNumbers ??= b.endingStartNumbers;
  a.endingStops ||= b.endingStops;
  a.segno ||= b.segno;
  a.coda ||= b.coda;
  a.toCoda ||= b.toCoda;
  a.daCapo ||= b.daCapo;
  a.dalSegno ||= b.dalSegno;
  a.fine ||= b.fine;
  a.codaSigns = Math.max(a.codaSigns, b.codaSigns);
}

function readMeasure(measureEl: XmlElement, index: number, state: PartState, nextOrder: () => number): WrittenMeasure {
  const number = measureEl.attrs['number'] ?? String(index + 1);
  const where = `measure ${number} (part ${state.partId})`;
  const notes: WrittenNote[] = [];
  const tempos: { offsetBeats: number; qpm: number }[] = [];
  const dynamics: DynamicEvent[] = [];
  const nav = emptyNavigation();
  let cursor = 0;
  let contentEnd = 0;
  let lastOnset = 0;
  let noteCount = 0;
  let keyAtStart: number | null = null;
  let timeAtStart: TimeSignature | null = null;

  const readSound = (sound: XmlElement, offsetBeats: number): void => {
    const tempo = Number(sound.attrs['tempo']);
    if (sound.attrs['tempo'] !== undefined && Number.isFinite(tempo) && tempo > 0) tempos.push({ offsetBeats, qpm: tempo });
    if (sound.attrs['segno'] !== undefined) nav.segno = true;
    if (sound.attrs['coda'] !== undefined) nav.coda = true;
    if (sound.attrs['tocoda'] !== undefined) nav.toCoda = true;
    if (sound.attrs['dacapo'] === 'yes') nav.daCapo = true;
    if (sound.attrs['dalsegno'] !== undefined) nav.dalSegno = true;
    if (sound.attrs['fine'] !== undefined) nav.fine = true;
  };

  for (const el of measureEl.children) {
    switch (el.name) {
      case 'attributes': {
        const divisions = childNumber(el, 'divisions');
        if (divisions !== undefined && divisions > 0) state.divisions = divisions;
        const key = child(el, 'key');
        const fifths = key ? childNumber(key, 'fifths') : undefined;
        if (fifths !== undefined) state.keyFifths = Math.max(-7, Math.min(7, Math.trunc(fifths)));
        const time = child(el, 'time');
        if (time) {
          const beats = (childText(time, 'beats') ?? '').split('+').reduce((sum, b) => sum + (Number(b) || 0), 0);
          const beatType = childNumber(time, 'beat-type');
          if (beats > 0 && beatType !== undefined && beatType > 0) state.time = { numerator: beats, denominator: beatType };
        }
        const transpose = child(el, 'transpose');
        if (transpose) {
          state.transposeSemitones = (childNumber(transpose, 'chromatic') ?? 0) + 12 * (childNumber(transpose, 'octave-change') ?? 0);
        }
        if (cursor < EPS) {
          keyAtStart = state.keyFifths;
          timeAtStart = { ...state.time };
        }
        break;
      }
      case 'backup':
        cursor = Math.max(0, cursor - (childNumber(el, 'duration') ?? 0) / state.divisions);
        break;
      case 'forward':
        cursor += (childNumber(el, 'duration') ?? 0) / state.divisions;
        contentEnd = Math.max(contentEnd, cursor);
        break;
      case 'direction': {
        const offset = cursor + (childNumber(el, 'offset') ?? 0) / state.divisions;
        const sound = child(el, 'sound');
        if (sound) readSound(sound, Math.max(0, offset));
        if (!sound?.attrs['tempo']) {
          const qpm = readMetronomeQpm(el);
          if (qpm !== undefined) tempos.push({ offsetBeats: Math.max(0, offset), qpm });
        }
        const mark = readDynamic(el);
        const staff = childNumber(el, 'staff');
        if (mark !== undefined) dynamics.push({ staff: staff ?? null, offsetBeats: cursor, mark });
        if (descendants(el, 'segno').length > 0) nav.segno = true;
        nav.codaSigns += descendants(el, 'coda').length;
        for (const words of descendants(el, 'words')) readNavigationWords(words.text, nav);
        break;
      }
      case 'sound':
        readSound(el, cursor);
        break;
      case 'barline':
        readBarline(el, nav);
        break;
      case 'note': {
        const note = readNote(el, state, { where, number }, noteCount, cursor, lastOnset, nextOrder);
        noteCount++;
        // Chord members (grace chords too) start where the previous chord head started.
        if (!note.chord) lastOnset = cursor;
        cursor += note.advance;
        contentEnd = Math.max(contentEnd, cursor);
        if (note.written) notes.push(note.written);
        break;
      }
      default:
        break;
    }
  }
  applyDynamics(notes, dynamics, state);
  const time = timeAtStart ?? state.time;
  return {
    number,
    notes,
    tempos,
    contentBeats: contentEnd,
    nominalBeats: (time.numerator * 4) / time.denominator,
    timeSignature: time,
    keyFifths: keyAtStart ?? state.keyFifths,
    navigation: nav,
  };
}

/**
 * Navigation written only as text (no <sound> attributes), recognised when the words are
 * nothing but the instruction: "D.C.", "D.C. al Fine", "Da Capo al Coda", "D.S. al Fine",
 * "Dal Segno", "Fine", "To Coda".
 */
function readNavigationWords(text: string, nav: ReturnType<typeof emptyNavigation>): void {
  const words = text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (/^(?:d\.? ?c\.?|da capo)(?: al (?:fine|coda))?\.?$/.test(words)) nav.daCapo = true;
  else if (/^(?:d\.? ?s\.?|dal segno)(?: al (?:fine|coda))?\.?$/.test(words)) nav.dalSegno = true;
  else if (words === 'fine') nav.fine = true;
  else if (/^(?:to coda|al coda)$/.test(words)) nav.toCoda = true;
}

function readBarline(el: XmlElement, nav: ReturnType<typeof emptyNavigation>): void {
  const repeat = child(el, 'repeat');
  if (repeat?.attrs['direction'] === 'forward') nav.forwardRepeat = true;
  if (repeat?.attrs['direction'] === 'backward') {
    const times = Number(repeat.attrs['times']);
    nav.backwardRepeatTimes = Number.isFinite(times) && times >= 1 ? Math.min(times, 16) : 2;
  }
  const ending = child(el, 'ending');
  if (ending?.attrs['type'] === 'start') nav.endingStartNumbers = parseEndingNumbers(ending.attrs['number']);
  if (ending?.attrs['type'] === 'stop' || ending?.attrs['type'] === 'discontinue') nav.endingStops = true;
  if (child(el, 'segno')) nav.segno = true;
  if (child(el, 'coda')) nav.codaSigns += 1;
}

