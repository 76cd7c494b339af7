/**
 * Worker thread of the block burn-in pool (block-burn-in-pool.ts): splices burn-ins into frames
 * off the replay's main thread. Walking a frame's scan is JavaScript, so it needs threads of its
 * own to use more than one core.
 */
import { type BlockBurnInResult, burnInBlocks, transcodeBlocks } from './block-burn-in.js';
import { BurnIn } from './burn-in.js';
import type { BlockBurnInReply, BlockBurnInRequest } from './block-burn-in-pool.js';
import { errorMessage } from '../errors/index.js';
import { serveRequests } from '../workers/index.js';

const burnIns = new Map<string, BurnIn>();

function burnInFor(request: BlockBurnInRequest): BurnIn | null {
  if (request.job.burnIn === null) return null;
  const key = JSON.stringify([request.job.burnIn, request.job.width, request.job.height]);
  let burnIn = burnIns.get(key);
  if (burnIn === undefined) {
    if (burnIns.size >= 16) burnIns.clear();
    burnIn = new BurnIn(request.job.burnIn, request.job.width, request.job.height);
    burnIns.set(key, burnIn);
  }
  return burnIn;
}

async function splice(request: BlockBurnInRequest, source: Uint8Array): Promise<BlockBurnInResult> {
  const burnIn = burnInFor(request);
  try {
    if (request.job.path === 'transcode') return await transcodeBlocks(source, burnIn, request.captureUs, request.job.settings);
    if (burnIn === null) return { ok: false, reason: 'a splice without a burn-in' };
    return await burnInBlocks(source, burnIn, request.captureUs, request.job.settings);
  } catch (error) {
    return { ok: false, reason: `the splice failed: ${errorMessage(error)}` };
  }
}

serveRequests<BlockBurnInRequest, BlockBurnInReply>(async (request) => {
  const { slot } = request;
  const source = slot !== null ? new Uint8Array(slot, 0, request.length) : (request.source as Uint8Array);
  const result = await splice(request, source);
  if (!result.ok) return { reply: result };
  // The frame is done with: the result goes over it in the slot (set() copies safely even if the
  // result were a view of the frame), and the caller reads it from there. Nothing here touches the
  // slot after this answer.
  if (slot !== null && result.jpeg.byteLength <= slot.byteLength) {
    new Uint8Array(slot).set(result.jpeg);
    return { reply: { ok: true, slotBytes: result.jpeg.byteLength } };
  }
  // A result that does not fit (or no slot): its own buffer, moved (a copy when it is a view of the slot).
  const jpeg = result.jpeg.buffer instanceof ArrayBuffer ? result.jpeg : new Uint8Array(result.jpeg);
  return { reply: { ok: true, jpeg }, transfer: [jpeg.buffer as ArrayBuffer] };
});
