/**
 * A splice worker that fails while it holds a frame: the frame is done on the caller's thread
 * (the same bytes), and the slot the worker held is dropped, never handed out again (a worker
 * that failed may still be running and write into it). The pool is replaced by one whose every
 * worker fails after it started.
 */
import { describe, expect, it, vi } from 'vitest';
import { FrameEncoder } from '../../src/encoder/index.js';
import { frameSlotState } from '../../src/encoder/block-burn-in-pool.js';
import { parseWallClock } from '../../src/time/index.js';
import { makeFrame } from '../helpers/jpeg-frames.js';

vi.mock('../../src/workers/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/workers/index.js')>();
  const { BodycamError } = await import('../../src/errors/index.js');
  class FailingPool {
    readonly running = 1;
    async run(): Promise<never> {
      throw BodycamError.runtime('the splice worker failed: exited with code 1');
    }
  }
  return { ...original, WorkerPool: FailingPool };
});

describe('a splice worker that fails with a frame in its slot', () => {
  it('has the frame done on the caller\'s thread and its slot dropped', async () => {
    const burnIn = { origin: parseWallClock('2026-11-22T14:00:00+01:00'), deviceId: 'DRD-BC-0001', officerId: 'H-0001' };
    const encoderFor = (blockWorkers: boolean): FrameEncoder => new FrameEncoder({
      sourceWidth: 320, sourceHeight: 240, outputWidth: 320, outputHeight: 240, jpegQuality: 80, burnIn, passthrough: true, blockWorkers,
    });
    const frame = await makeFrame({ width: 320, height: 240, quality: 93, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 41 });
    const here = await encoderFor(false).encode(frame, 1_000_000);
    const onWorker = encoderFor(true);
    const fallen = await onWorker.encode(frame, 1_000_000);
    if (!here.ok || !fallen.ok) throw new Error('encode failed');
    expect(Buffer.from(fallen.jpeg).equals(Buffer.from(here.jpeg))).toBe(true);
    expect(fallen.release).toBeUndefined();
    expect(onWorker.paths).toEqual({ passthrough: 0, blocks: 0, requantised: 1, frame: 0, cached: 0 });
    expect(frameSlotState()).toEqual({ bytes: 0, free: 0 });
  });
});
