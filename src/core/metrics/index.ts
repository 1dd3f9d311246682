export * from './note-metrics';
export * from './velocity-metrics';
export * from './evaluate';
export * from './multipitch';
export { bipartiteMatch } from './bipartite-match';
export * from './pedal-extension';
