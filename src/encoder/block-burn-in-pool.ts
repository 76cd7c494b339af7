/**
 * A few worker threads that splice burn-ins into frames (block-burn-in.ts), shared by every
 * encoder of the process. Walking a frame's scan is JavaScript and costs about as much as the
 * rest of the device's work per frame, so on the main thread it would cap the replay at one core.
 * Results do not depend on which worker did the work. The workers start on first use and do not
 * keep the process alive while idle. When the compiled worker is missing (TypeScript sources
 * before a build) or a worker fails, the caller does the splice on its own thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BlockBurnInResult, DeviceJpegSettings } from './block-burn-in.js';
import type { BurnInOptions } from './burn-in.js';

/**
 * What a worker needs to know about the encoder a frame belongs to, and which path the frame
 * takes: `splice` (a frame at the device's quality: block-burn-in.ts burnInBlocks) or
 * `transcode` (any other quality: transcodeBlocks, with no burn-in when `burnIn` is null).
 */
export interface BlockBurnInJob {
  readonly path: 'splice' | 'transcode';
  readonly burnIn: BurnInOptions | null;
  readonly width: number;
  readonly height: number;
  readonly settings: DeviceJpegSettings;
}

/** A frame to splice. */
export interface BlockBurnInRequest {
  readonly id: number;
  readonly source: Uint8Array;
  readonly captureUs: number;
  readonly job: BlockBurnInJob;
}

/** A worker's answer. */
export interface BlockBurnInReply {
  readonly id: number;
  readonly result: BlockBurnInResult;
}

interface PooledWorker {
  readonly worker: Worker;
  readonly pending: Map<number, (result: BlockBurnInResult | null) => void>;
}

/** The compiled worker: beside this file in dist/, or dist/ itself when running from sources. */
function workerFile(): string | null {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/encoder/block-burn-in-worker.js', here) : new URL('./block-burn-in-worker.js', here);
  const file = fileURLToPath(url);
  return existsSync(file) ? file : null;
}

/** Old-generation heap of a worker: its live data is a few frames (measured: 16 MB keeps peak RSS ~15 MB lower than V8's default). */
const WORKER_OLD_GENERATION_MB = 16;

const workers: PooledWorker[] = [];
let broken = false;
let nextId = 0;

function start(file: string): PooledWorker {
  // A worker's live data is a few frames in flight; a small old generation makes V8 collect
  // their buffers often instead of letting the process's RSS grow (docs/performance.md). A
  // worker that runs out of it exits, and its frames are spliced on the caller's thread.
  const pooled: PooledWorker = { worker: new Worker(file, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB } }), pending: new Map() };
  pooled.worker.on('message', (reply: BlockBurnInReply) => {
    const done = pooled.pending.get(reply.id);
    pooled.pending.delete(reply.id);
    if (pooled.pending.size === 0) pooled.worker.unref();
    done?.(reply.result);
  });
  const fail = (): void => {
    broken = true;
    const index = workers.indexOf(pooled);
    if (index >= 0) workers.splice(index, 1);
    for (const done of pooled.pending.values()) done(null);
    pooled.pending.clear();
  };
  pooled.worker.on('error', fail);
  pooled.worker.on('messageerror', fail);
  pooled.worker.on('exit', fail);
  pooled.worker.unref();
  return pooled;
}

/** The least busy worker, starting one while there are fewer than cores; null without workers. */
function pick(): PooledWorker | null {
  if (broken) return null;
  const idle = workers.find((pooled) => pooled.pending.size === 0);
  if (idle !== undefined) return idle;
  if (workers.length < availableParallelism()) {
    const file = workerFile();
    if (file === null) {
      broken = true;
      return null;
    }
    const started = start(file);
    workers.push(started);
    return started;
  }
  return workers.reduce<PooledWorker | null>((best, pooled) => (best === null || pooled.pending.size < best.pending.size ? pooled : best), null);
}

/**
 * Splices `source` on a worker (a copy of it: the caller keeps its frame for the full path). Null
 * when no worker could take it (none available, or it failed): the caller then splices on its
 * own thread.
 */
export function burnInBlocksOnWorker(source: Uint8Array, captureUs: number, job: BlockBurnInJob): Promise<BlockBurnInResult | null> {
  const pooled = pick();
  if (pooled === null) return Promise.resolve(null);
  const id = nextId++;
  // A copy that owns its memory (a Buffer's slice() is a view, and may share Node's buffer pool).
  const copy = new Uint8Array(source);
  return new Promise((resolve) => {
    pooled.pending.set(id, resolve);
    pooled.worker.ref();
    const request: BlockBurnInRequest = { id, source: copy, captureUs, job };
    pooled.worker.postMessage(request, [copy.buffer]);
  });
}

/** How many splicing workers are running (for tests and benchmarks). */
export function blockWorkerCount(): number {
  return workers.length;
}
