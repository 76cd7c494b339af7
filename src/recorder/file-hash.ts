/**
 * SHA-256 of a recording, computed in a worker thread (src/workers' pool, one worker) so that
 * hashing hundreds of megabytes at finalize never stalls the replay's main thread
 * (docs/performance.md). The worker is started on first use, shared, and does not keep the
 * process alive while idle.
 */
import { WorkerPool } from '../workers/index.js';

// Plain CommonJS evaluated in the worker (it needs nothing of this package), speaking the pool's
// messages (src/workers/serve-requests.ts) by hand: ready, then a reply or an error per request.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const chunk = Buffer.allocUnsafe(1 << 22);
parentPort.on('message', ({ id, request }) => {
  try {
    const hash = createHash('sha256');
    const fd = openSync(request.path, 'r');
    try {
      for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ id, reply: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
parentPort.postMessage({ ready: true });
`;

let pool: WorkerPool<{ readonly path: string }, string> | null = null;

/** Hex SHA-256 of the file at `path`, computed off the main thread. */
export function sha256File(path: string): Promise<string> {
  pool ??= new WorkerPool({ name: 'the hashing worker', source: { eval: WORKER_SOURCE }, size: 1 });
  return pool.run({ path });
}
