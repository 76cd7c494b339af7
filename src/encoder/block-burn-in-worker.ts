/**
 * Worker thread of the block burn-in pool (block-burn-in-pool.ts): splices burn-ins into frames
 * off the replay's main thread. Walking a frame's scan is JavaScript, so it needs threads of its
 * own to use more than one core.
 */
import { type BlockBurnInResult, burnInBlocks, transcodeBlocks } from './block-burn-in.js';
import { BurnIn } from './burn-in.js';
import type { BlockBurnInRequest } from './block-burn-in-pool.js';
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

async function splice(request: BlockBurnInRequest): Promise<BlockBurnInResult> {
  const burnIn = burnInFor(request);
  try {
    if (request.job.path === 'transcode') return await transcodeBlocks(request.source, burnIn, request.captureUs, request.job.settings);
    if (burnIn === null) return { ok: false, reason: 'a splice without a burn-in' };
    return await burnInBlocks(request.source, burnIn, request.captureUs, request.job.settings);
  } catch (error) {
    return { ok: false, reason: `the splice failed: ${errorMessage(error)}` };
  }
}

serveRequests<BlockBurnInRequest, BlockBurnInResult>(async (request) => {
  const result = await splice(request);
  return { reply: result, transfer: result.ok ? [result.jpeg.buffer as ArrayBuffer] : [] };
});
