/** The app's Library store, bound to the API transport (logic in libraryState.ts). */
import { api } from '../../api/bridge';
import { usePractice } from '../practice/practiceStore';
import { createLibraryStore } from './libraryState';

export const useLibrary = createLibraryStore(api, {
  pieceReplaced: (pieceId) => usePractice.getState().forgetPiece(pieceId),
});
