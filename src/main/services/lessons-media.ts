/**
 * A lesson's recording for the review's <audio> player. Serve mode streams the file over HTTP
 * (`GET /media/lessons/<id>?token=…`) with byte ranges, because an audio element seeks by asking
 * for ranges and would otherwise download the whole file before every jump. Electron has no HTTP
 * server, so `lessons.recording` hands the same bytes over IPC.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../shared/errors';
import type { ExportedFile } from '../../shared/lessons';
import { LESSON_MEDIA_PREFIX, TOKEN_QUERY_PARAM } from '../../shared/wire';
import * as repo from '../db/lessons';
import { bearerToken, tokensEqual } from '../server/auth';
import type { LessonService } from './lessons';

const AUDIO_MIME: Record<string, string> = {
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
};

export interface RecordingFile {
  path: string;
  size: number;
  mimeType: string;
  fileName: string;
}

/** The stored recording of an audio lesson; CONFLICT for MIDI lessons (they have none). */
export function recordingFile(service: LessonService, lessonId: number): RecordingFile {
  const { db } = service.deps;
  const lesson = repo.getLesson(db, lessonId);
  if (lesson.sourceKind !== 'audio') throw new AppError('CONFLICT', `Lesson ${lessonId} is a MIDI take: it has no recording to play.`);
  const relative = repo.getLessonSourcePath(db, lessonId);
  const path = service.files.absolute(relative);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new AppError('NOT_FOUND', `The recording of lesson ${lessonId} is missing (${relative}).`);
  }
  const ext = /\.[a-z0-9]+$/.exec(relative)?.[0] ?? '';
  return { path, size, mimeType: AUDIO_MIME[ext] ?? 'application/octet-stream', fileName: lesson.sourceFileName };
}

export function recordingExport(service: LessonService, lessonId: number): ExportedFile {
  const file = recordingFile(service, lessonId);
  return { fileName: file.fileName, mimeType: file.mimeType, dataBase64: Buffer.from(service.files.read(repo.getLessonSourcePath(service.deps.db, lessonId))).toString('base64') };
}

export type ByteRange = { start: number; end: number };

/**
 * One `Range: bytes=…` range (what media elements send) against a file of `size` bytes: the
 * inclusive byte range, null for no/ignored Range (serve it all), 'unsatisfiable' for a range
 * past the end. Multi-range requests are answered with the whole file, which RFC 9110 allows.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return null;
  return { start, end };
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(text);
}

const HTTP_STATUS: Partial<Record<AppError['code'], number>> = { NOT_FOUND: 404, CONFLICT: 409 };

/** GET/HEAD /media/lessons/<id>: the token comes in the query (an <audio src> cannot send headers) or as a Bearer header. */
export function handleLessonMedia(service: LessonService, token: string, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  if (!tokensEqual(url.searchParams.get(TOKEN_QUERY_PARAM) ?? bearerToken(req), token)) {
    sendText(res, 401, 'Missing or wrong token.');
    return;
  }
  const idText = url.pathname.slice(LESSON_MEDIA_PREFIX.length);
  const lessonId = /^[1-9]\d{0,9}$/.test(idText) ? Number(idText) : NaN;
  if (!Number.isSafeInteger(lessonId)) {
    sendText(res, 404, `No lesson ${idText}.`);
    return;
  }
  let file: RecordingFile;
  try {
    file = recordingFile(service, lessonId);
  } catch (err) {
    if (err instanceof AppError) sendText(res, HTTP_STATUS[err.code] ?? 400, err.message);
    else throw err;
    return;
  }
  sendFileRange(req, res, file);
}

/**
 * Answers GET/HEAD for a file honouring a single `Range` (206 + Content-Range, 416 past the end,
 * 200 with the whole file otherwise). For any served recording.
 */
export function sendFileRange(req: IncomingMessage, res: ServerResponse, file: { path: string; size: number; mimeType: string }): void {
  const range = parseByteRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    sendText(res, 416, 'Range not satisfiable', { 'Content-Range': `bytes */${file.size}` });
    return;
  }
  const { start, end } = range ?? { start: 0, end: file.size - 1 };
  const length = file.size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    'Content-Type': file.mimeType,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-store',
    'Content-Length': String(length),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.size}` } : {}),
  });
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
