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
import { FrameSlots } from './frame-slots.js';

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

/**
 * A frame to splice: its `length` bytes at the start of `slot` (a shared buffer the worker writes
 * its result into, see frame-slots.ts), or in `source` (moved to the worker) when no slot was free.
 */
export interface BlockBurnInRequest {
  readonly slot: SharedArrayBuffer | null;
  readonly source: Uint8Array | null;
  readonly length: number;
  readonly captureUs: number;
  readonly job: BlockBurnInJob;
}

/** A worker's answer: a result, or (`slotBytes`) a frame written at the start of the request's slot. */
export type BlockBurnInReply = BlockBurnInResult | { readonly ok: true; readonly slotBytes: number };

/**
 * A spliced frame from a worker. When `release` is given, `jpeg` lies in a slot lent to the
 * caller: call `release` once it no longer reads `jpeg`, and the slot carries another frame.
 * Not calling it is safe (the slot is then never reused), only slower.
 */
export type PooledBurnInResult = BlockBurnInResult & { readonly release?: () => void };

const WORKER = workerModule(import.meta.url, 'block-burn-in-worker');

/**
 * Old-generation heap of a worker: its live data is a few frames (measured: 16 MB keeps peak RSS
 * ~15 MB lower than V8's default). Running TypeScript through tsx's loader needs more.
 */
const WORKER_OLD_GENERATION_MB = WORKER.pathname.endsWith('.ts') ? 64 : 16;

let pool: WorkerPool<BlockBurnInRequest, BlockBurnInReply> | null = null;

/**
 * Shared buffers for frames in flight and results not yet released: with 2 per core in flight
 * and a few waiting to be delivered in order, a 720p frame's slot is 192 KB and 20 of them ~4 MB.
 * Frames that would pass this bound (the largest 4K ones) travel as they did before: copied into
 * a buffer moved to the worker and back.
 */
export const FRAME_SLOT_BYTES = 24 * 1024 * 1024;

const slots = new FrameSlots(FRAME_SLOT_BYTES);

/**
 * Splices `source` on a worker (a copy of it: the caller keeps its frame for the full path). Null
 * when the worker failed while running it: the caller then splices on its own thread. Rejects
 * with a `runtime` BodycamError when no worker can start.
 */
export async function burnInBlocksOnWorker(source: Uint8Array, captureUs: number, job: BlockBurnInJob): Promise<PooledBurnInResult | null> {
  // A worker's live data is a few frames in flight; a small old generation makes V8 collect
  // their buffers often instead of letting the process's RSS grow (docs/performance.md).
  pool ??= new WorkerPool({
    name: 'the splice worker', source: { file: WORKER }, size: availableParallelism(),
    resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
  });
  const slot = slots.take(source.byteLength);
  if (slot === null) {
    // A copy that owns its memory (a Buffer's slice() is a view, and may share Node's buffer pool).
    const copy = new Uint8Array(source);
    try {
      return await fromReply(await pool.run({ slot: null, source: copy, length: copy.byteLength, captureUs, job }, { transfer: [copy.buffer] }), null);
    } catch (error) {
      if (isStartFailure(error)) throw error;
      return null;
    }
  }
  // The caller's frame stays as it is (the full path may need it); the worker reads the slot's copy.
  new Uint8Array(slot, 0, source.byteLength).set(source);
  let reply: BlockBurnInReply;
  try {
    reply = await pool.run({ slot, source: null, length: source.byteLength, captureUs, job });
  } catch (error) {
    // The worker failed: it may still be running, so its slot is never used again.
    slots.drop(slot);
    if (isStartFailure(error)) throw error;
    return null;
  }
  return fromReply(reply, slot);
}

/** A worker's reply as the caller's result: the slot lent with the frame in it, or back on the free list. */
function fromReply(reply: BlockBurnInReply, slot: SharedArrayBuffer | null): PooledBurnInResult {
  if ('slotBytes' in reply) {
    if (slot === null) return { ok: false, reason: 'the worker answered in a slot it was not given' };
    const jpeg = new Uint8Array(slot, 0, reply.slotBytes);
    return { ok: true, jpeg, release: slots.lend(slot, jpeg) };
  }
  if (slot !== null) slots.give(slot);
  return reply;
}

/** The slots' state (for tests): bytes of the slots that exist, and how many are free. */
export function frameSlotState(): { readonly bytes: number; readonly free: number } {
  return { bytes: slots.bytes, free: slots.freeCount };
}

/** How many splicing workers are running (for tests and benchmarks). */
export function blockWorkerCount(): number {
  return pool?.running ?? 0;
}

/** The module the splice workers run (for tests). */
export function blockWorkerModule(): string {
  return WORKER.href;
}
