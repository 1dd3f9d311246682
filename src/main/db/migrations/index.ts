import type { Migration } from './types';
import { init } from './20261127T0300_init';

/** Every migration this build knows, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [init];
export type { Migration };
