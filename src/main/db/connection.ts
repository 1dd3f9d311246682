/** Opens the app database: a real file, WAL, foreign keys on, migrated to this build's schema. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/types';
import { migrate } from './migrate';

export type { Database };

export const DATABASE_FILE_NAME = 'seminote.db';

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  // Student data: readable by this user only (applies when the directory is created).
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (err) {
    throw new AppError('INTERNAL', `Cannot open database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a committed attempt survives power loss too, not only a killed process.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
