/**
 * Test support: a real nASAP take streamed through the live follower press by press, settling
 * after each, as the evaluation does (scripts/eval-alignment.ts). Reads ../shared/data in place;
 * nothing in the app imports it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PerformedNote } from '../../shared/performance';
import { importScore, performanceFromMidi } from '../music';
import { LiveFollower } from './liveFollower';

/** The folder of a piece in ../shared/data/nasap, and whether its take is there (tests skip otherwise). */
export function nasapTake(piece: string, take: string): { dir: string; present: boolean } {
  const dir = resolve(process.cwd(), '../shared/data/nasap', piece);
  return { dir, present: existsSync(join(dir, `${take}.mid`)) };
}

/** Streams the presses before `untilSec` (onset order) in play-through; returns them and the settled verdicts. */
export function settleRealTake(dir: string, take: string, untilSec: number, tempoFactor: number) {
  const score = importScore('xml_score.musicxml', new Uint8Array(readFileSync(join(dir, 'xml_score.musicxml'))));
  const performance = performanceFromMidi(new Uint8Array(readFileSync(join(dir, `${take}.mid`))));
  const presses: PerformedNote[] = [...performance.notes].sort((a, b) => a.onsetSec - b.onsetSec).filter((n) => n.onsetSec < untilSec);
  const follower = new LiveFollower(score, { mode: 'play-through', hands: 'both', loop: null, tempoFactor, metronome: false });
  for (const p of presses) {
    follower.push({ kind: 'on', pitch: p.pitch, velocity: p.velocity, timeSec: p.onsetSec });
    follower.push({ kind: 'off', pitch: p.pitch, velocity: 0, timeSec: p.offsetSec });
    follower.settle();
  }
  follower.finish();
  return { presses, settled: follower.settledSoFar() };
}
