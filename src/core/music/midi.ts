/**
 * Standard MIDI files -> Score (quantised score MIDI) and -> Performance (played notes + sustain
 * pedal). Beats come from ticks / PPQ; the tempo map and time signatures come from the header.
 */
import * as tonejsMidi from '@tonejs/midi';
import { AppError } from '../../shared/errors';
import type { Performance, PedalEvent, PerformedNote } from '../../shared/performance';
import type { Hand, Measure, PartInfo, Score, ScoreNote, TimeSignature } from '../../shared/score';
import { fifthsForKey } from './pitch';
import { buildTempoMap } from './tempo-map';
import { comparePending, mergeTies } from './score-notes';

const MIDDLE_C = 60;
const SUSTAIN_CC = 64;
const PERCUSSION_CHANNEL = 9;
/**
 * The package is CommonJS: Node's ESM loader exposes it only as `default` (its named exports are
 * not detected), while bundlers and CJS transpilation expose `Midi` directly. Accept both.
 */
const Midi: typeof tonejsMidi.Midi =
  tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;
type Midi = InstanceType<typeof Midi>;

function loadMidi(bytes: Uint8Array): Midi {
  if (bytes.length < 14 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'MThd') {
    throw new AppError('PARSE_ERROR', 'not a MIDI file: header MThd missing');
  }
  try {
    return new Midi(bytes);
  } catch (error) {
    // The reader's own messages are meaningful; a TypeError/RangeError means it ran off the data.
    const detail =
      error instanceof TypeError || error instanceof RangeError
        ? 'truncated or damaged track data'
        : (error as Error).message || String(error);
    throw new AppError('PARSE_ERROR', `corrupt MIDI file: ${detail}`);
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Pitched tracks only: channel 10 is General MIDI percussion. */
function noteTracks(midi: Midi): Midi['tracks'] {
  return midi.tracks.filter((t) => t.notes.length > 0 && t.channel !== PERCUSSION_CHANNEL);
}

export function parseMidiScore(bytes: Uint8Array, title?: string): Score {
  const midi = loadMidi(bytes);
  const ppq = midi.header.ppq > 0 ? midi.header.ppq : 480;
  const tracks = noteTracks(midi);
  if (tracks.length === 0) throw new AppError('PARSE_ERROR', 'MIDI file contains no notes');
  const tempoMap = buildTempoMap(midi.header.tempos.map((t) => ({ beats: round(t.ticks / ppq), qpm: t.bpm })));

  // Two tracks: the higher one is the right hand. Otherwise each note is split at middle C.
  const meanPitch = (t: Midi['tracks'][number]): number => t.notes.reduce((s, n) => s + n.midi, 0) / t.notes.length;
  const handOfTrack = new Map<number, Hand>();
  if (tracks.length === 2) {
    const [a, b] = tracks as [Midi['tracks'][number], Midi['tracks'][number]];
    const aHigher = meanPitch(a) >= meanPitch(b);
    handOfTrack.set(0, aHigher ? 'right' : 'left');
    handOfTrack.set(1, aHigher ? 'left' : 'right');
  }
  const parts: PartInfo[] = tracks.map((t, i) => ({
    id: `T${i + 1}`,
    name: t.name || t.instrument.name || `Track ${i + 1}`,
    staves: handOfTrack.has(i) ? 1 : 2,
  }));

  const endBeats = Math.max(...tracks.flatMap((t) => t.notes.map((n) => (n.ticks + n.durationTicks) / ppq)));
  const measures = buildMeasures(midi, ppq, endBeats, tempoMap.secondsAt);
  const measureAt = (beats: number): number => {
    let lo = 0;
    let hi = measures.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((measures[mid] as Measure).startBeats <= beats + 1e-9) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const notes: ScoreNote[] = [];
  tracks.forEach((track, trackIndex) => {
    track.notes.forEach((n, noteIndex) => {
      const onsetBeats = round(n.ticks / ppq);
      const durationBeats = round(n.durationTicks / ppq);
      const hand = handOfTrack.get(trackIndex) ?? (n.midi >= MIDDLE_C ? 'right' : 'left');
      const onsetSec = tempoMap.secondsAt(onsetBeats);
      const id = `T${trackIndex + 1}-n${noteIndex + 1}`;
      notes.push({
        id,
        sourceId: id,
        pitch: n.midi,
        onsetBeats,
        durationBeats,
        onsetSec,
        durationSec: tempoMap.secondsAt(onsetBeats + durationBeats) - onsetSec,
        measureIndex: measureAt(onsetBeats),
        staff: hand === 'right' ? 1 : 2,
        voice: 1,
        hand,
        partId: `T${trackIndex + 1}`,
        grace: false,
        articulations: [],
      });
    });
  });
  const ordered = mergeTies(notes.map((note, order) => ({ note, tieStart: false, tieStop: false, order })))
    .sort(comparePending)
    .map((p) => p.note);
  return {
    title: title ?? (midi.header.name || 'Untitled'),
    composer: '',
    source: 'midi',
    parts,
    measures,
    notes: ordered,
    tempos: tempoMap.points,
  };
}

function buildMeasures(midi: Midi, ppq: number, endBeats: number, secondsAt: (b: number) => number): Measure[] {
  const changes = midi.header.timeSignatures
    .map((t) => ({ beats: t.ticks / ppq, sig: { numerator: t.timeSignature[0] ?? 4, denominator: t.timeSignature[1] ?? 4 } }))
    .filter((c) => c.sig.numerator > 0 && c.sig.denominator > 0)
    .sort((a, b) => a.beats - b.beats);
  const keys = midi.header.keySignatures
    .map((k) => ({ beats: k.ticks / ppq, fifths: fifthsForKey(k.key, k.scale === 'minor') ?? 0 }))
    .sort((a, b) => a.beats - b.beats);
  const measures: Measure[] = [];
  let start = 0;
  let sig: TimeSignature = { numerator: 4, denominator: 4 };
  const limit = 100_000;
  do {
    for (const change of changes) if (change.beats <= start + 1e-9) sig = change.sig;
    let fifths = 0;
    for (const key of keys) if (key.beats <= start + 1e-9) fifths = key.fifths;
    let duration = (sig.numerator * 4) / sig.denominator;
    // A time signature change in the middle of a bar starts a new bar there.
    const nextChange = changes.find((c) => c.beats > start + 1e-9 && c.beats < start + duration - 1e-9);
    if (nextChange) duration = nextChange.beats - start;
    measures.push({
      index: measures.length,
      number: String(measures.length + 1),
      startBeats: round(start),
      durationBeats: round(duration),
      startSec: secondsAt(start),
      timeSignature: { ...sig },
      keyFifths: fifths,
    });
    start += duration;
  } while (start < endBeats - 1e-9 && measures.length < limit);
  return measures;
}

/** The performed notes and sustain pedal of a .mid file, in seconds (tempo map applied). */
export function performanceFromMidi(bytes: Uint8Array): Performance {
  const midi = loadMidi(bytes);
  const notes: PerformedNote[] = [];
  const pedal: PedalEvent[] = [];
  for (const track of midi.tracks) {
    if (track.channel === PERCUSSION_CHANNEL && track.notes.length > 0) continue;
    for (const n of track.notes) {
      notes.push({
        pitch: n.midi,
        onsetSec: n.time,
        offsetSec: n.time + n.duration,
        velocity: Math.max(0, Math.min(127, Math.round(n.velocity * 127))),
      });
    }
    for (const cc of track.controlChanges[SUSTAIN_CC] ?? []) {
      pedal.push({ timeSec: cc.time, value: Math.max(0, Math.min(127, Math.round(cc.value * 127))) });
    }
  }
  notes.sort((a, b) => a.onsetSec - b.onsetSec || a.pitch - b.pitch);
  pedal.sort((a, b) => a.timeSec - b.timeSec);
  const durationSec = Math.max(0, ...notes.map((n) => n.offsetSec), ...pedal.map((p) => p.timeSec));
  return { notes, pedal, durationSec };
}
