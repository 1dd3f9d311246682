/**
 * The worker threads' entry: the built worker.js beside this module, else (running from TypeScript
 * sources through tsx or vitest) a bootstrap that registers tsx in the thread and loads worker.ts.
 * worker.ts starts the inference thread or the decode thread, as its workerData says.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function workerEntry(): URL {
  const js = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL('./worker-bootstrap.mjs', import.meta.url);
}
