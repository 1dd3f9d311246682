/**
 * Draws display measures (measureLayout.ts) as a grand staff with VexFlow 5 into an SVG, wrapping
 * into systems that fit the width. Returns handles for live feedback: the SVG groups of every
 * score note's noteheads (for recolouring one note at a time) and x anchors for the cursor.
 */
import { Accidental, Beam, Dot, Formatter, Renderer, Stave, StaveConnector, StaveNote, StaveTie, Tuplet, Voice } from 'vexflow/bravura';
import type { StemmableNote } from 'vexflow/bravura';
import type { Anchor } from './cursor';
import { normalizeAnchors } from './cursor';
import type { DisplayEvent, DisplayMeasure, DisplayVoice } from './measureLayout';
import { keySignatureName, vexKey } from './spelling';
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

const STAFF_GAP = 80; // treble top line to bass top line
const SYSTEM_HEIGHT = 200; // one grand staff with room for ledger lines and bar numbers
const TOP_MARGIN = 20;
const LEFT_MARGIN = 10;
const MEASURE_PADDING = 36;
const CLEF_KEY_WIDTH_PER_ACCIDENTAL = 10;

interface BuiltMeasure {
  display: DisplayMeasure;
  voices: { voice: Voice; staff: 1 | 2; notes: StaveNote[]; events: DisplayEvent[] }[];
  beams: Beam[];
  tuplets: Tuplet[];
  minWidth: number;
}

function buildEventNote(event: DisplayEvent, staff: 1 | 2, stemDirection: number | null): StaveNote {
  const clef = staff === 1 ? 'treble' : 'bass';
  const duration = `${event.value.code}${event.kind === 'rest' ? 'r' : ''}`;
  const keys = event.kind === 'rest' ? [staff === 1 ? 'b/4' : 'd/3'] : event.keys.map((k) => vexKey(k.spelled));
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

function tupletsOf(notes: StaveNote[], events: DisplayEvent[]): Tuplet[] {
  const tuplets: Tuplet[] = [];
  let run: StaveNote[] = [];
  const flush = (): void => {
    // Group runs of triplet events in threes; a shorter tail still gets its bracket.
    for (let i = 0; i < run.length; i += 3) {
      const group = run.slice(i, i + 3);
      tuplets.push(new Tuplet(group, { numNotes: 3, notesOccupied: 2, bracketed: true }));
    }
    run = [];
  };
  events.forEach((e, i) => {
    const n = notes[i];
    if (e.triplet && n) run.push(n);
    else flush();
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
      const notes = dv.events.map((e) => buildEventNote(e, staff, stem));
      const voice = new Voice({ numBeats: numerator, beatValue: denominator }).setMode(Voice.Mode.SOFT);
      voice.addTickables(notes);
      tuplets.push(...tupletsOf(notes, dv.events));
      const beamable = notes.filter((n, k) => dv.events[k]?.kind === 'note') as StemmableNote[];
      if (beamable.length > 1) {
        beams.push(
          ...Beam.generateBeams(beamable, {
            groups: Beam.getDefaultBeamGroups(`${numerator}/${denominator}`),
            ...(stem !== null ? { stemDirection: stem } : {}),
            maintainStemDirections: stem !== null,
          }),
        );
      }
      voices.push({ voice, staff, notes, events: dv.events });
    });
  }
  const formatter = new Formatter();
  const all = voices.map((v) => v.voice);
  const minWidth = all.length > 0 ? formatter.preCalculateMinTotalWidth(all) : 40;
  return { display, voices, beams, tuplets, minWidth: Math.max(60, minWidth * 1.25 + MEASURE_PADDING) };
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
  const widths = built.map((b, i) => b.minWidth + (i > 0 && (b.display.keyChanged || b.display.timeChanged) ? 40 : 0));
  const plans = breakIntoSystems(widths, layoutWidth, first ? headerWidth(first, false) : 0);

  const renderer = new Renderer(container as HTMLDivElement, Renderer.Backends.SVG);
  const height = TOP_MARGIN + plans.length * SYSTEM_HEIGHT + 20;
  renderer.resize(Math.ceil(layoutWidth + LEFT_MARGIN * 2) * zoom, Math.ceil(height * zoom));
  const ctx = renderer.getContext();
  ctx.scale(zoom, zoom);

  const noteHeads = new Map<string, NoteHeadRef[]>();
  const measureBoxes: MeasureBox[] = [];
  const systems: SystemBox[] = [];
  const staveNotesById = new Map<string, { note: StaveNote; index: number }[]>();

  plans.forEach((plan, systemIndex) => {
    const y = TOP_MARGIN + systemIndex * SYSTEM_HEIGHT;
    systems.push({ top: y, bottom: y + SYSTEM_HEIGHT });
    let x = LEFT_MARGIN;
    plan.measures.forEach((mi, k) => {
      const b = built[mi];
      const w = plan.widths[k] ?? 100;
      if (!b) return;
      const d = b.display;
      const treble = new Stave(x, y, w);
      const bass = new Stave(x, y + STAFF_GAP, w);
      if (k === 0) {
        treble.addClef('treble').addKeySignature(keySignatureName(d.keyFifths));
        bass.addClef('bass').addKeySignature(keySignatureName(d.keyFifths));
      } else if (d.keyChanged) {
        treble.addKeySignature(keySignatureName(d.keyFifths));
        bass.addKeySignature(keySignatureName(d.keyFifths));
      }
      if (d.timeChanged) {
        treble.addTimeSignature(`${d.timeSignature.numerator}/${d.timeSignature.denominator}`);
        bass.addTimeSignature(`${d.timeSignature.numerator}/${d.timeSignature.denominator}`);
      }
      treble.setMeasure(Number.parseInt(d.number, 10) || d.index + 1);
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
          e.keys.forEach((key, ki) => {
            const head = note.noteHeads[ki];
            const el = head?.getSVGElement() as SVGGElement | undefined;
            if (el && head) {
              el.classList.add('sn-note');
              el.dataset.noteId = key.noteId;
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
