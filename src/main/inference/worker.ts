/**
 * Worker thread entry (built as worker.js; tsx runs it through worker-bootstrap.mjs): the
 * inference thread, or the decode thread it starts for itself (workerData.role 'decode'). Each
 * loads only its own modules, so the decode thread never loads onnxruntime.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DecodeThreadInit } from './decode-protocol';
import type { WorkerInit } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must run as a worker thread');
const init = workerData as WorkerInit | DecodeThreadInit;
if ('role' in init && init.role === 'decode') {
  const { runDecodeThread } = await import('./decode-worker');
  runDecodeThread(port);
} else {
  const { runInferenceThread } = await import('./inference-thread');
  await runInferenceThread(port, init as WorkerInit);
}
