export * from './templates';
export * from './recognize';
