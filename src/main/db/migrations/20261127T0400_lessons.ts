import type { Migration } from './types';

/**
 * Lessons (teacher review): the source file lives under the data dir (recordings are large), the
 * row keeps its relative path and sha256; performance and review are JSON; annotations per bar.
 */
export const lessons: Migration = {
  id: '20261127T0400_lessons',
  up(db) {
    db.exec(`
      CREATE TABLE lessons (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        -- A deleted piece leaves the lesson without a score rather than deleting the recording.
        piece_id INTEGER REFERENCES pieces(id) ON DELETE SET NULL,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        source_kind TEXT NOT NULL CHECK (source_kind IN ('midi', 'audio')),
        source_file_name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        source_size INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'transcribing', 'ready', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0,
        error TEXT,
        performance_json TEXT,
        review_json TEXT,
        accuracy REAL
      );
      CREATE INDEX lessons_by_profile ON lessons(profile_id, created_at);
      CREATE TABLE lesson_annotations (
        id INTEGER PRIMARY KEY,
        lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
        measure_index INTEGER NOT NULL CHECK (measure_index >= 0),
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX lesson_annotations_by_lesson ON lesson_annotations(lesson_id, measure_index);
    `);
  },
};
