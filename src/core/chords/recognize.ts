/**
 * Chord labels over time from notes: cut the timeline into segments (at onset clusters, or at
 * given beats), build a duration-weighted pitch-class profile per segment, match templates, then
 * merge neighbours with the same label.
 */
import type { ChordLabel } from '../../shared/chords';
import type { PerformedNote } from '../../shared/performance';
import type { Seconds } from '../../shared/units';
import { chordSymbol, inversionOf, matchChordTemplate } from './templates';

export interface ChordRecognitionOptions {
  /** Segment boundaries: explicit beat times, else note onsets are clustered. */
  beatTimes?: readonly Seconds[];
  /** Onsets closer than this start the same segment (rolled chords). Default 0.06 s. */
  onsetClusterSec?: Seconds;
  /** Segments shorter than this are absorbed by the previous one (melodic passing notes). Default 0.25 s. */
  minSegmentSec?: Seconds;
  /** Labels with a fit below this are dropped (no chord). Default 0.2. */
  minConfidence?: number;
}

const DEFAULTS = { onsetClusterSec: 0.06, minSegmentSec: 0.25, minConfidence: 0.2 };

function onsetBoundaries(notes: readonly PerformedNote[], clusterSec: number, minSegmentSec: number): number[] {
  const onsets = notes.map((n) => n.onsetSec).sort((a, b) => a - b);
  const boundaries: number[] = [];
  let clusterStart = Number.NEGATIVE_INFINITY;
  for (const onset of onsets) {
    if (onset - clusterStart <= clusterSec) continue;
    clusterStart = onset;
    const last = boundaries[boundaries.length - 1];
    if (last === undefined || onset - last >= minSegmentSec) boundaries.push(onset);
  }
  return boundaries;
}

/** Lowest note sounding for a fair part of the segment: the bass. */
function bassOf(notes: readonly PerformedNote[], start: number, end: number): number | null {
  const needed = Math.min(0.05, (end - start) / 2);
  let lowest: number | null = null;
  for (const n of notes) {
    const overlap = Math.min(end, n.offsetSec) - Math.max(start, n.onsetSec);
    if (overlap >= needed && (lowest === null || n.pitch < lowest)) lowest = n.pitch;
  }
  return lowest === null ? null : lowest % 12;
}

function labelSegment(notes: readonly PerformedNote[], start: number, end: number, minConfidence: number): ChordLabel | null {
  const profile = new Float64Array(12);
  let distinct = 0;
  for (const n of notes) {
    const overlap = Math.min(end, n.offsetSec) - Math.max(start, n.onsetSec);
    if (overlap <= 0) continue;
    const pc = n.pitch % 12;
    if (profile[pc] === 0) distinct++;
    profile[pc] = (profile[pc] as number) + overlap;
  }
  // Two pitch classes (a bare fifth or third) are too ambiguous to name.
  if (distinct < 3) return null;
  const bass = bassOf(notes, start, end);
  const match = matchChordTemplate(profile, bass);
  if (!match || match.fit < minConfidence) return null;
  const bassPc = bass ?? match.root;
  return {
    startSec: start,
    endSec: end,
    root: match.root,
    quality: match.quality,
    bass: bassPc,
    inversion: inversionOf(match, bassPc),
    symbol: chordSymbol(match.root, match.suffix, bassPc),
    confidence: match.fit,
  };
}

/** Chord labels in time order; spans with no recognisable chord have no label. */
export function recognizeChords(notes: readonly PerformedNote[], options: ChordRecognitionOptions = {}): ChordLabel[] {
  if (notes.length === 0) return [];
  const clusterSec = options.onsetClusterSec ?? DEFAULTS.onsetClusterSec;
  const minSegmentSec = options.minSegmentSec ?? DEFAULTS.minSegmentSec;
  const minConfidence = options.minConfidence ?? DEFAULTS.minConfidence;
  const lastOffset = notes.reduce((m, n) => Math.max(m, n.offsetSec), 0);
  const boundaries = options.beatTimes
    ? [...options.beatTimes].filter((t) => t < lastOffset).sort((a, b) => a - b)
    : onsetBoundaries(notes, clusterSec, minSegmentSec);

  // Sweep: segments go forward in time, so keep only the notes that can overlap the current one.
  const byOnset = [...notes].sort((a, b) => a.onsetSec - b.onsetSec);
  let next = 0;
  let active: PerformedNote[] = [];
  const labels: ChordLabel[] = [];
  boundaries.forEach((start, i) => {
    const end = boundaries[i + 1] ?? lastOffset;
    if (!(end > start)) return;
    while (next < byOnset.length && (byOnset[next] as PerformedNote).onsetSec < end) active.push(byOnset[next++] as PerformedNote);
    active = active.filter((n) => n.offsetSec > start);
    const label = labelSegment(active, start, end, minConfidence);
    if (!label) return;
    const previous = labels[labels.length - 1];
    if (previous && previous.symbol === label.symbol && previous.endSec === label.startSec) {
      previous.endSec = label.endSec;
      previous.confidence = Math.max(previous.confidence, label.confidence);
    } else {
      labels.push(label);
    }
  });
  return labels;
}
