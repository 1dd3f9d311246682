/** The app's Practice store, bound to the API transport (logic in practiceState.ts). */
import { api } from '../../api/bridge';
import { createPracticeStore } from './practiceState';

export { BUFFER_FRAMES, DEFAULT_OPTIONS, EMPTY_COUNTS } from './practiceState';
export type { InputKind, LiveCounts, SessionStatus } from './practiceState';

export const usePractice = createPracticeStore(api);
