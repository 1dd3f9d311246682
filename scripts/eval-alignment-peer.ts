/**
 * Side by side with a peer: parangonar's DualDTWNoteMatcher (Python, scripts/peers/) and our
 * offline aligner on the same pieces, scored against the same ground truth (share of
 * ground-truth-matched performed notes assigned to the right score note).
 *
 *   npx tsx scripts/eval-alignment-peer.ts --data ../shared/data [--vienna 10] [--nasap 5]
 *       [--python /work/venvs/parangonar/bin/python]
 *
 * The peer is slow (seconds per piece, minutes on long ones), so the default sample is small.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join, resolve as resolvePath } from 'node:path';
import { performance as clock } from 'node:perf_hooks';
import { importScore, performanceFromMidi } from '../src/core/music';
import { alignPerformance } from '../src/core/follow/align';
import type { Performance } from '../src/shared/performance';
import { evaluationItems, matchAccuracy, ourScoreId, resolve } from './eval-alignment-data';
import { exactLabels, sameKeyTwin, twinKeys } from './eval-alignment-twins';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] ? args[k + 1]! : fallback;
};
const dataDir = option('data', '../shared/data');
const python = option('python', '/work/venvs/parangonar/bin/python');
const items = evaluationItems(dataDir, { nasap: Number(option('nasap', '5')), vienna: Number(option('vienna', '10')), batik: 0 });

interface PeerResult {
  matches?: [string, number, number][];
  seconds?: number;
  error?: string;
}

/** Peer matches (partitura score id, pitch, onset) -> our performance index -> our score id. */
function peerAssignment(result: PeerResult, perf: Performance): Map<number, string | null> {
  const out = new Map<number, string | null>();
  const taken = new Uint8Array(perf.notes.length);
  for (const [scoreId, pitch, onset] of result.matches ?? []) {
    let best = -1;
    perf.notes.forEach((n, i) => {
      const d = Math.abs(n.onsetSec - onset);
      if (!taken[i] && n.pitch === pitch && d < 0.02 && (best < 0 || d < Math.abs(perf.notes[best]!.onsetSec - onset))) best = i;
    });
    if (best < 0) continue;
    taken[best] = 1;
    // partitura renames notes that overlap in a voice ("n15voice_overlap-1").
    out.set(best, ourScoreId(scoreId.replace('voice_overlap', '')));
  }
  return out;
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'peer-align-'));
  const jobs = items.map((item) => ({ name: `${item.dataset} ${item.name}`, score: resolvePath(item.scorePath), performance: resolvePath(item.perfPath) }));
  writeFileSync(join(work, 'jobs.json'), JSON.stringify(jobs));
  const script = new URL('./peers/parangonar_align.py', import.meta.url).pathname;
  const started = clock.now();
  const run = spawnSync(python, [script, join(work, 'jobs.json'), join(work, 'out.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`${python} ${script} failed (exit ${run.status}${run.error ? `: ${run.error.message}` : ''})`);
  console.log(`peer run: ${((clock.now() - started) / 1000).toFixed(0)} s for ${jobs.length} pieces`);
  const peer = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8')) as Record<string, PeerResult>;

  const totals = new Map<string, { pieces: number; failed: number; ours: { matched: number; right: number; twinRight: number }; peer: { matched: number; right: number; twinRight: number }; oursMs: number; peerSec: number }>();
  for (const item of items) {
    const name = `${item.dataset} ${item.name}`;
    const t = totals.get(item.dataset) ?? { pieces: 0, failed: 0, ours: { matched: 0, right: 0, twinRight: 0 }, peer: { matched: 0, right: 0, twinRight: 0 }, oursMs: 0, peerSec: 0 };
    totals.set(item.dataset, t);
    const result = peer[name];
    if (!result || result.error) {
      t.failed++;
      console.log(`${name}: peer failed: ${result?.error ?? 'no result'}`);
      continue;
    }
    const score = importScore(basename(item.scorePath), new Uint8Array(readFileSync(item.scorePath)));
    const perf = performanceFromMidi(new Uint8Array(readFileSync(item.perfPath)));
    const gt = resolve(item.rows(), score, perf);
    const t0 = clock.now();
    const pairs = alignPerformance(score, perf);
    const ms = clock.now() - t0;
    const oursPairs = new Map(pairs.filter((p) => p.performanceIndex !== null).map((p) => [p.performanceIndex!, p.scoreNoteId]));
    const theirPairs = peerAssignment(result, perf);
    const ours = matchAccuracy(oursPairs, gt.matchOf);
    const theirs = matchAccuracy(theirPairs, gt.matchOf);
    // Either note of a same-key twin pair accepted, as in the first table of eval-alignment.ts.
    const twin = exactLabels() ? undefined : sameKeyTwin(twinKeys(score));
    t.pieces++;
    t.ours.matched += ours.matched;
    t.ours.right += ours.matchedRight;
    t.ours.twinRight += matchAccuracy(oursPairs, gt.matchOf, twin).matchedRight;
    t.peer.matched += theirs.matched;
    t.peer.right += theirs.matchedRight;
    t.peer.twinRight += matchAccuracy(theirPairs, gt.matchOf, twin).matchedRight;
    t.oursMs += ms;
    t.peerSec += result.seconds ?? 0;
    const pct = (a: { matched: number; matchedRight: number }) => `${((a.matchedRight / Math.max(1, a.matched)) * 100).toFixed(1)}%`;
    console.log(`${name}: ours ${pct(ours)} in ${ms.toFixed(0)} ms, parangonar ${pct(theirs)} in ${(result.seconds ?? 0).toFixed(1)} s`);
  }
  console.log('\n| dataset | pieces | GT matched notes | ours: correct (twins either way) | parangonar DualDTW: correct (twins either way) | ours s/piece | parangonar s/piece |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [dataset, t] of totals) {
    const pct = (a: { matched: number; right: number; twinRight: number }) => `${((a.right / Math.max(1, a.matched)) * 100).toFixed(2)} % (${((a.twinRight / Math.max(1, a.matched)) * 100).toFixed(2)} %)`;
    const n = Math.max(1, t.pieces);
    console.log(`| ${dataset} | ${t.pieces}${t.failed ? ` (+${t.failed} peer failed)` : ''} | ${t.ours.matched} | ${pct(t.ours)} | ${pct(t.peer)} | ${(t.oursMs / n / 1000).toFixed(2)} | ${(t.peerSec / n).toFixed(1)} |`);
  }
}

main();
