/**
 * A few worker threads that splice burn-ins into frames (block-burn-in.ts), shared by every
 * encoder of the process (src/workers' pool). Walking a frame's scan is JavaScript and costs
 * about as much as the rest of the device's work per frame, so on the main thread it would cap
 * the replay at one core. Results do not depend on which worker did the work. The workers start
 * on first use and do not keep the process alive while idle. From TypeScript sources they run
 * the worker's TypeScript; a worker that cannot start fails the frame with a `runtime`
 * BodycamError (the run ends with exit 3). A worker that fails after it started (out of its
 * small heap, say) has its frames done on the caller's thread: the same bytes, later.
 */
import { availableParallelism } from 'node:os';
import { WorkerPool, isStartFailure, workerModule } from '../workers/index.js';
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
  readonly source: Uint8Array;
  readonly captureUs: number;
  readonly job: BlockBurnInJob;
}

const WORKER = workerModule(import.meta.url, 'block-burn-in-worker');

/**
 * Old-generation heap of a worker: its live data is a few frames (measured: 16 MB keeps peak RSS
 * ~15 MB lower than V8's default). Running TypeScript through tsx's loader needs more.
 */
const WORKER_OLD_GENERATION_MB = WORKER.pathname.endsWith('.ts') ? 64 : 16;

let pool: WorkerPool<BlockBurnInRequest, BlockBurnInResult> | null = null;

/**
 * Splices `source` on a worker (a copy of it: the caller keeps its frame for the full path). Null
 * when the worker failed while running it: the caller then splices on its own thread. Rejects
 * with a `runtime` BodycamError when no worker can start.
 */
export async function burnInBlocksOnWorker(source: Uint8Array, captureUs: number, job: BlockBurnInJob): Promise<BlockBurnInResult | null> {
  // A worker's live data is a few frames in flight; a small old generation makes V8 collect
  // their buffers often instead of letting the process's RSS grow (docs/performance.md).
  pool ??= new WorkerPool({
    name: 'the splice worker', source: { file: WORKER }, size: availableParallelism(),
    resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
  });
  // A copy that owns its memory (a Buffer's slice() is a view, and may share Node's buffer pool).
  const copy = new Uint8Array(source);
  try {
    return await pool.run({ source: copy, captureUs, job }, { transfer: [copy.buffer] });
  } catch (error) {
    if (isStartFailure(error)) throw error;
    return null;
  }
}

/** How many splicing workers are running (for tests and benchmarks). */
export function blockWorkerCount(): number {
  return pool?.running ?? 0;
}

/** The module the splice workers run (for tests). */
export function blockWorkerModule(): string {
  return WORKER.href;
}
