/**
 * Partwise MusicXML -> Score: reads written order, expands repeats into playing order, merges
 * tie chains into struck notes and applies the tempo map.
 */
import { AppError } from '../../shared/errors';
import type { Measure, Score, ScoreNote, TempoPoint } from '../../shared/score';
import { parseXmlDocument } from './xml-tree';
import { readWrittenScore } from './musicxml-read';
import { playingOrder } from './repeats';
import { buildTempoMap } from './tempo-map';
import { comparePending, mergeTies, type PendingNote } from './score-notes';
import type { WrittenScore } from './musicxml-types';

/** Parses MusicXML text; throws AppError (PARSE_ERROR / UNSUPPORTED) naming the problem. */
export function parseMusicXml(xml: string): Score {
  const root = parseXmlDocument(xml);
  if (root.name === 'score-timewise') throw new AppError('UNSUPPORTED', 'timewise MusicXML is not supported');
  if (root.name === 'opus') throw new AppError('UNSUPPORTED', 'MusicXML opus files (collections of scores) are not supported');
  if (root.name !== 'score-partwise') {
    throw new AppError('PARSE_ERROR', `not a MusicXML score: root element is <${root.name}>, expected <score-partwise>`);
  }
  return scoreFromWritten(readWrittenScore(root));
}

const EPS = 1e-6;

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A measure whose number is lower than its predecessor's starts a new movement. */
function markSectionStarts(written: WrittenScore): void {
  let previous = Number.NaN;
  for (const measure of written.measures) {
    const current = Number.parseInt(measure.number, 10);
    if (current < previous) measure.navigation.sectionStart = true;
    if (!Number.isNaN(current)) previous = current;
  }
}

export function scoreFromWritten(written: WrittenScore): Score {
  markSectionStarts(written);
  const order = playingOrder(written.measures.map((m) => m.navigation));
  const measures: Measure[] = [];
  const pending: PendingNote[] = [];
  const tempoPoints: TempoPoint[] = [];
  const occurrences = new Map<number, number>();
  let start = 0;
  order.forEach((sourceIndex, index) => {
    const source = written.measures[sourceIndex];
    if (source === undefined) return;
    const occurrence = (occurrences.get(sourceIndex) ?? 0) + 1;
    occurrences.set(sourceIndex, occurrence);
    const duration = source.contentBeats > EPS ? source.contentBeats : source.nominalBeats;
    measures.push({
      index,
      number: source.number,
      startBeats: round(start),
      durationBeats: round(duration),
      startSec: 0,
      timeSignature: source.timeSignature,
      keyFifths: source.keyFifths,
    });
    for (const tempo of source.tempos) tempoPoints.push({ beats: round(start + tempo.offsetBeats), qpm: tempo.qpm });
    for (const w of source.notes) {
      const note: ScoreNote = {
        id: occurrence === 1 ? w.sourceId : `${w.sourceId}#${occurrence}`,
        sourceId: w.sourceId,
        pitch: w.pitch,
        onsetBeats: round(start + w.offsetBeats),
        durationBeats: round(w.durationBeats),
        onsetSec: 0,
        durationSec: 0,
        measureIndex: index,
        staff: w.staff,
        voice: w.voice,
        hand: w.hand,
        partId: w.partId,
        grace: w.grace,
        articulations: [...w.articulations],
      };
      if (w.dynamic) note.dynamic = w.dynamic;
      if (w.spelling) note.spelling = { ...w.spelling };
      if (w.noteType) note.noteType = w.noteType;
      if (w.dots) note.dots = w.dots;
      if (w.tuplet) note.tuplet = { ...w.tuplet };
      pending.push({ note, tieStart: w.tieStart, tieStop: w.tieStop, order: w.order });
    }
    start += duration;
  });

  const merged = mergeTies(pending).sort(comparePending).map((p) => p.note);
  if (merged.length === 0) throw new AppError('PARSE_ERROR', 'the score contains no pitched notes');
  const tempoMap = buildTempoMap(tempoPoints);
  for (const note of merged) {
    note.onsetSec = tempoMap.secondsAt(note.onsetBeats);
    note.durationSec = tempoMap.secondsAt(note.onsetBeats + note.durationBeats) - note.onsetSec;
  }
  for (const measure of measures) measure.startSec = tempoMap.secondsAt(measure.startBeats);
  return {
    title: written.title,
    composer: written.composer,
    source: 'musicxml',
    parts: written.parts,
    measures,
    notes: merged,
    tempos: tempoMap.points,
  };
}
