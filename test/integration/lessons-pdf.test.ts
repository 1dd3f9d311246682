/**
 * The lesson report as PDF: the HTML report printed by the system's Chromium (headless), read back
 * with a small PDF text reader to check it carries the piece, the student and the teacher's
 * comments; and the clear errors when there is no engine or the engine fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PieceRecord, Profile } from '../../src/shared/api';
import type { ExportedFile, LessonRecord } from '../../src/shared/lessons';
import { AppError } from '../../src/shared/errors';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { dispatch } from '../../src/main/dispatch';
import { chromiumPdfEngine, CHROMIUM_CANDIDATES, findPdfEngine, isPdf, NO_PDF_ENGINE_MESSAGE } from '../../src/main/export/pdf';
import { exportReportPdf } from '../../src/main/services/lessons-exports';
import { SHARED_DATA, tempDir } from './helpers';
import { pdfText } from './pdf-text';

const VIENNA_XML = join(SHARED_DATA, 'vienna4x22/musicxml/Chopin_op10_no3.musicxml');
const VIENNA_MID = join(SHARED_DATA, 'vienna4x22/midi/Chopin_op10_no3_p01.mid');
const dir = tempDir('lessons-pdf');
const services: Services = createServices({ dataDir: dir.path, watchMidiDevices: false });
afterAll(() => {
  services.dispose();
  dir.remove();
});

async function call<T>(method: string, args: unknown): Promise<T> {
  const result = await dispatch(services, method, args);
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  return result.value as T;
}

async function commentedLesson(): Promise<LessonRecord> {
  const profile = await call<Profile>('profiles.create', { name: 'Clara Wieck' });
  const piece = await call<PieceRecord>('library.import', { fileName: 'Chopin_op10_no3.musicxml', dataBase64: readFileSync(VIENNA_XML).toString('base64') });
  const lesson = await call<LessonRecord>('lessons.import', {
    profileId: profile.id,
    pieceId: piece.id,
    fileName: 'op10no3-take.mid',
    title: 'Etude op 10 no 3 first take',
    dataBase64: readFileSync(VIENNA_MID).toString('base64'),
  });
  await call('lessons.annotate', { lessonId: lesson.id, measureIndex: 4, text: 'Let the left hand breathe under the melody' });
  await call('lessons.annotate', { lessonId: lesson.id, measureIndex: 11, text: 'Pedal changes with the harmony here' });
  return lesson;
}

const hasChromium = CHROMIUM_CANDIDATES.some((p) => {
  try {
    findPdfEngine({ env: {}, electron: false, candidates: [p] });
    return true;
  } catch {
    return false;
  }
});

describe('lesson report as PDF', () => {
  it.skipIf(!hasChromium)('prints the report with its title, student and comments', async () => {
    const lesson = await commentedLesson();
    const file = await call<ExportedFile>('lessons.exportReportPdf', { lessonId: lesson.id });
    expect(file.fileName).toBe('Etude-op-10-no-3-first-take-report.pdf');
    expect(file.mimeType).toBe('application/pdf');
    const pdf = Buffer.from(file.dataBase64, 'base64');
    writeFileSync(join(dir.path, 'report.pdf'), pdf);
    expect(isPdf(pdf)).toBe(true);
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Etude op 10 no 3 first take');
    expect(text).toContain('Clara Wieck');
    expect(text).toContain('Let the left hand breathe under the melody');
    expect(text).toContain('Pedal changes with the harmony here');
    // The plots are vector drawings (SVG in the HTML): the PDF draws paths, not only text.
    expect(pdf.length).toBeGreaterThan(20_000);
  }, 120_000);

  it('says what to install when no engine exists, and names a bad SEMINOTE_CHROMIUM', () => {
    expect(() => findPdfEngine({ env: {}, electron: false, candidates: ['/nonexistent/chromium'] })).toThrow(NO_PDF_ENGINE_MESSAGE);
    try {
      findPdfEngine({ env: { SEMINOTE_CHROMIUM: '/nonexistent/chrome' }, electron: false });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('UNSUPPORTED');
      expect((err as AppError).message).toContain('/nonexistent/chrome');
    }
  });

  it('reports an engine that writes no PDF, and a lesson that does not exist, as errors', async () => {
    const lesson = (await call<LessonRecord[]>('lessons.list', {}))[0] ?? (await commentedLesson());
    // /bin/true exits 0 without printing anything.
    await expect(exportReportPdf(services.lessons, lesson.id, chromiumPdfEngine('/bin/true'))).rejects.toThrow(/did not write the PDF/);
    await expect(exportReportPdf(services.lessons, lesson.id, chromiumPdfEngine('/nonexistent/chromium'))).rejects.toThrow(/Cannot start/);
    await expect(call('lessons.exportReportPdf', { lessonId: 424242 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
