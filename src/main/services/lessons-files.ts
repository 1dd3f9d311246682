/**
 * Lesson source files under <dataDir>/lessons: recordings are too large for SQLite rows. Written
 * to a temporary name first and renamed once the row exists, so a crash leaves at worst an
 * orphan temp file, never a row without its file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { AppError } from '../../shared/errors';

export const LESSONS_DIR = 'lessons';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export class LessonFiles {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, LESSONS_DIR);
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  /** Writes bytes under a temporary name; returns its absolute path. */
  writeTemp(bytes: Uint8Array, fileName: string): string {
    const path = join(this.root, `tmp-${randomUUID()}${safeExtension(fileName)}`);
    writeFileSync(path, bytes, { mode: 0o600 });
    return path;
  }

  /** Moves a temp file to its lesson's name; returns the path relative to the lessons dir. */
  commit(tempPath: string, lessonId: number, fileName: string): string {
    const relative = `${lessonId}${safeExtension(fileName)}`;
    renameSync(tempPath, join(this.root, relative));
    return relative;
  }

  absolute(relative: string): string {
    return join(this.root, relative);
  }

  read(relative: string): Uint8Array {
    try {
      return new Uint8Array(readFileSync(this.absolute(relative)));
    } catch (err) {
      throw new AppError('NOT_FOUND', `The lesson's source file is missing (${relative}): ${(err as Error).message}`);
    }
  }

  /** Removes every file in the lessons dir not named in `kept` (relative names). */
  removeExcept(kept: ReadonlySet<string>, now = Date.now()): void {
    for (const name of readdirSync(this.root)) {
      if (kept.has(name)) continue;
      const path = join(this.root, name);
      // A young temp file may be another process's import in flight (two apps on one data dir).
      if (name.startsWith('tmp-') && now - statSync(path).mtimeMs < 3_600_000) continue;
      rmSync(path, { force: true, recursive: true });
    }
  }

  remove(pathOrRelative: string): void {
    rmSync(pathOrRelative.startsWith(this.root) ? pathOrRelative : this.absolute(pathOrRelative), { force: true });
  }
}

/** The extension only (lower case, letters and digits): user file names never reach the disk. */
function safeExtension(fileName: string): string {
  const ext = extname(fileName).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? ext : '';
}
