import type { Migration } from './types';

/** Profiles, the piece library, attempts with per-note verdicts, and settings. */
export const init: Migration = {
  id: '20261127T0300_init',
  up(db) {
    db.exec(`
      CREATE TABLE profiles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE pieces (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        composer TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('starter', 'import')),
        -- Stable key of a built-in exercise, so seeding is idempotent; NULL for imports.
        starter_key TEXT UNIQUE,
        difficulty INTEGER CHECK (difficulty IS NULL OR difficulty BETWEEN 1 AND 9),
        category TEXT NOT NULL,
        source_file_name TEXT,
        -- The imported file as given (kept so a better importer can re-read it later).
        source_bytes BLOB,
        score_json TEXT NOT NULL,
        measure_count INTEGER NOT NULL,
        note_count INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        piece_id INTEGER NOT NULL REFERENCES pieces(id) ON DELETE CASCADE,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('wait', 'play-through')),
        hands TEXT NOT NULL CHECK (hands IN ('both', 'left', 'right')),
        tempo_factor REAL NOT NULL,
        accuracy REAL NOT NULL,
        summary_json TEXT NOT NULL
      );
      CREATE INDEX attempts_by_profile_piece ON attempts(profile_id, piece_id, finished_at);
      CREATE TABLE attempt_notes (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'wrong', 'missed', 'extra')),
        score_note_id TEXT,
        performance_index INTEGER,
        timing_error_ms REAL,
        played_pitch INTEGER,
        PRIMARY KEY (attempt_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      );
    `);
  },
};
