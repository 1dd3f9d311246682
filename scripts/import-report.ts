/**
 * Imports every MusicXML / MXL file under a data folder and reports what imported and what was
 * refused, per top-level folder, with refusal messages grouped.
 * With --alignments it also checks repeat expansion against the alignment annotations: every
 * score note id named in a (n)ASAP note_alignment.tsv or a batik_plays_mozart match file
 * ("n12-2" = note n12 on its 2nd pass) must exist in our playing order ("n12#2").
 * Usage: npx tsx scripts/import-report.ts ../shared/data [--json] [--alignments]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AppError } from '../src/shared/errors';
import { importScore } from '../src/core/music/import';
import { findScoreProblem } from '../src/core/music/validate';

const SCORE_EXTENSIONS = /\.(musicxml|xml|mxl)$/i;

/** Files that are XML but not scores (container files, metadata) are not import candidates. */
function isCandidate(path: string): boolean {
  return SCORE_EXTENSIONS.test(path) && !/META-INF|container\.xml$/i.test(path);
}

export function listScoreFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (isCandidate(path)) found.push(path);
    }
  };
  walk(root);
  return found;
}

interface FolderTally {
  imported: number;
  refused: number;
  crashed: number;
  notes: number;
}

function listAlignments(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listAlignments(path));
    else if (name === 'note_alignment.tsv') found.push(path);
  }
  return found;
}

/** Share of aligned (n)ASAP score-note ids found in our expanded scores, and pitch agreement. */
function nasapIdCoverage(nasapRoot: string): { aligned: number; found: number; samePitch: number } {
  const byScore = new Map<string, string[]>();
  for (const file of listAlignments(nasapRoot)) {
    const scoreDir = dirname(dirname(file));
    byScore.set(scoreDir, [...(byScore.get(scoreDir) ?? []), file]);
  }
  const totals = { aligned: 0, found: 0, samePitch: 0 };
  for (const [scoreDir, files] of byScore) {
    const scorePath = join(scoreDir, 'xml_score.musicxml');
    if (!existsSync(scorePath)) continue;
    const score = importScore(scorePath, new Uint8Array(readFileSync(scorePath)));
    const notes = new Map(score.notes.map((n) => [n.id, n]));
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
        const [xmlId, midiId, , , pitch] = line.split('\t');
        const match = /^(.*)-(\d+)$/.exec(xmlId ?? '');
        if (!match) continue;
        totals.aligned++;
        const note = notes.get(match[2] === '1' ? (match[1] as string) : `${match[1]}#${match[2]}`);
        if (!note) continue;
        totals.found++;
        if (midiId === 'deletion' || String(note.pitch) === pitch) totals.samePitch++;
      }
    }
  }
  return totals;
}

/** Share of batik match-file score-note ids (snote(n12-1,...)) found in our expanded scores. */
function batikIdCoverage(batikRoot: string): { aligned: number; found: number } {
  const totals = { aligned: 0, found: 0 };
  for (const name of readdirSync(join(batikRoot, 'match')).sort()) {
    const scorePath = join(batikRoot, 'scores', name.replace(/\.match$/, '.musicxml'));
    if (!existsSync(scorePath)) continue;
    const ids = new Set(importScore(scorePath, new Uint8Array(readFileSync(scorePath))).notes.map((n) => n.id));
    for (const line of readFileSync(join(batikRoot, 'match', name), 'utf8').split('\n')) {
      const match = /^snote\(([^,]*)-(\d+),/.exec(line);
      if (!match) continue;
      totals.aligned++;
      if (ids.has(match[2] === '1' ? (match[1] as string) : `${match[1]}#${match[2]}`)) totals.found++;
    }
  }
  return totals;
}

function main(): void {
  const root = process.argv[2];
  if (root === undefined) {
    console.error('usage: npx tsx scripts/import-report.ts <data folder> [--json]');
    process.exit(2);
  }
  const started = performance.now();
  const folders = new Map<string, FolderTally>();
  const messages = new Map<string, string[]>();
  const crashes: string[] = [];
  for (const path of listScoreFiles(root)) {
    const rel = relative(root, path);
    const folder = rel.split('/')[0] ?? rel;
    const tally = folders.get(folder) ?? { imported: 0, refused: 0, crashed: 0, notes: 0 };
    folders.set(folder, tally);
    try {
      const score = importScore(path, new Uint8Array(readFileSync(path)));
      const problem = findScoreProblem(score);
      if (problem !== null) throw new Error(`imported but invalid: ${problem}`);
      tally.imported++;
      tally.notes += score.notes.length;
    } catch (error) {
      if (error instanceof AppError) {
        tally.refused++;
        // Group by message shape: numbers and file names vary, the problem does not.
        const key = `${error.code}: ${error.message.replace(/^.*?: (?=[a-z])/, '').replace(/\d+/g, 'N')}`;
        messages.set(key, [...(messages.get(key) ?? []), rel]);
      } else {
        tally.crashed++;
        crashes.push(`${rel}: ${String(error)}`);
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ folders: Object.fromEntries(folders), messages: Object.fromEntries(messages), crashes, seconds }, null, 2));
    return;
  }
  console.log('| folder | files | imported | clear error | crash | notes imported |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const total: FolderTally = { imported: 0, refused: 0, crashed: 0, notes: 0 };
  for (const [folder, t] of [...folders].sort()) {
    console.log(`| ${folder} | ${t.imported + t.refused + t.crashed} | ${t.imported} | ${t.refused} | ${t.crashed} | ${t.notes} |`);
    total.imported += t.imported;
    total.refused += t.refused;
    total.crashed += t.crashed;
    total.notes += t.notes;
  }
  console.log(`| total | ${total.imported + total.refused + total.crashed} | ${total.imported} | ${total.refused} | ${total.crashed} | ${total.notes} |`);
  console.log(`\nClear errors, grouped (${messages.size} kinds):`);
  for (const [message, files] of [...messages].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`- ${files.length} x ${message} (e.g. ${files.slice(0, 2).join(', ')})`);
  }
  if (crashes.length > 0) console.log(`\nCrashes (not AppError):\n${crashes.map((c) => `- ${c}`).join('\n')}`);
  console.log(`\nWalked in ${seconds.toFixed(1)} s`);
  if (!process.argv.includes('--alignments')) return;
  const pct = (n: number, of: number): string => ((100 * n) / Math.max(1, of)).toFixed(2);
  const nasapRoot = join(root, 'nasap');
  if (existsSync(nasapRoot)) {
    const { aligned, found, samePitch } = nasapIdCoverage(nasapRoot);
    console.log(`\n(n)ASAP alignment ids found in our playing order: ${found} / ${aligned} (${pct(found, aligned)} %), same pitch: ${samePitch} (${pct(samePitch, aligned)} %)`);
  }
  const batikRoot = join(root, 'batik_plays_mozart');
  if (existsSync(join(batikRoot, 'match'))) {
    const { aligned, found } = batikIdCoverage(batikRoot);
    console.log(`batik_plays_mozart match snote ids found in our playing order: ${found} / ${aligned} (${pct(found, aligned)} %)`);
  }
}

main();
