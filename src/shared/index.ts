export * from './units';
export * from './score';
export * from './performance';
export * from './evaluation';
export * from './practice';
export * from './errors';
export * from './api';
export * from './wire';
