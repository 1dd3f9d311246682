/** A process killed while writing an attempt leaves no half attempt and loses no committed one. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { getAttempt, listAttempts, openDatabase } from '../../src/main/db';
import { REPO_ROOT, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function runWriterUntilMidWrite(dbFile: string): Promise<{ committedId: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/attempt-writer.ts'), dbFile], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let committedId = -1;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const committed = /committed (\d+)/.exec(out);
      if (committed) committedId = Number(committed[1]);
      if (out.includes('mid-write')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed: ${out}\n${err}`));
      else resolve({ committedId, signal });
    });
  });
}

describe('attempt durability', () => {
  it('keeps the committed attempt and drops the one being written when the process is SIGKILLed', async () => {
    const dir = tempDir('durability');
    cleanups.push(dir.remove);
    const file = join(dir.path, 'seminote.db');
    const { committedId } = await runWriterUntilMidWrite(file);
    expect(committedId).toBeGreaterThan(0);

    // Reading the raw file first: the WAL is recovered and the database is intact.
    const raw = new BetterSqlite3(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const db = openDatabase(file);
    cleanups.push(() => db.close());
    const attempts = listAttempts(db, 1);
    expect(attempts.map((a) => a.id)).toEqual([committedId]);
    expect(getAttempt(db, committedId).verdicts).toHaveLength(50);
    expect(db.prepare('SELECT count(*) FROM attempt_notes').pluck().get()).toBe(50);
  });
});
