import type { Migration } from './types';

/**
 * The microphone recording of a practice take, one per attempt (src/main/live/recordings-store.ts).
 * The WAV lives under the data dir; the row keeps its path relative to it.
 */
export const attemptRecordings: Migration = {
  id: '20261127T0900_attempt_recordings',
  up(db) {
    db.exec(`
      CREATE TABLE attempt_recordings (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        sample_rate INTEGER NOT NULL,
        frames INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
    `);
  },
};
