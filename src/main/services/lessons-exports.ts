/** Lesson exports (MIDI, HTML report, bundle), bundle import, and the lessons.* handler map. */
import { performanceToMidi } from '../../core/transcription/midi-export';
import { AppError } from '../../shared/errors';
import type { ExportedFile, LessonRecord } from '../../shared/lessons';
import type { Score } from '../../shared/score';
import { createProfile, getPieceRecord, getProfile, insertPiece, listProfiles } from '../db';
import * as repo from '../db/lessons';
import { buildBundle, BUNDLE_EXTENSION, readBundle } from '../export/bundle';
import type { BundleContent } from '../export/bundle';
import { findPdfEngine } from '../export/pdf';
import type { PdfEngine } from '../export/pdf';
import { lessonReportHtml } from '../export/report';
import { decodeLessonBase64, INTERRUPTED_ERROR, lessonSourceKind, MAX_LESSON_BYTES } from './lessons';
import type { LessonService } from './lessons';
import { recordingExport } from './lessons-media';

const fileStem = (title: string) => title.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'lesson';
const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');

export function exportMidi(service: LessonService, lessonId: number): ExportedFile {
  const lesson = repo.getLesson(service.deps.db, lessonId);
  const performance = repo.getLessonPerformance(service.deps.db, lessonId);
  if (!performance) throw new AppError('CONFLICT', `Lesson ${lessonId} has no performance yet (status ${lesson.status}).`);
  return { fileName: `${fileStem(lesson.title)}.mid`, mimeType: 'audio/midi', dataBase64: base64(performanceToMidi(performance, lesson.title)) };
}

function reportHtml(service: LessonService, lessonId: number, generatedAt?: number): { title: string; html: string } {
  const { db, scores } = service.deps;
  const detail = service.detail(lessonId);
  const { lesson } = detail;
  const html = lessonReportHtml({
    ...detail,
    studentName: getProfile(db, lesson.profileId).name,
    pieceTitle: lesson.pieceId === null ? null : getPieceRecord(db, lesson.pieceId).title,
    score: lesson.pieceId === null ? null : scores.get(lesson.pieceId),
    ...(generatedAt !== undefined ? { generatedAt } : {}),
  });
  return { title: lesson.title, html };
}

export function exportReport(service: LessonService, lessonId: number, generatedAt?: number): ExportedFile {
  const { title, html } = reportHtml(service, lessonId, generatedAt);
  return { fileName: `${fileStem(title)}-report.html`, mimeType: 'text/html', dataBase64: Buffer.from(html, 'utf8').toString('base64') };
}

/** The same HTML report printed by a browser engine (export/pdf.ts picks it; UNSUPPORTED when there is none). */
export async function exportReportPdf(service: LessonService, lessonId: number, engine?: PdfEngine): Promise<ExportedFile> {
  const { title, html } = reportHtml(service, lessonId);
  const pdf = await (engine ?? findPdfEngine()).htmlToPdf(html);
  return { fileName: `${fileStem(title)}-report.pdf`, mimeType: 'application/pdf', dataBase64: base64(pdf) };
}

interface PieceSourceRow {
  title: string;
  composer: string;
  source_file_name: string | null;
  source_bytes: Buffer | null;
}

export function exportBundle(service: LessonService, lessonId: number, appVersion: string): ExportedFile {
  const { db, scores } = service.deps;
  const detail = service.detail(lessonId);
  const { lesson } = detail;
  if (lesson.status === 'pending' || lesson.status === 'transcribing') {
    throw new AppError('CONFLICT', `Lesson ${lessonId} is still being transcribed; export it when it is ready.`);
  }
  const piece = lesson.pieceId === null ? null : (db.prepare('SELECT title, composer, source_file_name, source_bytes FROM pieces WHERE id = ?').get(lesson.pieceId) as PieceSourceRow);
  const content: BundleContent = {
    lesson: {
      title: lesson.title,
      createdAt: lesson.createdAt,
      sourceKind: lesson.sourceKind,
      sourceFileName: lesson.sourceFileName,
      sourceSha256: lesson.sourceSha256,
      status: lesson.status,
      error: lesson.error,
    },
    student: { name: getProfile(db, lesson.profileId).name },
    piece:
      piece && lesson.pieceId !== null
        ? {
            title: piece.title,
            composer: piece.composer,
            sourceFileName: piece.source_file_name,
            score: scores.get(lesson.pieceId),
            sourceBytes: piece.source_bytes ? new Uint8Array(piece.source_bytes) : null,
          }
        : null,
    source: service.files.read(repo.getLessonSourcePath(db, lessonId)),
    performance: detail.performance,
    review: detail.review,
    annotations: detail.annotations.map(({ measureIndex, text, createdAt }) => ({ measureIndex, text, createdAt })),
  };
  return { fileName: `${fileStem(lesson.title)}${BUNDLE_EXTENSION}`, mimeType: 'application/zip', dataBase64: base64(buildBundle(content, appVersion)) };
}

/** The same score already in the library (same parsed score), else a new imported piece. */
function pieceFor(service: LessonService, piece: NonNullable<BundleContent['piece']>): number {
  const { db } = service.deps;
  const scoreJson = JSON.stringify(piece.score);
  const existing = db.prepare('SELECT id FROM pieces WHERE score_json = ? ORDER BY id LIMIT 1').pluck().get(scoreJson) as number | undefined;
  if (existing !== undefined) return existing;
  const score: Score = piece.score;
  return insertPiece(db, {
    title: piece.title,
    composer: piece.composer,
    origin: 'import',
    difficulty: null,
    category: 'Imported',
    ...(piece.sourceFileName ? { sourceFileName: piece.sourceFileName } : {}),
    ...(piece.sourceBytes ? { sourceBytes: piece.sourceBytes } : {}),
    score,
  }).id;
}

/** Verifies the whole bundle first; then student, piece, lesson and annotations go in one transaction. */
export function importBundle(service: LessonService, dataBase64: string): LessonRecord {
  const { db } = service.deps;
  const content = readBundle(decodeLessonBase64(dataBase64, 'The lesson bundle', MAX_LESSON_BYTES + 50 * 1024 * 1024));
  if (lessonSourceKind(content.lesson.sourceFileName) !== content.lesson.sourceKind) {
    throw new AppError('PARSE_ERROR', 'Not a valid lesson bundle: the recording file name does not match its kind.');
  }
  const temp = service.files.writeTemp(content.source, content.lesson.sourceFileName);
  try {
    return db.transaction(() => {
      const name = content.student.name.trim();
      const profile = listProfiles(db).find((p) => p.name === name) ?? createProfile(db, name);
      const pieceId = content.piece ? pieceFor(service, content.piece) : null;
      const unfinished = content.lesson.status === 'pending' || content.lesson.status === 'transcribing';
      return service.store(
        temp,
        {
          profileId: profile.id,
          pieceId,
          title: content.lesson.title,
          createdAt: content.lesson.createdAt,
          sourceKind: content.lesson.sourceKind,
          sourceFileName: content.lesson.sourceFileName,
          sourceSha256: content.lesson.sourceSha256,
          sourceSize: content.source.length,
          status: unfinished ? 'failed' : content.lesson.status,
          progress: content.lesson.status === 'ready' ? 1 : 0,
          error: unfinished ? INTERRUPTED_ERROR : content.lesson.error,
          performance: content.performance,
          review: content.review,
        },
        content.annotations,
      );
    })();
  } catch (err) {
    service.files.remove(temp);
    throw err;
  }
}

export function lessonHandlers(service: LessonService, appVersion: string) {
  return {
    'lessons.list': ({ profileId }: { profileId?: number | undefined }) => service.list(profileId),
    'lessons.import': (args: Parameters<LessonService['import']>[0]) => service.import(args),
    'lessons.get': ({ lessonId }: { lessonId: number }) => service.detail(lessonId),
    'lessons.cancel': ({ lessonId }: { lessonId: number }) => service.cancel(lessonId),
    'lessons.retry': ({ lessonId }: { lessonId: number }) => service.retry(lessonId),
    'lessons.attachScore': ({ lessonId, pieceId }: { lessonId: number; pieceId: number | null }) => service.attachScore(lessonId, pieceId),
    'lessons.annotate': ({ lessonId, measureIndex, text }: { lessonId: number; measureIndex: number; text: string }) =>
      service.annotate(lessonId, measureIndex, text),
    'lessons.deleteAnnotation': ({ annotationId }: { annotationId: number }) => {
      repo.deleteAnnotation(service.deps.db, annotationId);
      return { deleted: true as const };
    },
    'lessons.delete': async ({ lessonId }: { lessonId: number }) => {
      await service.delete(lessonId);
      return { deleted: true as const };
    },
    'lessons.exportMidi': ({ lessonId }: { lessonId: number }) => exportMidi(service, lessonId),
    'lessons.exportReport': ({ lessonId }: { lessonId: number }) => exportReport(service, lessonId),
    'lessons.exportBundle': ({ lessonId }: { lessonId: number }) => exportBundle(service, lessonId, appVersion),
    'lessons.exportReportPdf': ({ lessonId }: { lessonId: number }) => exportReportPdf(service, lessonId),
    'lessons.recording': ({ lessonId }: { lessonId: number }) => recordingExport(service, lessonId),
    'lessons.importBundle': ({ dataBase64 }: { dataBase64: string }) => importBundle(service, dataBase64),
  };
}
