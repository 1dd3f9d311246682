import { create } from 'zustand';
import type { PieceRecord } from '../../../shared/api';
import { api } from '../../api/bridge';
import { describeError } from '../../api/clientError';
import { fileToBase64 } from './fileData';

interface LibraryState {
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

export const useLibrary = create<LibraryState>((set) => ({
  pieces: [],
  loaded: false,
  busy: false,
  error: null,
  lastImported: null,
  async load() {
    try {
      set({ pieces: await api.invoke('library.list', {}), loaded: true });
    } catch (error) {
      set({ error: describeError(error), loaded: true });
    }
  },
  async importFile(file) {
    set({ busy: true, error: null, lastImported: null });
    try {
      const piece = await api.invoke('library.import', { fileName: file.name, dataBase64: await fileToBase64(file) });
      set((s) => ({ pieces: [...s.pieces, piece], busy: false, lastImported: piece.title }));
      return piece;
    } catch (error) {
      set({ busy: false, error: `Could not import ${file.name}: ${describeError(error)}` });
      return null;
    }
  },
  async remove(pieceId) {
    try {
      await api.invoke('library.delete', { pieceId });
      set((s) => ({ pieces: s.pieces.filter((p) => p.id !== pieceId) }));
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
  dismissError() {
    set({ error: null });
  },
}));
