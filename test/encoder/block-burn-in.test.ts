/**
 * The encoder's block path end to end: a sensor frame at the device's size and quality has only
 * the blocks under the burn-in encoded again, the same on a worker thread as on the caller's; any
 * other frame, or one the splice refuses, takes the full path, which still reports corrupt ones.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BurnIn, FrameEncoder, blockWorkerCount } from '../../src/encoder/index.js';
import { parseWallClock } from '../../src/time/index.js';
import { coefficientsOf, makeFrame, mcuCoefficients, mcuOverlaps } from '../helpers/jpeg-frames.js';

const origin = parseWallClock('2026-11-22T14:00:00+01:00');
const burnIn = { origin, deviceId: 'DRD-BC-0001', officerId: 'H-0001' };
const encoderFor = (width: number, height: number, blockWorkers: boolean) => new FrameEncoder({
  sourceWidth: width, sourceHeight: height, outputWidth: width, outputHeight: height, jpegQuality: 80, burnIn, passthrough: true, blockWorkers,
});

describe('the block burn-in path', () => {
  it('re-encodes only the MCUs under the burn-in, identically on a worker and in process', async () => {
    const source = await makeFrame({ width: 640, height: 360, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 21 });
    const inProcess = encoderFor(640, 360, false);
    const onWorker = encoderFor(640, 360, true);
    const [a, b] = await Promise.all([inProcess.encode(source, 3_500_000), onWorker.encode(source, 3_500_000)]);
    if (!a.ok || !b.ok) throw new Error('encode failed');
    expect(inProcess.paths).toEqual({ passthrough: 0, blocks: 1, frame: 0 });
    expect(onWorker.paths).toEqual({ passthrough: 0, blocks: 1, frame: 0 });
    expect(blockWorkerCount(), 'the pool runs dist/encoder/block-burn-in-worker.js, which npm test builds first').toBeGreaterThan(0);
    expect(Buffer.from(b.jpeg).equals(Buffer.from(a.jpeg))).toBe(true);
    await sharp(a.jpeg, { failOn: 'warning' }).raw().toBuffer();
    const box = new BurnIn(burnIn, 640, 360).boxAt(3_500_000);
    const before = coefficientsOf(source);
    const after = coefficientsOf(a.jpeg);
    let touched = 0;
    for (let mcu = 0; mcu < after.layout.mcusX * after.layout.mcusY; mcu += 1) {
      if (mcuOverlaps(after.layout, mcu, box)) touched += 1;
      else expect(Array.from(mcuCoefficients(after, mcu))).toEqual(Array.from(mcuCoefficients(before, mcu)));
    }
    expect(touched).toBeGreaterThan(0);
    expect(touched).toBeLessThan(after.layout.mcusX * after.layout.mcusY / 10);
  });

  it('takes the full path for a frame at another quality, and for one whose scan it refuses', async () => {
    const encoder = encoderFor(320, 240, true);
    const otherQuality = await makeFrame({ width: 320, height: 240, quality: 70, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 3 });
    expect((await encoder.encode(otherQuality, 0)).ok).toBe(true);
    expect(encoder.paths).toEqual({ passthrough: 0, blocks: 0, frame: 1 });
    // The scan cut short (but still ending in an end-of-image marker): the splice refuses it,
    // and the full decoder reports the frame as corrupt, as it did before there was a splice.
    const frame = await makeFrame({ width: 320, height: 240, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 3 });
    const cut = Uint8Array.from([...frame.subarray(0, Math.floor(frame.length * 0.6)), 0xff, 0xd9]);
    const result = await encoder.encode(cut, 0);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('corrupt');
    expect(encoder.paths).toEqual({ passthrough: 0, blocks: 0, frame: 2 });
  });
});
