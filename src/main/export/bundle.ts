/**
 * Lesson bundle: one zip (fflate) holding manifest.json, the source recording, the score (its
 * source file when it has one, and always the parsed score.json), the performance, the review and
 * the annotations. Every file's sha256 is in the manifest and checked on import: a damaged bundle
 * is refused as a whole.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { AppError } from '../../shared/errors';
import type { LessonAnnotation, LessonReview, LessonSourceKind, LessonStatus } from '../../shared/lessons';
import type { Performance } from '../../shared/performance';
import type { Score } from '../../shared/score';
import { sha256Hex } from '../services/lessons-files';

export const BUNDLE_FORMAT = 'seminote-lesson-bundle';
export const BUNDLE_VERSION = 1;
export const BUNDLE_EXTENSION = '.seminote-lesson';

export interface BundleLesson {
  title: string;
  createdAt: number;
  sourceKind: LessonSourceKind;
  sourceFileName: string;
  sourceSha256: string;
  status: LessonStatus;
  error: string | null;
}

export interface BundlePiece {
  title: string;
  composer: string;
  sourceFileName: string | null;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  exportedAt: number;
  appVersion: string;
  lesson: BundleLesson;
  student: { name: string };
  piece: BundlePiece | null;
  /** Path in the zip → sha256 (hex) and size of its bytes. */
  files: Record<string, { sha256: string; bytes: number }>;
}

export interface BundleContent {
  lesson: BundleLesson;
  student: { name: string };
  piece: (BundlePiece & { score: Score; sourceBytes: Uint8Array | null }) | null;
  source: Uint8Array;
  performance: Performance | null;
  review: LessonReview | null;
  annotations: Pick<LessonAnnotation, 'measureIndex' | 'text' | 'createdAt'>[];
}

const PATHS = {
  source: 'source/recording',
  scoreJson: 'score/score.json',
  scoreSource: 'score/source',
  performance: 'performance.json',
  review: 'review.json',
  annotations: 'annotations.json',
} as const;

const json = (value: unknown) => strToU8(JSON.stringify(value));

export function buildBundle(content: BundleContent, appVersion: string, exportedAt = Date.now()): Uint8Array {
  const files: Record<string, Uint8Array> = {
    [PATHS.source]: content.source,
    [PATHS.performance]: json(content.performance),
    [PATHS.review]: json(content.review),
    [PATHS.annotations]: json(content.annotations),
  };
  if (content.piece) {
    files[PATHS.scoreJson] = json(content.piece.score);
    if (content.piece.sourceBytes) files[PATHS.scoreSource] = content.piece.sourceBytes;
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt,
    appVersion,
    lesson: content.lesson,
    student: content.student,
    piece: content.piece ? { title: content.piece.title, composer: content.piece.composer, sourceFileName: content.piece.sourceFileName } : null,
    files: Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, { sha256: sha256Hex(bytes), bytes: bytes.length }])),
  };
  // Recordings are already compressed (or barely compressible): level 6 costs time for little.
  return zipSync({ 'manifest.json': json(manifest), ...files }, { level: 1 });
}

const corrupt = (why: string) => new AppError('PARSE_ERROR', `Not a valid lesson bundle: ${why}.`);

function parseJson<T>(bytes: Uint8Array, path: string): T {
  try {
    return JSON.parse(strFromU8(bytes)) as T;
  } catch {
    throw corrupt(`${path} is not valid JSON`);
  }
}

function checkManifest(manifest: BundleManifest): void {
  if (manifest?.format !== BUNDLE_FORMAT) throw corrupt('manifest.json does not name the lesson bundle format');
  if (typeof manifest.version !== 'number') throw corrupt('manifest.json has no version');
  if (manifest.version > BUNDLE_VERSION) {
    throw new AppError('UNSUPPORTED', `This lesson bundle is version ${manifest.version}; this Seminote reads up to version ${BUNDLE_VERSION}. Update Seminote.`);
  }
  const lesson = manifest.lesson;
  if (!lesson || typeof lesson.title !== 'string' || !['midi', 'audio'].includes(lesson.sourceKind) || typeof lesson.sourceSha256 !== 'string') {
    throw corrupt('manifest.json has no valid lesson entry');
  }
  if (typeof manifest.student?.name !== 'string' || manifest.student.name.trim() === '') throw corrupt('manifest.json names no student');
  if (!manifest.files || typeof manifest.files !== 'object') throw corrupt('manifest.json lists no files');
}

/** Unzips, checks the manifest and every file's sha256; throws PARSE_ERROR naming the first problem. */
export function readBundle(bytes: Uint8Array): BundleContent {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw corrupt(`the zip cannot be read (${(err as Error).message})`);
  }
  const manifestBytes = entries['manifest.json'];
  if (!manifestBytes) throw corrupt('manifest.json is missing');
  const manifest = parseJson<BundleManifest>(manifestBytes, 'manifest.json');
  checkManifest(manifest);
  for (const [path, expected] of Object.entries(manifest.files)) {
    const data = entries[path];
    if (!data) throw corrupt(`${path} is missing`);
    if (data.length !== expected.bytes || sha256Hex(data) !== expected.sha256) throw corrupt(`${path} is damaged (sha256 mismatch)`);
  }
  const required = [PATHS.source, PATHS.performance, PATHS.review, PATHS.annotations, ...(manifest.piece ? [PATHS.scoreJson] : [])];
  for (const path of required) if (!manifest.files[path]) throw corrupt(`${path} is not listed in the manifest`);
  const source = entries[PATHS.source]!;
  if (sha256Hex(source) !== manifest.lesson.sourceSha256) throw corrupt('the recording does not match the lesson sha256');
  const annotations = parseJson<BundleContent['annotations']>(entries[PATHS.annotations]!, PATHS.annotations);
  if (!Array.isArray(annotations) || !annotations.every((a) => Number.isInteger(a.measureIndex) && a.measureIndex >= 0 && typeof a.text === 'string')) {
    throw corrupt('annotations.json is not a list of bar annotations');
  }
  return {
    lesson: manifest.lesson,
    student: manifest.student,
    piece: manifest.piece
      ? {
          ...manifest.piece,
          score: parseJson<Score>(entries[PATHS.scoreJson]!, PATHS.scoreJson),
          sourceBytes: manifest.files[PATHS.scoreSource] ? entries[PATHS.scoreSource]! : null,
        }
      : null,
    source,
    performance: parseJson<Performance | null>(entries[PATHS.performance]!, PATHS.performance),
    review: parseJson<LessonReview | null>(entries[PATHS.review]!, PATHS.review),
    annotations,
  };
}
