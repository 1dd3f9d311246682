/**
 * Lessons on real SQLite files: a Vienna 4x22 performance (real pianist, real MIDI) reviewed against
 * its MusicXML score, annotations, MIDI / HTML report exports, and the bundle round trip into a
 * second data dir.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { PieceRecord, Profile } from '../../src/shared/api';
import type { ExportedFile, LessonAnnotation, LessonDetail, LessonRecord } from '../../src/shared/lessons';
import type { Score } from '../../src/shared/score';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { performanceFromMidi } from '../../src/core/music';
import { sha256Hex } from '../../src/main/services/lessons-files';
import { SHARED_DATA, call, failure, tempDir } from './helpers';

const VIENNA_XML = join(SHARED_DATA, 'vienna4x22/musicxml/Chopin_op10_no3.musicxml');
const VIENNA_MID = join(SHARED_DATA, 'vienna4x22/midi/Chopin_op10_no3_p01.mid');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function open(): Services {
  const dir = tempDir('lessons');
  const services = createServices({ dataDir: dir.path, watchMidiDevices: false });
  cleanups.push(dir.remove, () => services.dispose());
  return services;
}

async function viennaLesson(services: Services, withScore = true) {
  const profile = await call<Profile>(services, 'profiles.create', { name: 'Clara' });
  const piece = await call<PieceRecord>(services, 'library.import', {
    fileName: 'Chopin_op10_no3.musicxml',
    dataBase64: readFileSync(VIENNA_XML).toString('base64'),
  });
  const midi = readFileSync(VIENNA_MID);
  const lesson = await call<LessonRecord>(services, 'lessons.import', {
    profileId: profile.id,
    pieceId: withScore ? piece.id : null,
    fileName: 'Chopin_op10_no3_p01.mid',
    dataBase64: midi.toString('base64'),
  });
  return { profile, piece, lesson, midi };
}

const decode = (file: ExportedFile) => Buffer.from(file.dataBase64, 'base64');

describe('lessons from MIDI', () => {
  it('reviews a real performance against its score', async () => {
    const services = open();
    const { lesson, piece, midi } = await viennaLesson(services);
    expect(lesson).toMatchObject({ status: 'ready', progress: 1, sourceKind: 'midi', pieceId: piece.id, title: 'Chopin_op10_no3_p01' });
    expect(lesson.sourceSha256).toBe(sha256Hex(midi));
    const detail = await call<LessonDetail>(services, 'lessons.get', { lessonId: lesson.id });
    const played = performanceFromMidi(new Uint8Array(midi));
    expect(detail.performance?.notes.length).toBe(played.notes.length);
    const { score } = await call<{ score: Score }>(services, 'library.getScore', { pieceId: piece.id });
    const review = detail.review!;
    const s = review.evaluation.summary;
    // Every played note is accounted for (a unison in two voices shares one key press); every
    // score note is matched or missed.
    const playedIndices = new Set(review.evaluation.verdicts.map((v) => v.performanceIndex).filter((p) => p !== null));
    expect(playedIndices.size).toBe(played.notes.length);
    expect(s.correct + s.wrong + s.missed).toBe(score.notes.length);
    // A concert pianist's take of the written notes: nearly all correct.
    expect(s.accuracy).toBeGreaterThan(0.9);
    expect(s.bars.length).toBe(new Set(score.notes.map((n) => n.measureIndex)).size);
    expect(s.bars.reduce((sum, b) => sum + b.correct, 0)).toBe(s.correct);
    expect(review.tempoByBar.length).toBeGreaterThan(s.bars.length / 2);
    for (const t of review.tempoByBar) {
      expect(t.qpm).toBeGreaterThan(10);
      expect(t.qpm).toBeLessThan(400);
    }
    expect(lesson.accuracy).toBeCloseTo(s.accuracy, 9);
    expect((await call<LessonRecord[]>(services, 'lessons.list', { profileId: lesson.profileId })).map((l) => l.id)).toEqual([lesson.id]);
  });

  it('attaches and detaches a score: the review follows', async () => {
    const services = open();
    const { lesson, piece } = await viennaLesson(services, false);
    expect((await call<LessonDetail>(services, 'lessons.get', { lessonId: lesson.id })).review).toBeNull();
    const attached = await call<LessonDetail>(services, 'lessons.attachScore', { lessonId: lesson.id, pieceId: piece.id });
    expect(attached.review?.evaluation.summary.accuracy).toBeGreaterThan(0.9);
    expect(attached.lesson.pieceId).toBe(piece.id);
    const detached = await call<LessonDetail>(services, 'lessons.attachScore', { lessonId: lesson.id, pieceId: null });
    expect(detached.review).toBeNull();
    expect((await failure(services, 'lessons.attachScore', { lessonId: lesson.id, pieceId: 9999 })).code).toBe('NOT_FOUND');
  });

  it('keeps bar annotations, deletes one, refuses a bar past the score', async () => {
    const services = open();
    const { lesson } = await viennaLesson(services);
    const a = await call<LessonAnnotation>(services, 'lessons.annotate', { lessonId: lesson.id, measureIndex: 4, text: 'Listen to the <melody> & breathe' });
    const b = await call<LessonAnnotation>(services, 'lessons.annotate', { lessonId: lesson.id, measureIndex: 0, text: 'Slower start' });
    expect((await call<LessonDetail>(services, 'lessons.get', { lessonId: lesson.id })).annotations.map((x) => x.id)).toEqual([b.id, a.id]);
    await call(services, 'lessons.deleteAnnotation', { annotationId: b.id });
    const after = await call<LessonDetail>(services, 'lessons.get', { lessonId: lesson.id });
    expect(after.annotations).toEqual([a]);
    expect((await failure(services, 'lessons.deleteAnnotation', { annotationId: b.id })).code).toBe('NOT_FOUND');
    expect((await failure(services, 'lessons.annotate', { lessonId: lesson.id, measureIndex: 5000, text: 'x' })).code).toBe('INVALID_ARGUMENT');
  });

  it('exports the performance as MIDI with the same notes', async () => {
    const services = open();
    const { lesson, midi } = await viennaLesson(services);
    const file = await call<ExportedFile>(services, 'lessons.exportMidi', { lessonId: lesson.id });
    expect(file.fileName).toBe('Chopin_op10_no3_p01.mid');
    const key = (n: { pitch: number; onsetSec: number }) => n.onsetSec * 1000 + n.pitch / 1000;
    const original = performanceFromMidi(new Uint8Array(midi)).notes.sort((x, y) => key(x) - key(y));
    const exported = performanceFromMidi(new Uint8Array(decode(file))).notes.sort((x, y) => key(x) - key(y));
    expect(exported.length).toBe(original.length);
    exported.forEach((n, i) => {
      const o = original[i]!;
      expect(n.pitch).toBe(o.pitch);
      expect(Math.abs(n.onsetSec - o.onsetSec)).toBeLessThan(0.003);
      expect(Math.abs(n.offsetSec - o.offsetSec)).toBeLessThan(0.003);
    });
  });

  it('exports a self-contained HTML report with bars, feedback, plots and the annotations', async () => {
    const services = open();
    const { lesson } = await viennaLesson(services);
    await call(services, 'lessons.annotate', { lessonId: lesson.id, measureIndex: 2, text: 'Keep the <legato> line' });
    const detail = await call<LessonDetail>(services, 'lessons.get', { lessonId: lesson.id });
    const html = decode(await call<ExportedFile>(services, 'lessons.exportReport', { lessonId: lesson.id })).toString('utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Keep the &lt;legato&gt; line');
    expect(html).toContain('Student: Clara');
    for (const bar of detail.review!.evaluation.summary.bars) expect(html).toContain(`<tr${bar.accuracy < 0.8 ? ' class="weak"' : ''}><td>${bar.measureNumber}`);
    for (const item of detail.review!.feedback) expect(html).toContain(item.text.replace(/&/g, '&amp;'));
    // Two plots, and bar excerpts: the commented bar first, then weak bars.
    expect(html.match(/<svg [^>]*aria-label="(Timing deviation per note|Tempo over bars)"/g)?.length).toBe(2);
    const { score } = await call<{ score: Score }>(services, 'library.getScore', { pieceId: lesson.pieceId! });
    const excerpts = [...html.matchAll(/<div class="excerpt-item"><h3>Bar ([^<]+)<\/h3>[\s\S]*?<\/div>/g)];
    expect(excerpts[0]?.[1]).toBe(score.measures[2]!.number);
    expect(excerpts[0]?.[0]).toContain('Keep the &lt;legato&gt; line');
    // One outline per written note of that bar.
    expect(excerpts[0]?.[0].match(/fill="none" stroke=/g)?.length).toBe(score.notes.filter((n) => n.measureIndex === 2).length);
    expect(html.match(/<circle /g)?.length).toBeGreaterThan(detail.review!.tempoByBar.length);
    // Self-contained: no scripts, no links to anything outside the file.
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });

  it('refuses bad files with a clear error and stores nothing', async () => {
    const services = open();
    const profile = await call<Profile>(services, 'profiles.create', { name: 'Ben' });
    const bad = Buffer.from('definitely not a MIDI file').toString('base64');
    expect((await failure(services, 'lessons.import', { profileId: profile.id, fileName: 'take.mid', dataBase64: bad })).code).toBe('PARSE_ERROR');
    expect((await failure(services, 'lessons.import', { profileId: profile.id, fileName: 'take.wav', dataBase64: bad })).code).toMatch(/PARSE_ERROR|UNSUPPORTED/);
    expect((await failure(services, 'lessons.import', { profileId: profile.id, fileName: 'take.txt', dataBase64: bad })).code).toBe('UNSUPPORTED');
    expect((await failure(services, 'lessons.import', { profileId: 999, fileName: 'take.mid', dataBase64: bad })).code).toBe('NOT_FOUND');
    expect(await call<LessonRecord[]>(services, 'lessons.list', {})).toEqual([]);
    expect(readdirSync(join(services.dataDir, 'lessons'))).toEqual([]);
  });

  it('deletes a lesson with its file and annotations', async () => {
    const services = open();
    const { lesson } = await viennaLesson(services);
    await call(services, 'lessons.annotate', { lessonId: lesson.id, measureIndex: 1, text: 'gone soon' });
    expect(readdirSync(join(services.dataDir, 'lessons'))).toEqual([`${lesson.id}.mid`]);
    await call(services, 'lessons.delete', { lessonId: lesson.id });
    expect(readdirSync(join(services.dataDir, 'lessons'))).toEqual([]);
    expect(services.db.prepare('SELECT count(*) FROM lesson_annotations').pluck().get()).toBe(0);
    expect((await failure(services, 'lessons.get', { lessonId: lesson.id })).code).toBe('NOT_FOUND');
  });
});

describe('lesson files', () => {
  it('removes the files of a deleted student\'s lessons on the next start', async () => {
    const dir = tempDir('lessons-orphans');
    cleanups.push(dir.remove);
    const services = createServices({ dataDir: dir.path, watchMidiDevices: false });
    const { lesson, profile } = await viennaLesson(services);
    await call(services, 'profiles.delete', { profileId: profile.id });
    expect(readdirSync(join(dir.path, 'lessons'))).toEqual([`${lesson.id}.mid`]);
    services.dispose();
    const reopened = createServices({ dataDir: dir.path, watchMidiDevices: false });
    cleanups.push(() => reopened.dispose());
    expect(readdirSync(join(dir.path, 'lessons'))).toEqual([]);
  });
});

describe('lesson bundles', () => {
  it('restores everything into another data dir', async () => {
    const source = open();
    const { lesson } = await viennaLesson(source);
    await call(source, 'lessons.annotate', { lessonId: lesson.id, measureIndex: 3, text: 'Pedal later here' });
    const before = await call<LessonDetail>(source, 'lessons.get', { lessonId: lesson.id });
    const bundle = await call<ExportedFile>(source, 'lessons.exportBundle', { lessonId: lesson.id });
    expect(bundle.fileName).toBe('Chopin_op10_no3_p01.seminote-lesson');

    const target = open();
    const imported = await call<LessonRecord>(target, 'lessons.importBundle', { dataBase64: bundle.dataBase64 });
    const after = await call<LessonDetail>(target, 'lessons.get', { lessonId: imported.id });
    const { id: _a, profileId: _b, pieceId: _c, ...lessonFields } = before.lesson;
    expect(after.lesson).toMatchObject(lessonFields);
    expect(after.performance).toEqual(before.performance);
    expect(after.review).toEqual(before.review);
    expect(after.annotations.map(({ measureIndex, text, createdAt }) => ({ measureIndex, text, createdAt }))).toEqual(
      before.annotations.map(({ measureIndex, text, createdAt }) => ({ measureIndex, text, createdAt })),
    );
    const stored = readFileSync(join(target.dataDir, 'lessons', `${imported.id}.mid`));
    expect(sha256Hex(stored)).toBe(before.lesson.sourceSha256);
    expect((await call<Profile[]>(target, 'profiles.list', {})).map((p) => p.name)).toEqual(['Clara']);
    const scoreBefore = await call<{ score: Score }>(source, 'library.getScore', { pieceId: before.lesson.pieceId });
    const scoreAfter = await call<{ score: Score }>(target, 'library.getScore', { pieceId: after.lesson.pieceId });
    expect(scoreAfter.score).toEqual(scoreBefore.score);
    // A second import reuses the student and the piece.
    const again = await call<LessonRecord>(target, 'lessons.importBundle', { dataBase64: bundle.dataBase64 });
    expect(again.pieceId).toBe(imported.pieceId);
    expect(again.profileId).toBe(imported.profileId);
  });

  it('rejects a corrupt or tampered bundle and stores nothing', async () => {
    const source = open();
    const { lesson } = await viennaLesson(source);
    const bytes = decode(await call<ExportedFile>(source, 'lessons.exportBundle', { lessonId: lesson.id }));
    const target = open();
    const piecesBefore = (await call<PieceRecord[]>(target, 'library.list', {})).length;

    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    const damaged = Buffer.from(bytes);
    for (let i = 200; i < 260; i++) damaged[i] = damaged[i]! ^ 0xff;
    const entries = unzipSync(new Uint8Array(bytes));
    const notes = JSON.parse(strFromU8(entries['annotations.json']!)) as unknown[];
    notes.push({ measureIndex: 1, text: 'forged', createdAt: 1 });
    const tampered = zipSync({ ...entries, 'annotations.json': strToU8(JSON.stringify(notes)) });
    const manifest = JSON.parse(strFromU8(entries['manifest.json']!)) as { version: number };
    const future = zipSync({ ...entries, 'manifest.json': strToU8(JSON.stringify({ ...manifest, version: 99 })) });

    for (const [bad, code, message] of [
      [truncated, 'PARSE_ERROR', /not a valid lesson bundle/i],
      [damaged, 'PARSE_ERROR', /not a valid lesson bundle/i],
      [tampered, 'PARSE_ERROR', /annotations\.json is damaged/],
      [future, 'UNSUPPORTED', /version 99/],
      [Buffer.from('plain text'), 'PARSE_ERROR', /zip/],
    ] as const) {
      const error = await failure(target, 'lessons.importBundle', { dataBase64: Buffer.from(bad).toString('base64') });
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
    expect(await call<LessonRecord[]>(target, 'lessons.list', {})).toEqual([]);
    expect(await call<Profile[]>(target, 'profiles.list', {})).toEqual([]);
    expect((await call<PieceRecord[]>(target, 'library.list', {})).length).toBe(piecesBefore);
    expect(existsSync(join(target.dataDir, 'lessons')) ? readdirSync(join(target.dataDir, 'lessons')) : []).toEqual([]);
  });
});
