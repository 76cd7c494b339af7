/**
 * Issue 14, peak RSS at the largest PNG frames: a PNG has no JPEG coefficients to keep, so it
 * must go straight to the whole-frame path. It used to be sent to a block worker first (the
 * transcode path was tried for every frame at the device's quality), which copied the whole PNG
 * (about 25 MB at 4096x2025) into the worker's heap only to have it refused there; those copies
 * took `bodycam run` over its memory bound (docs/performance.md, "Frame sizes").
 */
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { BurnIn, FrameEncoder, JPEG_SETTINGS } from '../../src/encoder/index.js';
import { parseWallClock } from '../../src/time/index.js';

const pool = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/encoder/block-burn-in-pool.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/encoder/block-burn-in-pool.js')>();
  return {
    ...original,
    burnInBlocksOnWorker: (...args: Parameters<typeof original.burnInBlocksOnWorker>) => {
      pool.calls += 1;
      return original.burnInBlocksOnWorker(...args);
    },
  };
});

const burnIn = { origin: parseWallClock('2026-11-22T14:00:00+01:00'), deviceId: 'DRD-BC-0001', officerId: 'H-0001' };
const frame = (format: 'png' | 'jpeg') => {
  const image = sharp({ create: { width: 320, height: 180, channels: 3, background: { r: 90, g: 120, b: 150 } } });
  return (format === 'png' ? image.png() : image.jpeg({ quality: 80, chromaSubsampling: '4:2:0' })).toBuffer();
};

describe('a PNG frame', () => {
  it('goes straight to the whole-frame path, never to a block worker', async () => {
    const encoder = new FrameEncoder({ sourceWidth: 320, sourceHeight: 180, outputWidth: 320, outputHeight: 180, jpegQuality: 80, burnIn, passthrough: true, blockWorkers: true });
    const png = await encoder.encode(new Uint8Array(await frame('png')), 1_000_000);
    expect(png.ok).toBe(true);
    expect(encoder.paths.frame).toBe(1);
    expect(pool.calls).toBe(0);
    // The same encoder does send a JPEG at its quality to a worker (the spy above is live).
    const jpeg = await encoder.encode(new Uint8Array(await frame('jpeg')), 2_000_000);
    expect(jpeg.ok).toBe(true);
    expect(pool.calls).toBeGreaterThan(0);
  });
});

describe('the whole-frame path at the device\'s size (the decoded frame never held, issue 14)', () => {
  /** What the path did before: decode the whole frame, draw the burn-in into it, encode it. */
  async function wholeFrame(png: Buffer, width: number, height: number, captureUs: number): Promise<Buffer> {
    const { data } = await sharp(png).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    new BurnIn(burnIn, width, height).drawInto(data, 3, captureUs);
    return sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80, ...JPEG_SETTINGS }).toBuffer();
  }

  it.each([[320, 180], [1, 1], [17, 9], [333, 777]])('gives the same bytes as decoding, drawing and encoding the whole frame (%ix%i)', async (width, height) => {
    const noise = Buffer.alloc(width * height * 3);
    for (let i = 0; i < noise.length; i += 1) noise[i] = ((i * 2654435761) >>> 13) & 255;
    const png = await sharp(noise, { raw: { width, height, channels: 3 } }).png().toBuffer();
    const encoder = new FrameEncoder({ sourceWidth: width, sourceHeight: height, outputWidth: width, outputHeight: height, jpegQuality: 80, burnIn, passthrough: true });
    for (const captureUs of [0, 61_234_567]) {
      const result = await encoder.encode(new Uint8Array(png), captureUs);
      expect(result.ok && Buffer.from(result.jpeg).equals(await wholeFrame(png, width, height, captureUs))).toBe(true);
    }
  });

  it('drops a PNG cut short as corrupt', async () => {
    const png = await frame('png');
    const encoder = new FrameEncoder({ sourceWidth: 320, sourceHeight: 180, outputWidth: 320, outputHeight: 180, jpegQuality: 80, burnIn, passthrough: true });
    expect(await encoder.encode(new Uint8Array(png.subarray(0, Math.floor(png.length / 2))), 0)).toMatchObject({ ok: false, reason: 'corrupt' });
  });
});
