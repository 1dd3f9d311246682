import type { Database } from 'better-sqlite3';

export function getAllSettings(db: Database): Record<string, unknown> {
  const rows = db.prepare('SELECT key, value_json FROM settings ORDER BY key').all() as {
    key: string;
    value_json: string;
  }[];
  const out: Record<string, unknown> = {};
  for (const row of rows) out[row.key] = JSON.parse(row.value_json);
  return out;
}

/** Stores any JSON value; `undefined` (which JSON cannot hold) removes the key. */
export function setSetting(db: Database, key: string, value: unknown): void {
  if (value === undefined) {
    db.prepare('DELETE FROM settings WHERE key = ?').run(key);
    return;
  }
  db.prepare(
    'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json',
  ).run(key, JSON.stringify(value));
}
