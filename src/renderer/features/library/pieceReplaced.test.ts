/**
 * The Library and Practice stores against the real services (in process, real SQLite file): a
 * piece deleted and another imported under the same reused id must not keep showing the old one
 * in Practice (seen in the e2e after a microphone take, until a page reload).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/dispatch';
import { createServices } from '../../../main/services';
import { ClientError } from '../../api/clientError';
import type { ApiClient } from '../practice/practiceState';
import { createPracticeStore } from '../practice/practiceState';
import { createLibraryStore } from './libraryState';

const MUSICXML = resolve(process.cwd(), '../shared/data/vienna4x22/musicxml');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function storesOnRealServices() {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminote-stores-'));
  const services = createServices({ dataDir, watchMidiDevices: false });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => services.dispose());
  const client: ApiClient = {
    invoke: async (method, args) => {
      const result = await dispatch(services, method, args);
      if (!result.ok) throw new ClientError(result.error.code, result.error.message);
      return result.value as never;
    },
  };
  const practice = createPracticeStore(client);
  const library = createLibraryStore(client, { pieceReplaced: (id) => practice.getState().forgetPiece(id) });
  return { practice, library };
}

const scoreFile = (name: string) => new File([readFileSync(join(MUSICXML, name))], name);

describe('Practice after the Library deletes and imports pieces', () => {
  it('opens the newly imported piece even when it got the deleted piece’s id', async () => {
    const { practice, library } = storesOnRealServices();
    const first = await library.getState().importFile(scoreFile('Mozart_K331_1st-mov.musicxml'));
    expect(first).not.toBeNull();
    await practice.getState().loadPiece(first?.id ?? 0);
    expect(practice.getState().piece?.title).toBe(first?.title);
    practice.getState().finish(null); // a take that saved nothing, like the e2e's microphone take

    await library.getState().remove(first?.id ?? 0);
    const second = await library.getState().importFile(scoreFile('Schubert_D783_no15.musicxml'));
    // The cause: SQLite hands the deleted newest rowid to the next import.
    expect(second?.id).toBe(first?.id);
    expect(second?.title).not.toBe(first?.title);

    await practice.getState().loadPiece(second?.id ?? 0);
    const state = practice.getState();
    expect(state.piece?.title).toBe(second?.title);
    expect(state.score?.notes.length).toBe(second?.noteCount);
    expect(state.status).toBe('idle');
    expect(library.getState().pieces.map((p) => p.title)).toEqual([second?.title]);
  });

  it('keeps the loaded piece and its result when the Library changes other pieces', async () => {
    const { practice, library } = storesOnRealServices();
    const kept = await library.getState().importFile(scoreFile('Chopin_op10_no3.musicxml'));
    const other = await library.getState().importFile(scoreFile('Mozart_K331_1st-mov.musicxml'));
    await practice.getState().loadPiece(kept?.id ?? 0);
    practice.getState().finish(null);
    await library.getState().remove(other?.id ?? 0);
    expect(practice.getState()).toMatchObject({ pieceId: kept?.id, status: 'finished' });
    expect(practice.getState().piece?.title).toBe(kept?.title);
  });
});
