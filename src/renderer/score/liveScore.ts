/**
 * The score on screen during practice: draws once per size/zoom, then applies feedback one note
 * at a time (a class on that note's SVG groups, plus small marks), and moves a cursor. Verdicts
 * are remembered so a redraw (resize, zoom) restores them.
 */
import type { Score } from '../../shared/score';
import type { NoteVerdictKind } from '../../shared/evaluation';
import { xForBeats } from './cursor';
import type { DrawnScore } from './drawScore';
import { drawScore } from './drawScore';
import type { DisplayMeasure } from './measureLayout';
import { layoutMeasures, measureIndexAt } from './measureLayout';
import { pitchName, timingMark } from './marks';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface NoteMark {
  verdict: NoteVerdictKind;
  timingErrorMs: number | null;
  playedPitch: number | null;
}

interface ExtraMark {
  pitch: number;
  positionBeats: number;
}

export class LiveScore {
  private readonly measures: DisplayMeasure[];
  private drawn: DrawnScore | null = null;
  private overlay: SVGGElement | null = null;
  private cursor: SVGRectElement | null = null;
  private readonly marks = new Map<string, NoteMark>();
  private readonly extras: ExtraMark[] = [];
  private cursorBeats: number | null = null;
  private waiting: string[] = [];
  private loop: { from: number; to: number } | null = null;
  private loopLayer: SVGGElement | null = null;
  /** Text marks drawn for each note, replaced when the note is marked again (live, then final). */
  private readonly noteMarkElements = new Map<string, SVGTextElement[]>();

  private readonly onsets: Map<string, number>;

  constructor(
    private readonly container: HTMLElement,
    private readonly score: Score,
  ) {
    this.measures = layoutMeasures(score);
    this.onsets = new Map(score.notes.map((n) => [n.id, n.onsetBeats]));
  }

  /** Written onset of a score note in beats (playing order), if the note exists. */
  onsetOf(noteId: string): number | undefined {
    return this.onsets.get(noteId);
  }

  render(width: number, zoom: number): void {
    this.drawn = drawScore(this.container, this.measures, width, zoom);
    this.noteMarkElements.clear();
    this.overlay = document.createElementNS(SVG_NS, 'g');
    this.overlay.setAttribute('class', 'sn-overlay');
    this.drawn.svg.appendChild(this.overlay);
    // Loop shading sits under everything else.
    this.loopLayer = document.createElementNS(SVG_NS, 'g');
    this.loopLayer.setAttribute('class', 'sn-loop');
    this.drawn.svg.insertBefore(this.loopLayer, this.drawn.svg.firstChild);
    this.cursor = document.createElementNS(SVG_NS, 'rect');
    this.cursor.setAttribute('class', 'sn-cursor');
    this.cursor.setAttribute('width', '14');
    this.cursor.setAttribute('rx', '3');
    this.cursor.setAttribute('visibility', 'hidden');
    this.loopLayer.after(this.cursor);
    for (const [id, mark] of this.marks) this.paint(id, mark);
    for (const extra of this.extras) this.paintExtra(extra);
    if (this.cursorBeats !== null) this.setCursor(this.cursorBeats);
    this.setWaiting(this.waiting);
    this.setLoop(this.loop);
  }

  /** Wait mode: highlights the notes the follower waits for (replacing the previous set). */
  setWaiting(noteIds: readonly string[]): void {
    for (const id of this.waiting) for (const ref of this.drawn?.noteHeads.get(id) ?? []) ref.element.classList.remove('sn-waiting');
    this.waiting = [...noteIds];
    for (const id of this.waiting) for (const ref of this.drawn?.noteHeads.get(id) ?? []) ref.element.classList.add('sn-waiting');
  }

  /** Shades the looped bars (inclusive measure indices), or clears the shading. */
  setLoop(loop: { from: number; to: number } | null): void {
    this.loop = loop;
    const layer = this.loopLayer;
    const drawn = this.drawn;
    if (!layer || !drawn) return;
    layer.replaceChildren();
    if (!loop) return;
    for (let mi = loop.from; mi <= loop.to; mi++) {
      const box = drawn.measures[mi];
      const system = box ? drawn.systems[box.system] : undefined;
      if (!box || !system) continue;
      const rect = document.createElementNS(SVG_NS, 'rect');
      rect.setAttribute('x', String(box.x));
      rect.setAttribute('y', String(system.staffTop - 18));
      rect.setAttribute('width', String(box.width));
      rect.setAttribute('height', String(system.staffBottom - system.staffTop + 36));
      layer.appendChild(rect);
    }
  }

  /** Colours one score note; O(1) in the size of the score. */
  markNote(noteId: string, mark: NoteMark): void {
    this.marks.set(noteId, mark);
    this.paint(noteId, mark);
  }

  markExtra(pitch: number, positionBeats: number): void {
    const extra = { pitch, positionBeats };
    this.extras.push(extra);
    this.paintExtra(extra);
  }

  /** Removes every verdict, mark and the cursor without redrawing the score. */
  clearMarks(): void {
    for (const id of this.marks.keys()) {
      for (const ref of this.drawn?.noteHeads.get(id) ?? []) ref.element.classList.remove('sn-correct', 'sn-wrong', 'sn-missed');
    }
    this.marks.clear();
    this.noteMarkElements.clear();
    this.extras.length = 0;
    this.overlay?.replaceChildren();
    this.setWaiting([]);
    this.cursorBeats = null;
    this.cursor?.setAttribute('visibility', 'hidden');
  }

  /** Moves the cursor; returns the cursor's top in CSS pixels (for scrolling it into view). */
  setCursor(positionBeats: number): number | null {
    this.cursorBeats = positionBeats;
    const drawn = this.drawn;
    if (!drawn || !this.cursor || this.score.measures.length === 0) return null;
    const mi = measureIndexAt(this.score.measures, positionBeats);
    const box = drawn.measures[mi];
    const system = box ? drawn.systems[box.system] : undefined;
    if (!box || !system) return null;
    const x = xForBeats(box.anchors, positionBeats);
    if (x === null) return null;
    this.cursor.setAttribute('x', String(x - 7));
    this.cursor.setAttribute('y', String(system.staffTop - 14));
    this.cursor.setAttribute('height', String(system.staffBottom - system.staffTop + 28));
    this.cursor.setAttribute('visibility', 'visible');
    return system.top * drawn.zoom;
  }

  noteIds(): string[] {
    return [...(this.drawn?.noteHeads.keys() ?? [])];
  }

  private paint(noteId: string, mark: NoteMark): void {
    const refs = this.drawn?.noteHeads.get(noteId);
    if (!refs || !this.overlay) return;
    for (const ref of refs) {
      ref.element.classList.remove('sn-correct', 'sn-wrong', 'sn-missed', 'sn-extra');
      ref.element.classList.add(`sn-${mark.verdict}`);
    }
    for (const old of this.noteMarkElements.get(noteId) ?? []) old.remove();
    const head = refs[0];
    if (!head) return;
    const added: SVGTextElement[] = [];
    if (mark.verdict === 'wrong' && mark.playedPitch !== null) {
      // The played pitch sits just above the wrong notehead, on a white backing for legibility.
      added.push(this.addText(pitchName(mark.playedPitch), head.x + head.width / 2, head.y - 8, 'sn-played'));
    }
    const timing = timingMark(mark.verdict, mark.timingErrorMs);
    if (timing) {
      const x = timing.side === 'left' ? head.x - 7 : head.x + head.width + 7;
      const el = this.addText(timing.symbol, x, head.y + 3.5, `sn-timing sn-${timing.kind}`);
      el.dataset.noteId = noteId;
      added.push(el);
    }
    this.noteMarkElements.set(noteId, added);
  }

  private paintExtra(extra: ExtraMark): void {
    const drawn = this.drawn;
    if (!drawn || this.score.measures.length === 0) return;
    const mi = measureIndexAt(this.score.measures, extra.positionBeats);
    const box = drawn.measures[mi];
    const system = box ? drawn.systems[box.system] : undefined;
    if (!box || !system) return;
    const x = xForBeats(box.anchors, extra.positionBeats) ?? box.x;
    const stacked = this.extras.filter((e) => e !== extra && Math.abs(e.positionBeats - extra.positionBeats) < 0.01).length;
    this.addText(`+${pitchName(extra.pitch)}`, x + 6, system.staffBottom + 22 + stacked * 11, 'sn-extra-mark');
  }

  private addText(text: string, x: number, y: number, className: string): SVGTextElement {
    const el = document.createElementNS(SVG_NS, 'text');
    el.setAttribute('x', String(x));
    el.setAttribute('y', String(y));
    el.setAttribute('class', className);
    el.setAttribute('text-anchor', 'middle');
    el.textContent = text;
    this.overlay?.appendChild(el);
    return el;
  }
}
