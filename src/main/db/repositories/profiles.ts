import type { Database } from 'better-sqlite3';
import type { Profile } from '../../../shared/api';
import { AppError } from '../../../shared/errors';

interface ProfileRow {
  id: number;
  name: string;
  created_at: number;
}

const toProfile = (row: ProfileRow): Profile => ({ id: row.id, name: row.name, createdAt: row.created_at });

export function listProfiles(db: Database): Profile[] {
  const rows = db.prepare('SELECT id, name, created_at FROM profiles ORDER BY name COLLATE NOCASE, id').all();
  return (rows as ProfileRow[]).map(toProfile);
}

export function getProfile(db: Database, id: number): Profile {
  const row = db.prepare('SELECT id, name, created_at FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No profile with id ${id}.`);
  return toProfile(row);
}

export function createProfile(db: Database, name: string, now: number = Date.now()): Profile {
  const existing = db.prepare('SELECT id FROM profiles WHERE name = ?').get(name);
  if (existing) throw new AppError('CONFLICT', `A profile named "${name}" already exists.`);
  const info = db.prepare('INSERT INTO profiles (name, created_at) VALUES (?, ?)').run(name, now);
  return { id: Number(info.lastInsertRowid), name, createdAt: now };
}

/** Deletes the profile and (by cascade) its attempts. */
export function deleteProfile(db: Database, id: number): void {
  const info = db.prepare('DELETE FROM profiles WHERE id = ?').run(id);
  if (info.changes === 0) throw new AppError('NOT_FOUND', `No profile with id ${id}.`);
}
