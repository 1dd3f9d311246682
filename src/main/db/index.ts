export { openDatabase, DATABASE_FILE_NAME } from './connection';
export type { Database } from './connection';
export * from './repositories/profiles';
export * from './repositories/pieces';
export * from './repositories/attempts';
export * from './repositories/settings';
