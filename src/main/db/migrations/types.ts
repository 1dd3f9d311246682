import type { Database } from 'better-sqlite3';

/**
 * One schema step. Ids are UTC timestamps (`YYYYMMDDTHHMM_name`) so they sort in the order they
 * were written; a migration, once released, is never edited — a change is a new migration.
 */
export interface Migration {
  id: string;
  up(db: Database): void;
}
