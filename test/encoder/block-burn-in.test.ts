/**
 * The encoder's block paths end to end: a sensor frame at the device's size and quality has only
 * the blocks under the burn-in encoded again; one at another quality has its coefficients
 * requantised to the device's tables and only the burn-in's blocks encoded again; both the same on
 * a worker thread as on the caller's. A frame neither handles takes the full path, which still
 * reports corrupt ones.
 */
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BurnIn, FrameEncoder, blockWorkerCount, jpegQualityOf } from '../../src/encoder/index.js';
import { renderScene } from '../../scripts/synth/index.js';
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
    expect(inProcess.paths).toEqual({ passthrough: 0, blocks: 1, requantised: 0, frame: 0, cached: 0 });
    expect(onWorker.paths).toEqual({ passthrough: 0, blocks: 1, requantised: 0, frame: 0, cached: 0 });
    expect(blockWorkerCount(), 'the pool runs src/encoder/block-burn-in-worker.ts through tsx').toBeGreaterThan(0);
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

  it('requantises a frame at another quality, identically on a worker and in process', async () => {
    const source = await makeFrame({ width: 640, height: 360, quality: 93, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 22 });
    const inProcess = encoderFor(640, 360, false);
    const onWorker = encoderFor(640, 360, true);
    const [a, b] = await Promise.all([inProcess.encode(source, 7_250_000), onWorker.encode(source, 7_250_000)]);
    if (!a.ok || !b.ok) throw new Error('encode failed');
    expect(inProcess.paths).toEqual({ passthrough: 0, blocks: 0, requantised: 1, frame: 0, cached: 0 });
    expect(onWorker.paths).toEqual({ passthrough: 0, blocks: 0, requantised: 1, frame: 0, cached: 0 });
    expect(blockWorkerCount()).toBeGreaterThan(0);
    expect(Buffer.from(b.jpeg).equals(Buffer.from(a.jpeg))).toBe(true);
    expect(jpegQualityOf(a.jpeg)).toBe(80);
    await sharp(a.jpeg, { failOn: 'warning' }).raw().toBuffer();
  });

  it('requantised frames stay within 40 dB PSNR of the whole-frame path (decoded by sharp)', async () => {
    // The project's own scene at 720p, from ffmpeg (-q:v 3) and from sharp at qualities either side of the device's.
    const [width, height] = [1280, 720];
    const rgb = renderScene({ width, height, frameIndex: 12, captureUs: 400_000, seed: 42, detail: 1 });
    const ffmpeg = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-', '-frames:v', '1',
      '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg', '-'], { input: rgb, maxBuffer: 1 << 24 });
    expect(ffmpeg.status).toBe(0);
    const sources: [string, Uint8Array][] = [['ffmpeg -q:v 3', new Uint8Array(ffmpeg.stdout)]];
    for (const quality of [50, 70, 98]) {
      sources.push([`sharp quality ${quality}`, new Uint8Array(await sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer())]);
    }
    for (const [label, source] of sources) {
      const fast = encoderFor(width, height, false);
      const whole = new FrameEncoder({ sourceWidth: width, sourceHeight: height, outputWidth: width, outputHeight: height, jpegQuality: 80, burnIn, passthrough: true, spliceBurnIn: false });
      const [a, b] = await Promise.all([fast.encode(source, 1_000_000), whole.encode(source, 1_000_000)]);
      if (!a.ok || !b.ok) throw new Error('encode failed');
      expect(fast.paths.requantised, label).toBe(1);
      expect(whole.paths.frame, label).toBe(1);
      const [pixelsA, pixelsB] = await Promise.all([sharp(a.jpeg).raw().toBuffer(), sharp(b.jpeg).raw().toBuffer()]);
      let squared = 0;
      for (let i = 0; i < pixelsA.length; i += 1) squared += ((pixelsA[i] ?? 0) - (pixelsB[i] ?? 0)) ** 2;
      const psnrDb = 10 * Math.log10((255 * 255 * pixelsA.length) / squared);
      expect(psnrDb, label).toBeGreaterThanOrEqual(40);
    }
  });

  it('takes the full path for a frame of other chroma subsampling, and for one whose scan it refuses', async () => {
    const encoder = encoderFor(320, 240, true);
    const otherSampling = await makeFrame({ width: 320, height: 240, quality: 70, chromaSubsampling: '4:4:4', optimiseCoding: true, seed: 3 });
    expect((await encoder.encode(otherSampling, 0)).ok).toBe(true);
    expect(encoder.paths).toEqual({ passthrough: 0, blocks: 0, requantised: 0, frame: 1, cached: 0 });
    // The scan cut short (but still ending in an end-of-image marker): the splice and the
    // transcode refuse it, and the full decoder reports the frame as corrupt, as before.
    const frame = await makeFrame({ width: 320, height: 240, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 3 });
    const cut = Uint8Array.from([...frame.subarray(0, Math.floor(frame.length * 0.6)), 0xff, 0xd9]);
    const result = await encoder.encode(cut, 0);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('corrupt');
    expect(encoder.paths).toEqual({ passthrough: 0, blocks: 0, requantised: 0, frame: 2, cached: 0 });
  });
});
