/**
 * Builds a .mid performance of a score with known, deliberate mistakes: some notes played a
 * semitone off (wrong), some left out (missed), one extra note that belongs nowhere. Mistakes go
 * on notes that sound alone at their onset, so the expected verdicts are unambiguous.
 */
import toneMidi from '@tonejs/midi';

const { Midi } = toneMidi;

/**
 * @param {import('../../src/shared/score').Score} score
 * @returns {{ bytes: Buffer, expected: { correct: number, wrong: number, missed: number, extra: number }, wrongIds: string[], missedIds: string[], earlyId: string | null, lateId: string | null }}
 */
export function performanceWithMistakes(score, { wrongCount = 3, missedCount = 3, shiftMs = 120, extra = true } = {}) {
  // Grace notes are played too (just before their beat), as a pianist would: the follower grades them.
  const notes = score.notes;
  const byOnset = new Map();
  for (const n of notes) byOnset.set(n.onsetBeats, (byOnset.get(n.onsetBeats) ?? 0) + 1);
  const nearGrace = (n) => notes.some((g) => g.grace && Math.abs(g.onsetBeats - n.onsetBeats) <= 1);
  const pitchesNear = (n) => new Set(notes.filter((m) => Math.abs(m.onsetBeats - n.onsetBeats) <= 2).map((m) => m.pitch));
  // Candidates: alone at their onset, and not in the first or last bar (the follower needs a start and an end).
  const lastMeasure = score.measures.length - 1;
  const candidates = notes.filter(
    (n) => !n.grace && !nearGrace(n) && byOnset.get(n.onsetBeats) === 1 && n.measureIndex > 0 && n.measureIndex < lastMeasure,
  );
  if (candidates.length < wrongCount + missedCount + 4) throw new Error(`score has too few single notes for mistakes (${candidates.length})`);
  // Spread the mistakes over the piece, never on neighbouring candidates.
  const step = Math.max(1, Math.floor(candidates.length / (wrongCount + missedCount + 1)));
  const picked = Array.from({ length: wrongCount + missedCount }, (_, i) => candidates[(i + 1) * step]);
  const wrong = new Map();
  for (const n of picked.slice(0, wrongCount)) {
    const near = pitchesNear(n);
    // A semitone off, but never onto a pitch that sounds nearby (that could be matched as right).
    const shifted = [1, -1, 2, -2, 3].map((d) => n.pitch + d).find((p) => !near.has(p));
    wrong.set(n.id, shifted);
  }
  const missed = new Set(picked.slice(wrongCount).map((n) => n.id));
  // Two left-hand notes played off time (one early, one late), far from the other mistakes.
  const used = new Set(picked.map((n) => n.measureIndex));
  const timed = notes.filter((n) => !n.grace && n.hand === 'left' && n.measureIndex > 0 && n.measureIndex < lastMeasure && !used.has(n.measureIndex) && !used.has(n.measureIndex - 1) && !used.has(n.measureIndex + 1));
  const early = timed[Math.floor(timed.length / 3)];
  const late = timed[Math.floor((2 * timed.length) / 3)];
  const shiftSec = new Map();
  if (early && late && shiftMs > 0) {
    shiftSec.set(early.id, -shiftMs / 1000);
    shiftSec.set(late.id, shiftMs / 1000);
  }

  const midi = new Midi();
  midi.header.setTempo(score.tempos[0]?.qpm ?? 120);
  const track = midi.addTrack();
  for (const n of notes) {
    if (missed.has(n.id)) continue;
    if (n.grace) {
      // Graces before the beat, 60 ms apart, in written order.
      const group = notes.filter((g) => g.grace && g.onsetBeats === n.onsetBeats);
      const before = (group.length - group.indexOf(n)) * 0.06;
      track.addNote({ midi: n.pitch, time: Math.max(0, n.onsetSec - before), duration: 0.05, velocity: 0.6 });
      continue;
    }
    const time = n.onsetSec + (shiftSec.get(n.id) ?? 0);
    track.addNote({ midi: wrong.get(n.id) ?? n.pitch, time, duration: Math.max(0.05, n.durationSec * 0.9), velocity: 0.7 });
  }
  // The extra note: far above anything in the piece, halfway through, between two onsets.
  const mid = notes[Math.floor(notes.length / 2)];
  const next = notes.find((n) => n.onsetSec > mid.onsetSec);
  const extraTime = next ? (mid.onsetSec + next.onsetSec) / 2 : mid.onsetSec + 0.2;
  if (extra) track.addNote({ midi: 103, time: extraTime, duration: 0.1, velocity: 0.7 });

  return {
    bytes: Buffer.from(midi.toArray()),
    expected: { correct: notes.length - wrong.size - missed.size, wrong: wrong.size, missed: missed.size, extra: extra ? 1 : 0 },
    wrongIds: [...wrong.keys()],
    earlyId: shiftSec.size ? early.id : null,
    lateId: shiftSec.size ? late.id : null,
    missedIds: [...missed],
  };
}

/**
 * The score played as written (graces 60 ms apart before their beat) with bar `skip` (0-based
 * measure index) left out and the gap closed, as a student who skips a bar plays on.
 * @param {import('../../src/shared/score').Score} score
 * @param {number} skip
 * @returns {{ bytes: Buffer, skippedIds: string[] }}
 */
export function performanceWithoutBar(score, skip) {
  const start = (i) => score.measures[i]?.startSec;
  if (start(skip) === undefined || start(skip + 1) === undefined) throw new Error(`bar ${skip + 1} has no following bar to close the gap with`);
  const gap = start(skip + 1) - start(skip);
  const midi = new Midi();
  midi.header.setTempo(score.tempos[0]?.qpm ?? 120);
  const track = midi.addTrack();
  for (const n of score.notes) {
    if (n.measureIndex === skip) continue;
    const shift = n.measureIndex > skip ? gap : 0;
    if (n.grace) {
      const group = score.notes.filter((g) => g.grace && g.onsetBeats === n.onsetBeats);
      const before = (group.length - group.indexOf(n)) * 0.06;
      track.addNote({ midi: n.pitch, time: Math.max(0, n.onsetSec - shift - before), duration: 0.05, velocity: 0.6 });
      continue;
    }
    track.addNote({ midi: n.pitch, time: n.onsetSec - shift, duration: Math.max(0.05, n.durationSec * 0.9), velocity: 0.7 });
  }
  return { bytes: Buffer.from(midi.toArray()), skippedIds: score.notes.filter((n) => n.measureIndex === skip).map((n) => n.id) };
}
