/**
 * The shared buffers that carry frames to the splice workers and their results back
 * (frame-slots.ts, block-burn-in-pool.ts): a slot whose result the caller still reads is never
 * handed out again until released, a released one is reused, and the frames are the same bytes
 * as on the caller's thread.
 */
import { describe, expect, it } from 'vitest';
import { FrameEncoder } from '../../src/encoder/index.js';
import { frameSlotState } from '../../src/encoder/block-burn-in-pool.js';
import { FrameSlots } from '../../src/encoder/frame-slots.js';
import { parseWallClock } from '../../src/time/index.js';
import { makeFrame } from '../helpers/jpeg-frames.js';

describe('FrameSlots', () => {
  it('lends a slot until released, then hands it out again', () => {
    const slots = new FrameSlots(1024 * 1024);
    const a = slots.take(1000) as SharedArrayBuffer;
    const release = slots.lend(a, new Uint8Array(a, 0, 10));
    const b = slots.take(1000) as SharedArrayBuffer;
    expect(b).not.toBe(a);
    slots.give(b);
    expect(slots.take(1000)).toBe(b);
    release();
    release();
    expect(slots.freeCount).toBe(1);
    expect(slots.take(1000)).toBe(a);
  });

  it('never hands out a dropped slot, and says no beyond its bound', () => {
    const slots = new FrameSlots(200 * 1024);
    const a = slots.take(100_000) as SharedArrayBuffer;
    expect(a.byteLength).toBeGreaterThanOrEqual(125_000);
    slots.drop(a);
    expect(slots.bytes).toBe(0);
    const b = slots.take(100_000) as SharedArrayBuffer;
    expect(b).not.toBe(a);
    expect(slots.take(100_000)).toBeNull();
    // A free slot too small for a larger frame makes way for one that fits.
    slots.give(b);
    const c = slots.take(150_000) as SharedArrayBuffer;
    expect(c).not.toBe(b);
    expect(c.byteLength).toBeGreaterThanOrEqual(150_000);
    expect(slots.bytes).toBe(c.byteLength);
  });
});

describe('frames through the splice workers in slots', () => {
  const burnIn = { origin: parseWallClock('2026-11-22T14:00:00+01:00'), deviceId: 'DRD-BC-0001', officerId: 'H-0001' };
  const encoderFor = (blockWorkers: boolean): FrameEncoder => new FrameEncoder({
    sourceWidth: 320, sourceHeight: 240, outputWidth: 320, outputHeight: 240, jpegQuality: 80, burnIn, passthrough: true, blockWorkers,
  });

  it('keeps a result unreleased intact while later frames pass, then reuses its slot', async () => {
    const frames = await Promise.all([31, 32, 33, 34, 35].map((seed) => makeFrame({ width: 320, height: 240, quality: 93, chromaSubsampling: '4:2:0', optimiseCoding: true, seed })));
    const here = encoderFor(false);
    const expected = await Promise.all(frames.map(async (frame, i) => {
      const result = await here.encode(frame, i * 100_000);
      if (!result.ok) throw new Error(result.detail);
      return Buffer.from(result.jpeg);
    }));
    const onWorker = encoderFor(true);
    const held = await onWorker.encode(frames[0] as Uint8Array, 0);
    if (!held.ok || held.release === undefined) throw new Error('the first frame did not come back in a slot');
    expect(held.jpeg.buffer).toBeInstanceOf(SharedArrayBuffer);
    // Later frames, each released at once: none may be written into the held frame's slot.
    for (let i = 1; i < 4; i += 1) {
      const result = await onWorker.encode(frames[i] as Uint8Array, i * 100_000);
      if (!result.ok) throw new Error(result.detail);
      expect(result.jpeg.buffer).not.toBe(held.jpeg.buffer);
      expect(Buffer.from(result.jpeg).equals(expected[i] as Buffer)).toBe(true);
      result.release?.();
      expect(Buffer.from(held.jpeg).equals(expected[0] as Buffer), `frame 0 after frame ${i}`).toBe(true);
    }
    expect(onWorker.paths).toEqual({ passthrough: 0, blocks: 0, requantised: 4, frame: 0, cached: 0 });
    // Released, its slot carries the next frame (the most recently freed first).
    const freeBefore = frameSlotState().free;
    held.release();
    expect(frameSlotState().free).toBe(freeBefore + 1);
    const next = await onWorker.encode(frames[4] as Uint8Array, 400_000);
    if (!next.ok) throw new Error(next.detail);
    expect(next.jpeg.buffer).toBe(held.jpeg.buffer);
    expect(Buffer.from(next.jpeg).equals(expected[4] as Buffer)).toBe(true);
    next.release?.();
  });
});
