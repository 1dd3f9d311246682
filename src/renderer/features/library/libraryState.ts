/** Library store logic with the API client injected (the app binds it in libraryStore.ts). */
import { create } from 'zustand';
import type { PieceRecord } from '../../../shared/api';
import { describeError } from '../../api/clientError';
import type { ApiClient } from '../practice/practiceState';
import { fileToBase64 } from './fileData';

export interface LibraryState {
  pieces: PieceRecord[];
  loaded: boolean;
  busy: boolean;
  error: string | null;
  /** Title of the last successful import, for a confirmation line. */
  lastImported: string | null;
  load(): Promise<void>;
  importFile(file: File): Promise<PieceRecord | null>;
  remove(pieceId: number): Promise<void>;
  dismissError(): void;
}

export interface LibraryHooks {
  /**
   * A piece id no longer names the piece other views may hold: it was deleted, or an import got
   * it (SQLite reuses the newest rowid after a delete, also one made by another window or the CLI).
   */
  pieceReplaced(pieceId: number): void;
}

export function createLibraryStore(client: ApiClient, hooks: LibraryHooks) {
  return create<LibraryState>((set) => ({
    pieces: [],
    loaded: false,
    busy: false,
    error: null,
    lastImported: null,
    async load() {
      try {
        set({ pieces: await client.invoke('library.list', {}), loaded: true });
      } catch (error) {
        set({ error: describeError(error), loaded: true });
      }
    },
    async importFile(file) {
      set({ busy: true, error: null, lastImported: null });
      try {
        const piece = await client.invoke('library.import', { fileName: file.name, dataBase64: await fileToBase64(file) });
        hooks.pieceReplaced(piece.id);
        set((s) => ({ pieces: [...s.pieces.filter((p) => p.id !== piece.id), piece], busy: false, lastImported: piece.title }));
        return piece;
      } catch (error) {
        set({ busy: false, error: `Could not import ${file.name}: ${describeError(error)}` });
        return null;
      }
    },
    async remove(pieceId) {
      try {
        await client.invoke('library.delete', { pieceId });
        hooks.pieceReplaced(pieceId);
        set((s) => ({ pieces: s.pieces.filter((p) => p.id !== pieceId) }));
      } catch (error) {
        set({ error: describeError(error) });
      }
    },
    dismissError() {
      set({ error: null });
    },
  }));
}
