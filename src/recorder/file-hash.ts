/**
 * SHA-256 of a recording, computed in a worker thread so that hashing hundreds of megabytes at
 * finalize never stalls the replay's main thread (docs/performance.md). The worker is started on
 * first use, shared, and does not keep the process alive while idle.
 */
import { Worker } from 'node:worker_threads';

// Plain JS evaluated in the worker, so it runs the same from TypeScript sources (tests) and dist.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const chunk = Buffer.allocUnsafe(1 << 22);
parentPort.on('message', ({ id, path }) => {
  try {
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ id, hex: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (hex: string) => void; reject: (error: Error) => void }>();

function hashWorker(): Worker {
  if (worker !== null) return worker;
  const started = new Worker(WORKER_SOURCE, { eval: true });
  started.on('message', (message: { id: number; hex?: string; error?: string }) => {
    const job = waiting.get(message.id);
    waiting.delete(message.id);
    if (waiting.size === 0) started.unref();
    if (message.hex !== undefined) job?.resolve(message.hex);
    else job?.reject(new Error(message.error ?? 'hashing failed'));
  });
  const fail = (error: Error): void => {
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
    worker = null;
  };
  started.on('error', fail);
  started.on('exit', (code) => {
    if (worker === started) fail(new Error(`the hashing worker exited (code ${code})`));
  });
  started.unref();
  worker = started;
  return started;
}

/** Hex SHA-256 of the file at `path`, computed off the main thread. */
export function sha256File(path: string): Promise<string> {
  const id = nextId++;
  const target = hashWorker();
  target.ref();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    target.postMessage({ id, path });
  });
}
