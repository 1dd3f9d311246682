/**
 * Real performances with note-level ground truth for the alignment evaluations: (n)ASAP
 * note_alignment.tsv, Vienna 4x22 and Batik-plays-Mozart match files, resolved to our score ids
 * and performance note indices. Shared by scripts/eval-alignment.ts and
 * scripts/eval-alignment-peer.ts.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { Score } from '../src/shared/score';
import type { Performance } from '../src/shared/performance';

export interface GroundTruthRow {
  /** Score note id in the file's convention ("n12-1"), null for an inserted performed note. */
  xmlId: string | null;
  /** Performed note (pitch, onset seconds), null for a deleted score note. */
  perf: { pitch: number; onsetSec: number } | null;
}
export interface Item {
  dataset: string;
  name: string;
  scorePath: string;
  perfPath: string;
  rows: () => GroundTruthRow[];
}

export interface Limits {
  nasap: number;
  vienna: number;
  batik: number;
}

/** All items of the three datasets, each sampled evenly down to its limit. */
export function evaluationItems(dataDir: string, limits: Limits): Item[] {
  return [
    ...(limits.nasap > 0 ? nasapItems(dataDir, limits.nasap) : []),
    ...(limits.vienna > 0 ? matchItems(dataDir, 'vienna', 'vienna4x22', 'musicxml', limits.vienna) : []),
    ...(limits.batik > 0 ? matchItems(dataDir, 'batik', 'batik_plays_mozart', 'scores', limits.batik) : []),
  ];
}

// ---- ground truth -------------------------------------------------------------------------

function nasapItems(dataDir: string, limit: number): Item[] {
  const root = join(dataDir, 'nasap');
  const lines = readFileSync(join(root, 'metadata.csv'), 'utf8').trim().split('\n').slice(1);
  // Robust alignments only, and only the pieces present in this copy of the data.
  const rows = lines
    .map((l) => l.split(','))
    .filter((c) => c[13] === '1.0' && c[14] && existsSync(join(root, c[3]!)) && existsSync(join(root, c[5]!)) && existsSync(join(root, c[14])));
  const step = Math.max(1, rows.length / Math.max(1, limit));
  const picked: Item[] = [];
  for (let k = 0; k < rows.length && picked.length < limit; k += step) {
    const c = rows[Math.floor(k)]!;
    const tsv = join(root, c[14]!);
    picked.push({
      dataset: 'nasap',
      name: c[5]!.replace(/\.mid$/, ''),
      scorePath: join(root, c[3]!),
      perfPath: join(root, c[5]!),
      rows: () =>
        readFileSync(tsv, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => {
            const f = line.split('\t');
            if (f[1] === 'deletion') return { xmlId: f[0]!, perf: null };
            const perf = { pitch: Number(f[4]), onsetSec: Number(f[5]) };
            return { xmlId: f[0] === 'insertion' ? null : f[0]!, perf };
          }),
    });
  }
  return picked.filter((i) => existsSync(i.scorePath) && existsSync(i.perfPath));
}

function parseMatch(path: string): GroundTruthRow[] {
  const text = readFileSync(path, 'utf8');
  const units = Number(/info\(midiClockUnits,(\d+)\)/.exec(text)?.[1] ?? 480);
  const rate = Number(/info\(midiClockRate,(\d+)\)/.exec(text)?.[1] ?? 500000);
  const toSec = (ticks: number) => (ticks / units) * (rate / 1e6);
  const rows: GroundTruthRow[] = [];
  for (const line of text.split('\n')) {
    const note = /note\((n?[^,]+),(\d+),(-?\d+),/.exec(line.slice(line.indexOf('-note(') >= 0 ? line.indexOf('-note(') : 0));
    if (line.startsWith('snote(')) {
      const id = line.slice(6, line.indexOf(','));
      if (line.endsWith('-deletion.')) rows.push({ xmlId: id, perf: null });
      else if (note) rows.push({ xmlId: id, perf: { pitch: Number(note[2]), onsetSec: toSec(Number(note[3])) } });
    } else if (line.startsWith('insertion-note(') && note) {
      rows.push({ xmlId: null, perf: { pitch: Number(note[2]), onsetSec: toSec(Number(note[3])) } });
    }
  }
  return rows;
}

function matchItems(dataDir: string, dataset: 'vienna' | 'batik', folder: string, scoreDir: string, limit: number): Item[] {
  const root = join(dataDir, folder);
  const files = readdirSync(join(root, 'match')).filter((f) => f.endsWith('.match')).sort();
  const step = Math.max(1, files.length / Math.max(1, limit));
  const items: Item[] = [];
  for (let k = 0; k < files.length && items.length < limit; k += step) {
    const file = files[Math.floor(k)]!;
    const matchPath = join(root, 'match', file);
    const header = readFileSync(matchPath, 'utf8').slice(0, 2000);
    const scoreFile = /info\(scoreFileName,([^)]+)\)/.exec(header)?.[1] ?? '';
    const midiFile = /info\(midiFileName,([^)]+)\)/.exec(header)?.[1] ?? file.replace(/\.match$/, '.mid');
    items.push({ dataset, name: basename(file, '.match'), scorePath: join(root, scoreDir, scoreFile), perfPath: join(root, 'midi', midiFile), rows: () => parseMatch(matchPath) });
  }
  return items.filter((i) => existsSync(i.scorePath) && existsSync(i.perfPath));
}

/** Score ids in the files' "<xml id>-<repeat>" convention -> our ids ("<xml id>" / "<xml id>#<n>"). */
export function ourScoreId(xmlId: string): string {
  const m = /^(.*)-(\d+)$/.exec(xmlId);
  if (!m) return xmlId;
  return m[2] === '1' ? m[1]! : `${m[1]}#${m[2]}`;
}

/** Ground-truth rows resolved to our score note ids and performance indices. */
export function resolve(rows: GroundTruthRow[], score: Score, perf: Performance) {
  const ids = new Set(score.notes.map((n) => n.id));
  const byPitch = new Map<number, number[]>();
  perf.notes.forEach((n, i) => byPitch.set(n.pitch, [...(byPitch.get(n.pitch) ?? []), i]));
  const taken = new Uint8Array(perf.notes.length);
  const matchOf = new Map<number, string | null>(); // perf index -> score id (null = inserted)
  const deleted: string[] = [];
  let unresolved = 0;
  for (const row of rows) {
    const id = row.xmlId === null ? null : ids.has(row.xmlId) ? row.xmlId : ourScoreId(row.xmlId);
    if (id !== null && !ids.has(id)) {
      unresolved++;
      continue;
    }
    if (!row.perf) {
      deleted.push(id!);
      continue;
    }
    let best = -1;
    for (const i of byPitch.get(row.perf.pitch) ?? []) {
      const d = Math.abs(perf.notes[i]!.onsetSec - row.perf.onsetSec);
      if (!taken[i] && d < 0.02 && (best < 0 || d < Math.abs(perf.notes[best]!.onsetSec - row.perf.onsetSec))) best = i;
    }
    if (best < 0) {
      unresolved++;
      continue;
    }
    taken[best] = 1;
    matchOf.set(best, id);
  }
  return { matchOf, deleted, unresolved };
}

/**
 * Share of performed notes given the ground truth's score note. `equivalent` (optional) accepts
 * another score note as just as right (a same-key twin, scripts/eval-alignment-twins.ts).
 */
export function matchAccuracy(predicted: Map<number, string | null>, truth: Map<number, string | null>, equivalent?: (ours: string, truth: string) => boolean) {
  let matched = 0;
  let matchedRight = 0;
  let all = 0;
  let allRight = 0;
  for (const [p, id] of truth) {
    const ours = predicted.get(p) ?? null;
    const right = ours === id || (ours !== null && id !== null && equivalent !== undefined && equivalent(ours, id));
    all++;
    if (right) allRight++;
    if (id !== null) {
      matched++;
      if (right) matchedRight++;
    }
  }
  return { matched, matchedRight, all, allRight };
}
