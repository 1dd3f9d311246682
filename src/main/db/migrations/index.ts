import type { Migration } from './types';
import { init } from './20261127T0300_init';
import { lessons } from './20261127T0400_lessons';
import { attemptRecordings } from './20261127T0900_attempt_recordings';

/** Every migration this build knows, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [init, lessons, attemptRecordings];
export type { Migration };
