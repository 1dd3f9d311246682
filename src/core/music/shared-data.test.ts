/**
 * Robustness over the research data in ../shared/data: every MusicXML/MXL file either imports
 * into a well-formed Score or is refused with an AppError, never another error type.
 * The unit run takes a deterministic sample (every file of the small parser-fixture folders, a
 * stride through the big ones); `npx tsx scripts/import-report.ts ../shared/data` walks them all.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { importScore } from './import';
import { parseMusicXml } from './musicxml';
import { performanceFromMidi } from './midi';
import { findScoreProblem } from './validate';

const DATA_ROOT = resolve(import.meta.dirname, '../../../../shared/data');
const FOLDERS = ['partitura_testdata', 'vienna4x22', 'music21', 'nasap', 'batik_plays_mozart'];
/** Take every Nth file in these folders; the rest are covered by the import report. */
const STRIDE: Record<string, number> = { music21: 12, nasap: 15, batik_plays_mozart: 12 };
/** Keep the unit run quick: skip the few very large files here (the report walks them). */
const MAX_SAMPLE_BYTES = 1_500_000;

function scoreFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...scoreFiles(path));
    else if (/\.(musicxml|xml|mxl)$/i.test(name) && !/META-INF/.test(path)) found.push(path);
  }
  return found;
}

function sample(): string[] {
  return FOLDERS.filter((f) => existsSync(join(DATA_ROOT, f))).flatMap((folder) => {
    const stride = STRIDE[folder] ?? 1;
    return scoreFiles(join(DATA_ROOT, folder))
      .filter((_, i) => i % stride === 0)
      .filter((path) => statSync(path).size <= MAX_SAMPLE_BYTES);
  });
}

describe.skipIf(!existsSync(DATA_ROOT))('import over ../shared/data', () => {
  const files = existsSync(DATA_ROOT) ? sample() : [];

  it('finds a sample from every folder', () => {
    expect(files.length).toBeGreaterThan(80);
    for (const folder of FOLDERS) expect(files.some((f) => relative(DATA_ROOT, f).startsWith(folder))).toBe(true);
  });

  // One test per file: each gets its own time budget and a failure names the file.
  it.each(files.map((path) => [relative(DATA_ROOT, path), path]))('%s imports into a valid score or gives an AppError', (_, path) => {
    let outcome: string;
    try {
      const score = importScore(path, new Uint8Array(readFileSync(path)));
      outcome = findScoreProblem(score) ?? 'ok';
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome = 'refused';
      expect(error.message.length).toBeGreaterThan(5);
    }
    // A named refusal is acceptable; an imported score that breaks the invariants is not.
    expect(['ok', 'refused']).toContain(outcome);
  });
});

const UNFOLD_DIR = join(DATA_ROOT, 'partitura_testdata/musicxml');

describe.skipIf(!existsSync(UNFOLD_DIR))('repeat expansion against partitura unfolded references', () => {
  const read = (name: string): string[] =>
    parseMusicXml(readFileSync(join(UNFOLD_DIR, name), 'utf8')).notes.map((n) => `${n.pitch}@${n.onsetBeats}+${n.durationBeats}`);

  it.each(['timeline', 'volta_numbers'])('unfolds test_unfold_%s.xml exactly like the reference', (name) => {
    expect(read(`test_unfold_${name}.xml`)).toEqual(read(`test_unfold_${name}_result.xml`));
  });

  // partitura takes repeats again after D.C.; we follow the common practice of not repeating
  // after a D.C./D.S. jump, so only the part before the jump must agree.
  it.each([
    ['complex', 13],
    ['dacapo', 16],
  ])('unfolds test_unfold_%s.xml like the reference up to the D.C. jump', (name, barsBeforeJump) => {
    const ours = parseMusicXml(readFileSync(join(UNFOLD_DIR, `test_unfold_${name}.xml`), 'utf8'));
    const theirs = parseMusicXml(readFileSync(join(UNFOLD_DIR, `test_unfold_${name}_result.xml`), 'utf8'));
    const beforeJump = (score: typeof ours): string[] =>
      score.notes.filter((n) => n.measureIndex < barsBeforeJump).map((n) => `${n.pitch}@${n.onsetBeats}+${n.durationBeats}`);
    expect(ours.measures.length).toBeGreaterThan(barsBeforeJump);
    expect(beforeJump(ours)).toEqual(beforeJump(theirs));
  });
});

const NASAP_PIECE = join(DATA_ROOT, 'nasap/Haydn/Keyboard_Sonatas/48-2');

describe.skipIf(!existsSync(NASAP_PIECE))('performanceFromMidi against (n)ASAP annotations', () => {
  it.each(['PrjevalskayaM03M', 'GarritsonL03M'])('finds every annotated note of %s at its pitch and onset', (take) => {
    const performance = performanceFromMidi(new Uint8Array(readFileSync(join(NASAP_PIECE, `${take}.mid`))));
    // Columns: xml_id, midi_id, track, channel, pitch, onset (seconds in the performance MIDI).
    const rows = readFileSync(join(NASAP_PIECE, `${take}_note_alignments/note_alignment.tsv`), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .filter((cols) => cols[1] !== 'deletion');
    expect(performance.notes).toHaveLength(rows.length);
    const unmatched = rows.filter(
      (cols) => !performance.notes.some((n) => n.pitch === Number(cols[4]) && Math.abs(n.onsetSec - Number(cols[5])) < 0.002),
    );
    expect(unmatched).toEqual([]);
    expect(performance.pedal.length).toBeGreaterThan(0);
    expect(performance.pedal.every((p) => p.value >= 0 && p.value <= 127)).toBe(true);
  });
});
