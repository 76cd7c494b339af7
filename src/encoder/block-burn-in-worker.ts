/**
 * Worker thread of the block burn-in pool (block-burn-in-pool.ts): splices burn-ins into frames
 * off the replay's main thread. Walking a frame's scan is JavaScript, so it needs threads of its
 * own to use more than one core.
 */
import { parentPort } from 'node:worker_threads';
import { type BlockBurnInResult, burnInBlocks, transcodeBlocks } from './block-burn-in.js';
import { BurnIn } from './burn-in.js';
import type { BlockBurnInReply, BlockBurnInRequest } from './block-burn-in-pool.js';
import { errorMessage } from '../errors/index.js';

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

parentPort?.on('message', (request: BlockBurnInRequest) => {
  const reply = (result: BlockBurnInResult): void => {
    const message: BlockBurnInReply = { id: request.id, result };
    parentPort?.postMessage(message, result.ok ? [result.jpeg.buffer as ArrayBuffer] : []);
  };
  const burnIn = burnInFor(request);
  const work = request.job.path === 'transcode' ? transcodeBlocks(request.source, burnIn, request.captureUs, request.job.settings)
    : burnIn === null ? Promise.resolve<BlockBurnInResult>({ ok: false, reason: 'a splice without a burn-in' })
      : burnInBlocks(request.source, burnIn, request.captureUs, request.job.settings);
  work.then(reply, (error: unknown) => reply({ ok: false, reason: `the splice failed: ${errorMessage(error)}` }));
});
