// Worker entry when running from TypeScript sources (tsx CLI, vitest): registers tsx inside the
// worker thread, then loads the real worker. A build ships live-worker.js and does not use this file.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./live-worker.ts', import.meta.url).href);
