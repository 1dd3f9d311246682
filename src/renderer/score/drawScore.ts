/**
 * Draws display measures (measureLayout.ts) as a grand staff with VexFlow 5 into an SVG, wrapping
 * into systems that fit the width. Returns handles for live feedback: the SVG groups of every
 * score note's noteheads (for recolouring one note at a time) and x anchors for the cursor.
 */
import { Accidental, Beam, Dot, Formatter, GhostNote, GraceNote, GraceNoteGroup, Renderer, Stave, StaveConnector, StaveNote, StaveTie, Tuplet, Voice } from 'vexflow/bravura';
import type { StemmableNote, Tickable } from 'vexflow/bravura';
import type { Clef } from './clefs';
import type { Anchor } from './cursor';
import { normalizeAnchors } from './cursor';
import type { DisplayEvent, DisplayMeasure, DisplayVoice } from './measureLayout';
import type { DisplayGrace } from './graceLayout';
import { graceSlash } from './graceLayout';
import { keySignatureName, vexKey } from './spelling';
import { LINE_SPACING, MIN_STAFF_GAP, systemSpacing } from './spacing';
import { breakIntoSystems } from './systems';

export interface NoteHeadRef {
  element: SVGGElement;
  /** Notehead centre line and left edge in layout units (glyph bounding boxes include the
   *  music font's tall line box, so they cannot place marks). */
  x: number;
  y: number;
  width: number;
  /** The system (line) the notehead is on, for scrolling it into view. */
  system: number;
}

export interface SystemBox {
  top: number;
  bottom: number;
  /** Top line of the upper staff and bottom line of the lower staff. */
  staffTop: number;
  staffBottom: number;
}

export interface MeasureBox {
  system: number;
  x: number;
  width: number;
  /** Onset anchors in absolute beats for the cursor, sorted, with the bar's end as the last one. */
  anchors: Anchor[];
}

export interface DrawnScore {
  svg: SVGSVGElement;
  /** Every notehead drawn for a score note (struck head first, then tied continuations). */
  noteHeads: Map<string, NoteHeadRef[]>;
  measures: MeasureBox[];
  systems: SystemBox[];
  /** Layout units (the SVG viewBox) per CSS pixel is 1/zoom. */
  zoom: number;
}

const STAFF_HEIGHT = 4 * LINE_SPACING;
const STAVE_TOP_PAD = 4 * LINE_SPACING; // VexFlow puts the top line this far below the stave's y
const TOP_MARGIN = 10;
const LEFT_MARGIN = 10;
const MEASURE_PADDING = 36;
const CLEF_KEY_WIDTH_PER_ACCIDENTAL = 10;
const GRACE_WIDTH = 14;

interface BuiltMeasure {
  display: DisplayMeasure;
  voices: { voice: Voice; staff: 1 | 2; notes: Tickable[]; events: DisplayEvent[]; graceNotes: Map<number, GraceNote[]> }[];
  beams: Beam[];
  tuplets: Tuplet[];
  minWidth: number;
}

/** Rest positions: the middle line alone, or above/below it when two voices share the staff. */
function restKey(clef: Clef, stemDirection: number | null): string {
  if (clef === 'treble') return stemDirection === 1 ? 'e/5' : stemDirection === -1 ? 'f/4' : 'b/4';
  return stemDirection === 1 ? 'g/3' : stemDirection === -1 ? 'a/2' : 'd/3';
}

function buildEventNote(event: DisplayEvent, clef: Clef, stemDirection: number | null, secondaryVoice: boolean): Tickable {
  const duration = `${event.value.code}${event.kind === 'rest' ? 'r' : ''}`;
  // Rests that only pad a second voice are left invisible, as engravers do.
  if (event.kind === 'rest' && secondaryVoice) {
    const ghost = new GhostNote({ duration: event.value.code, dots: event.value.dots });
    if (event.value.dots > 0) Dot.buildAndAttach([ghost], { all: true });
    return ghost;
  }
  const keys = event.kind === 'rest' ? [restKey(clef, stemDirection)] : event.keys.map((k) => vexKey(k.spelled));
  const note = new StaveNote({
    keys,
    duration,
    dots: event.value.dots,
    clef,
    ...(stemDirection !== null ? { stemDirection } : { autoStem: true }),
    ...(event.fullBar ? { alignCenter: true } : {}),
  });
  event.keys.forEach((k, i) => {
    if (k.accidental) note.addModifier(new Accidental(k.accidental), i);
  });
  if (event.value.dots > 0) Dot.buildAndAttach([note], { all: true });
  return note;
}

/** Small notes in front of `main`, beamed when there are several, slurred to it like printed graces. */
function attachGraceNotes(main: StaveNote, graces: readonly DisplayGrace[], clef: Clef): GraceNote[] {
  const slash = graceSlash(graces);
  const notes = graces.map((g) => {
    const grace = new GraceNote({ keys: [vexKey(g.spelled)], duration: g.code, clef, slash, stemDirection: 1 });
    if (g.accidental) grace.addModifier(new Accidental(g.accidental), 0);
    return grace;
  });
  const group = new GraceNoteGroup(notes, true);
  if (notes.length > 1) group.beamNotes();
  main.addModifier(group, 0);
  return notes;
}

function tupletsOf(notes: Tickable[], events: DisplayEvent[]): Tuplet[] {
  const tuplets: Tuplet[] = [];
  let run: Tickable[] = [];
  let ratio: DisplayEvent['tuplet'] = null;
  const flush = (): void => {
    // Runs of events with the same ratio, grouped by `actual` notes; a shorter tail keeps its bracket.
    if (ratio) {
      for (let i = 0; i < run.length; i += ratio.actual) {
        const group = run.slice(i, i + ratio.actual);
        tuplets.push(new Tuplet(group as StaveNote[], { numNotes: ratio.actual, notesOccupied: ratio.normal, bracketed: true }));
      }
    }
    run = [];
    ratio = null;
  };
  events.forEach((e, i) => {
    const n = notes[i];
    if (!e.tuplet || !n) {
      flush();
      return;
    }
    if (ratio && (ratio.actual !== e.tuplet.actual || ratio.normal !== e.tuplet.normal)) flush();
    ratio = e.tuplet;
    run.push(n);
  });
  flush();
  return tuplets;
}

function buildMeasure(display: DisplayMeasure): BuiltMeasure {
  const { numerator, denominator } = display.timeSignature;
  const voices: BuiltMeasure['voices'] = [];
  const beams: Beam[] = [];
  const tuplets: Tuplet[] = [];
  for (const staff of [1, 2] as const) {
    const staffVoices = display.voices.filter((v) => v.staff === staff);
    staffVoices.forEach((dv: DisplayVoice, i) => {
      // Two or more voices on a staff: the first stems up, the others down, so they stay apart.
      const stem = staffVoices.length > 1 ? (i === 0 ? 1 : -1) : null;
      const notes = dv.events.map((e) => buildEventNote(e, display.clefs[staff], stem, i > 0));
      const graceNotes = new Map<number, GraceNote[]>();
      dv.events.forEach((e, k) => {
        const main = notes[k];
        if (e.graces?.length && main instanceof StaveNote) graceNotes.set(k, attachGraceNotes(main, e.graces, display.clefs[staff]));
      });
      const voice = new Voice({ numBeats: numerator, beatValue: denominator }).setMode(Voice.Mode.SOFT);
      voice.addTickables(notes);
      tuplets.push(...tupletsOf(notes, dv.events));
      const beamable = notes.filter((_n, k) => dv.events[k]?.kind === 'note') as StemmableNote[];
      if (beamable.length > 1) {
        beams.push(
          ...Beam.generateBeams(beamable, {
            groups: Beam.getDefaultBeamGroups(`${numerator}/${denominator}`),
            ...(stem !== null ? { stemDirection: stem } : {}),
            maintainStemDirections: stem !== null,
          }),
        );
      }
      voices.push({ voice, staff, notes, events: dv.events, graceNotes });
    });
  }
  const formatter = new Formatter();
  const all = voices.map((v) => v.voice);
  const minWidth = all.length > 0 ? formatter.preCalculateMinTotalWidth(all) : 40;
  // Grace notes sit in front of their beat and push the later beats together: give them room.
  const graceCount = Math.max(0, ...voices.map((v) => [...v.graceNotes.values()].reduce((n, g) => n + g.length, 0)));
  return { display, voices, beams, tuplets, minWidth: Math.max(60, minWidth * 1.25 + MEASURE_PADDING + graceCount * GRACE_WIDTH) };
}

function headerWidth(display: DisplayMeasure, withTime: boolean): number {
  const clefAndKey = 40 + Math.abs(display.keyFifths) * CLEF_KEY_WIDTH_PER_ACCIDENTAL;
  return clefAndKey + (withTime ? 30 : 0);
}

/** Draws the whole score into `container` (emptied first). `width` is in CSS pixels. */
export function drawScore(container: HTMLElement, measures: DisplayMeasure[], width: number, zoom: number): DrawnScore {
  container.replaceChildren();
  const layoutWidth = Math.max(300, width / zoom) - LEFT_MARGIN * 2;
  const built = measures.map(buildMeasure);
  const first = measures[0];
  const clefChanged = (i: number): boolean => {
    const prev = measures[i - 1]?.clefs;
    const cur = measures[i]?.clefs;
    return !!prev && !!cur && (prev[1] !== cur[1] || prev[2] !== cur[2]);
  };
  const widths = built.map((b, i) => b.minWidth + (i > 0 && (b.display.keyChanged || b.display.timeChanged) ? 40 : 0) + (clefChanged(i) ? 25 : 0));
  const plans = breakIntoSystems(widths, layoutWidth, first ? headerWidth(first, false) : 0);

  const renderer = new Renderer(container as HTMLDivElement, Renderer.Backends.SVG);
  const spacings = plans.map((plan) => systemSpacing(plan.measures.map((mi) => measures[mi]).filter((m): m is DisplayMeasure => m !== undefined)));
  const height = TOP_MARGIN + spacings.reduce((h, sp) => h + sp.aboveTreble + 2 * STAFF_HEIGHT + sp.gap + sp.belowBass, 0) + 10;
  renderer.resize(Math.ceil(layoutWidth + LEFT_MARGIN * 2) * zoom, Math.ceil(height * zoom));
  const ctx = renderer.getContext();
  ctx.scale(zoom, zoom);

  const noteHeads = new Map<string, NoteHeadRef[]>();
  const measureBoxes: MeasureBox[] = [];
  const systems: SystemBox[] = [];
  const staveNotesById = new Map<string, { note: StaveNote; index: number }[]>();

  let systemTop = TOP_MARGIN;
  plans.forEach((plan, systemIndex) => {
    const sp = spacings[systemIndex] ?? { aboveTreble: 35, gap: MIN_STAFF_GAP, belowBass: 30 };
    const trebleTopLine = systemTop + sp.aboveTreble;
    const bassTopLine = trebleTopLine + STAFF_HEIGHT + sp.gap;
    const systemBottom = bassTopLine + STAFF_HEIGHT + sp.belowBass;
    systems.push({ top: systemTop, bottom: systemBottom, staffTop: trebleTopLine, staffBottom: bassTopLine + STAFF_HEIGHT });
    systemTop = systemBottom;
    let x = LEFT_MARGIN;
    plan.measures.forEach((mi, k) => {
      const b = built[mi];
      const w = plan.widths[k] ?? 100;
      if (!b) return;
      const d = b.display;
      const treble = new Stave(x, trebleTopLine - STAVE_TOP_PAD, w);
      const bass = new Stave(x, bassTopLine - STAVE_TOP_PAD, w);
      const prevClefs = measures[mi - 1]?.clefs;
      if (k === 0) {
        treble.addClef(d.clefs[1]).addKeySignature(keySignatureName(d.keyFifths));
        bass.addClef(d.clefs[2]).addKeySignature(keySignatureName(d.keyFifths));
      } else {
        // A clef change inside a line is drawn small at the start of its bar.
        if (prevClefs && prevClefs[1] !== d.clefs[1]) treble.addClef(d.clefs[1], 'small');
        if (prevClefs && prevClefs[2] !== d.clefs[2]) bass.addClef(d.clefs[2], 'small');
      }
      if (k > 0 && d.keyChanged) {
        treble.addKeySignature(keySignatureName(d.keyFifths));
        bass.addKeySignature(keySignatureName(d.keyFifths));
      }
      if (d.timeChanged) {
        treble.addTimeSignature(`${d.timeSignature.numerator}/${d.timeSignature.denominator}`);
        bass.addTimeSignature(`${d.timeSignature.numerator}/${d.timeSignature.denominator}`);
      }
      const printed = Number.parseInt(d.number, 10);
      treble.setMeasure(Number.isNaN(printed) ? d.index + 1 : printed);
      treble.setContext(ctx).draw();
      bass.setContext(ctx).draw();
      if (k === 0) {
        new StaveConnector(treble, bass).setType('brace').setContext(ctx).draw();
        new StaveConnector(treble, bass).setType('singleLeft').setContext(ctx).draw();
      }
      new StaveConnector(treble, bass).setType('singleRight').setContext(ctx).draw();

      const trebleVoices = b.voices.filter((v) => v.staff === 1);
      const bassVoices = b.voices.filter((v) => v.staff === 2);
      for (const v of trebleVoices) v.voice.setStave(treble);
      for (const v of bassVoices) v.voice.setStave(bass);
      const formatter = new Formatter();
      if (trebleVoices.length) formatter.joinVoices(trebleVoices.map((v) => v.voice));
      if (bassVoices.length) formatter.joinVoices(bassVoices.map((v) => v.voice));
      const justify = Math.max(20, treble.getNoteEndX() - treble.getNoteStartX() - 14);
      formatter.format(b.voices.map((v) => v.voice), justify);
      for (const v of b.voices) v.voice.draw(ctx, v.staff === 1 ? treble : bass);
      for (const beam of b.beams) beam.setContext(ctx).draw();
      for (const t of b.tuplets) t.setContext(ctx).draw();

      const anchors: Anchor[] = [];
      for (const v of b.voices) {
        v.notes.forEach((note, i) => {
          const e = v.events[i];
          if (!e) return;
          anchors.push({ beats: d.startBeats + e.onset, x: note.getAbsoluteX() });
          if (!(note instanceof StaveNote)) return;
          (v.graceNotes.get(i) ?? []).forEach((grace, gi) => {
            const g = e.graces?.[gi];
            const head = grace.noteHeads[0];
            const el = head?.getSVGElement() as SVGGElement | undefined;
            if (!g || !head || !el) return;
            el.classList.add('sn-note', 'sn-grace');
            el.dataset.noteId = g.noteId;
            el.dataset.hand = g.hand;
            noteHeads.set(g.noteId, [{ element: el, system: systemIndex, x: head.getAbsoluteX(), y: head.getY(), width: head.getWidth() }]);
          });
          e.keys.forEach((key, ki) => {
            const head = note.noteHeads[ki];
            const el = head?.getSVGElement() as SVGGElement | undefined;
            if (el && head) {
              el.classList.add('sn-note');
              el.dataset.noteId = key.noteId;
              el.dataset.hand = key.hand;
              const refs = noteHeads.get(key.noteId) ?? [];
              const ref: NoteHeadRef = { element: el, system: systemIndex, x: head.getAbsoluteX(), y: head.getY(), width: head.getWidth() };
              // The struck head goes first so verdict marks attach to it.
              if (key.struck) refs.unshift(ref);
              else refs.push(ref);
              noteHeads.set(key.noteId, refs);
            }
            const list = staveNotesById.get(key.noteId) ?? [];
            list.push({ note, index: ki });
            staveNotesById.set(key.noteId, list);
          });
        });
      }
      const sorted = normalizeAnchors(anchors);
      sorted.push({ beats: d.startBeats + d.durationBeats, x: x + w - 8 });
      measureBoxes[mi] = { system: systemIndex, x, width: w, anchors: sorted };
      x += w;
    });
  });

  // Ties join consecutive written pieces of the same score note (within a bar or across bars).
  for (const pieces of staveNotesById.values()) {
    for (let i = 0; i + 1 < pieces.length; i++) {
      const a = pieces[i];
      const b = pieces[i + 1];
      if (!a || !b) continue;
      const sameSystem = a.note.getStave()?.getY() === b.note.getStave()?.getY();
      if (sameSystem) {
        new StaveTie({ firstNote: a.note, lastNote: b.note, firstIndexes: [a.index], lastIndexes: [b.index] }).setContext(ctx).draw();
      } else {
        new StaveTie({ firstNote: a.note, lastNote: null, firstIndexes: [a.index], lastIndexes: [a.index] }).setContext(ctx).draw();
        new StaveTie({ firstNote: null, lastNote: b.note, firstIndexes: [b.index], lastIndexes: [b.index] }).setContext(ctx).draw();
      }
    }
  }

  const svg = container.querySelector('svg') as SVGSVGElement;
  return { svg, noteHeads, measures: measureBoxes, systems, zoom };
}
