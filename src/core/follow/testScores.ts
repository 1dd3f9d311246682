/**
 * Small hand-built scores and performances for the follower and grader tests, so they do not
 * depend on the MusicXML parser. Test support only; nothing in the app imports it.
 */
import type { Hand, Score, ScoreNote } from '../../shared/score';
import type { LiveNoteEvent, Performance, PerformedNote } from '../../shared/performance';

export interface NoteSpec {
  beat: number;
  pitch: number;
  dur?: number;
  hand?: Hand;
  grace?: boolean;
}

/** A 4/4 score at a constant tempo; measures cover every note. */
export function buildScore(notes: NoteSpec[], qpm = 120, beatsPerMeasure = 4): Score {
  const secPerBeat = 60 / qpm;
  const sorted = [...notes].sort((a, b) => a.beat - b.beat || a.pitch - b.pitch);
  const lastBeat = sorted.reduce((m, n) => Math.max(m, n.beat + (n.dur ?? 1)), 0);
  const measureCount = Math.max(1, Math.ceil(lastBeat / beatsPerMeasure - 1e-9));
  const measures = Array.from({ length: measureCount }, (_, index) => ({
    index,
    number: String(index + 1),
    startBeats: index * beatsPerMeasure,
    durationBeats: beatsPerMeasure,
    startSec: index * beatsPerMeasure * secPerBeat,
    timeSignature: { numerator: beatsPerMeasure, denominator: 4 },
    keyFifths: 0,
  }));
  const scoreNotes: ScoreNote[] = sorted.map((n, i) => ({
    id: `n${i}`,
    sourceId: `n${i}`,
    pitch: n.pitch,
    onsetBeats: n.beat,
    durationBeats: n.grace ? 0 : (n.dur ?? 1),
    onsetSec: n.beat * secPerBeat,
    durationSec: n.grace ? 0 : (n.dur ?? 1) * secPerBeat,
    measureIndex: Math.floor(n.beat / beatsPerMeasure + 1e-9),
    staff: (n.hand ?? 'right') === 'right' ? 1 : 2,
    voice: 1,
    hand: n.hand ?? 'right',
    partId: 'P1',
    grace: n.grace ?? false,
    articulations: [],
  }));
  return {
    title: 'test',
    composer: 'test',
    source: 'generated',
    parts: [{ id: 'P1', name: 'Piano', staves: 2 }],
    measures,
    notes: scoreNotes,
    tempos: [{ beats: 0, qpm }],
  };
}

/**
 * Two-hand exercise of `bars` bars: right hand quarter-note scale walk, left hand a two-note
 * chord on every half note. Pitches differ between neighbouring slots so mistakes are unambiguous.
 */
export function twoHandExercise(bars = 4, qpm = 120): Score {
  const notes: NoteSpec[] = [];
  const melody = [60, 62, 64, 65, 67, 65, 64, 62];
  for (let b = 0; b < bars * 4; b++) notes.push({ beat: b, pitch: melody[b % melody.length]! + 12 * (Math.floor(b / 8) % 2) });
  const bass = [
    [48, 55],
    [43, 50],
    [45, 52],
    [41, 48],
  ];
  for (let b = 0; b < bars * 4; b += 2) {
    for (const p of bass[(b / 2) % bass.length]!) notes.push({ beat: b, pitch: p, dur: 2, hand: 'left' });
  }
  return buildScore(notes, qpm);
}

/** Plays every score note exactly, optionally with a tempo factor (time = written / factor). */
export function perfect(score: Score, tempoFactor = 1, startSec = 0.5): PerformedNote[] {
  return score.notes.map((n) => ({
    pitch: n.pitch,
    onsetSec: startSec + n.onsetSec / tempoFactor,
    offsetSec: startSec + (n.onsetSec + Math.max(n.durationSec, 0.05)) / tempoFactor,
    velocity: 64,
  }));
}

export function asPerformance(notes: PerformedNote[]): Performance {
  const sorted = [...notes].sort((a, b) => a.onsetSec - b.onsetSec || a.pitch - b.pitch);
  return { notes: sorted, pedal: [], durationSec: sorted.reduce((m, n) => Math.max(m, n.offsetSec), 0) };
}

/** Note-on events in time order (note-offs are irrelevant to the follower's decisions). */
export function toLiveEvents(notes: PerformedNote[]): LiveNoteEvent[] {
  return [...notes]
    .sort((a, b) => a.onsetSec - b.onsetSec || a.pitch - b.pitch)
    .map((n) => ({ kind: 'on' as const, pitch: n.pitch, velocity: n.velocity, timeSec: n.onsetSec }));
}

/** Deterministic pseudo-random numbers for reproducible "random" mistakes. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
