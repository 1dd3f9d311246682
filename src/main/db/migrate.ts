/**
 * Applies append-only migrations, each once, in its own transaction, recorded in `migrations`.
 * Refuses a database whose applied list is not a prefix of the known list: such a file was
 * written by another (newer or diverged) build, and guessing at its schema would corrupt it.
 */
import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import type { Migration } from './migrations/types';

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export function appliedMigrationIds(db: Database): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  return db
    .prepare('SELECT id FROM migrations ORDER BY id')
    .pluck()
    .all() as string[];
}

/** Throws CONFLICT with a message naming the first mismatch when the DB is out of sync. */
export function checkInSync(applied: readonly string[], known: readonly Migration[]): void {
  const knownIds = known.map((m) => m.id);
  const unknown = applied.filter((id) => !knownIds.includes(id));
  if (unknown.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Database was written by a newer or different Seminote: unknown migration(s) ${unknown.join(', ')}. ` +
        'Update Seminote or use another data directory.',
    );
  }
  applied.forEach((id, i) => {
    if (knownIds[i] !== id) {
      throw new AppError(
        'CONFLICT',
        `Database migrations are out of sync: expected ${knownIds[i] ?? '(none)'} at position ${i + 1}, found ${id}.`,
      );
    }
  });
}

export function migrate(db: Database, known: readonly Migration[], now: () => number = Date.now): MigrationReport {
  const applied = appliedMigrationIds(db);
  checkInSync(applied, known);
  const pending = known.slice(applied.length);
  const record = db.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of pending) {
    db.transaction(() => {
      migration.up(db);
      record.run(migration.id, now());
    })();
  }
  return { applied: pending.map((m) => m.id), alreadyApplied: applied };
}
