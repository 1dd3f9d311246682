import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { openDatabase } from './connection';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/types';
import { appliedMigrationIds, migrate } from './migrate';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seminote-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const addColumn: Migration = {
  id: '29990101T0000_add_note',
  up: (db) => db.exec('ALTER TABLE profiles ADD COLUMN note TEXT'),
};

describe('migrations', () => {
  it('applies every migration once, on a WAL file with foreign keys on', () => {
    const file = join(dir, 'a.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(appliedMigrationIds(db)).toEqual(MIGRATIONS.map((m) => m.id));
    db.close();
    const again = openDatabase(file);
    const report = migrate(again, MIGRATIONS);
    expect(report.applied).toEqual([]);
    again.close();
  });

  it('applies only the new migration when the known list grows', () => {
    const file = join(dir, 'b.db');
    openDatabase(file).close();
    const db = openDatabase(file, [...MIGRATIONS, addColumn]);
    expect(appliedMigrationIds(db).at(-1)).toBe(addColumn.id);
    db.prepare("INSERT INTO profiles (name, created_at, note) VALUES ('x', 1, 'hi')").run();
    db.close();
  });

  it('refuses a database with an unknown newer migration and leaves it untouched', () => {
    const file = join(dir, 'c.db');
    openDatabase(file, [...MIGRATIONS, addColumn]).close();
    expect(() => openDatabase(file)).toThrowError(/unknown migration\(s\) 29990101T0000_add_note/);
    try {
      openDatabase(file);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('CONFLICT');
    }
    const raw = new BetterSqlite3(file);
    expect(raw.prepare('SELECT count(*) FROM migrations').pluck().get()).toBe(MIGRATIONS.length + 1);
    raw.close();
  });

  it('refuses a database whose applied list is not a prefix of the known list', () => {
    const file = join(dir, 'd.db');
    const other: Migration = { id: '20200101T0000_other', up: () => undefined };
    openDatabase(file, [other]).close();
    expect(() => openDatabase(file, [addColumn, other])).toThrowError(/out of sync/);
  });

  it('rolls back a failing migration completely', () => {
    const file = join(dir, 'e.db');
    const broken: Migration = {
      id: '29990101T0001_broken',
      up: (db) => {
        db.exec('CREATE TABLE half (x INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(file, [...MIGRATIONS, broken])).toThrowError('boom');
    const raw = new BetterSqlite3(file);
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(raw.prepare('SELECT id FROM migrations').pluck().all()).toEqual(MIGRATIONS.map((m) => m.id));
    raw.close();
  });
});
