/**
 * The coefficient transcode against its definition and against the full decode → draw → encode
 * path, on frames sharp (and ffmpeg) encode at one quality made the device's at another, at sizes
 * that are and are not whole MCUs, with and without restart markers and an overlay anywhere:
 * every MCU the overlay does not touch gets exactly round(c · qOld / qNew) of the source's
 * coefficients, every MCU it touches exactly the coefficients the full path gives it, the headers
 * are the device encoder's, and libjpeg decodes the result without a warning.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, type DeviceFormat, type PixelRect, deviceFormat, finishTranscode, planTranscode, readBaselineJpeg } from '../../src/jpeg/index.js';
import { drawText, rasterizeText } from '../../src/text/index.js';
import { type FrameRecipe, coefficientsOf, makeFrame, mcuCoefficients, mcuOverlaps, parsedScan, pictureOf, withRestartMarkers } from '../helpers/jpeg-frames.js';

const overlayText = rasterizeText('2026-11-22 14:00:03  DRD-BC-0001', { scale: 1, background: [0, 0, 0, 170] });
const deviceSettings = (quality: number) => ({ quality, chromaSubsampling: '4:2:0' as const, optimiseCoding: false });

async function deviceOf(quality: number): Promise<DeviceFormat> {
  const template = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } }).jpeg(deviceSettings(quality)).toBuffer();
  const format = deviceFormat(new Uint8Array(template));
  if (typeof format === 'string') throw new Error(format);
  return format;
}

function draw(pixels: Uint8Array, width: number, region: PixelRect, overlay: PixelRect): void {
  drawText(pixels, width, Math.floor(pixels.length / (width * 3)), 3, overlayText, overlay.left - region.left, overlay.top - region.top);
}

/** The transcode with the caller's part done by sharp, as src/encoder/block-burn-in.ts does it. */
async function transcode(source: Uint8Array, quality: number, overlay: PixelRect | null): Promise<Uint8Array | string> {
  const plan = planTranscode(source, await deviceOf(quality), overlay);
  if ('reason' in plan) return plan.reason;
  let band: Uint8Array | null = null;
  if (plan.bandJpeg !== null && plan.band !== null && overlay !== null) {
    const pixels = await sharp(plan.bandJpeg, { failOn: 'warning' }).raw().toBuffer();
    draw(pixels, plan.band.width, plan.band, overlay);
    band = new Uint8Array(await sharp(pixels, { raw: { width: plan.band.width, height: plan.band.height, channels: 3 } }).jpeg(deviceSettings(quality)).toBuffer());
  }
  const out = finishTranscode(plan, band);
  return 'reason' in out ? out.reason : out;
}

/** The full path: the whole frame decoded, drawn on, encoded with the device's settings. */
async function fullPath(source: Uint8Array, width: number, height: number, quality: number, overlay: PixelRect | null): Promise<Uint8Array> {
  const raw = await sharp(source).raw().toBuffer();
  if (overlay !== null) draw(raw, width, { left: 0, top: 0, width, height }, overlay);
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg(deviceSettings(quality)).toBuffer());
}

/** round(c · qOld / qNew), half away from zero, in integers. */
function requantisedReference(value: number, qOld: number, qNew: number): number {
  const magnitude = Math.floor((2 * Math.abs(value) * qOld + qNew) / (2 * qNew));
  return value < 0 && magnitude > 0 ? -magnitude : magnitude;
}

async function expectTranscodeMatches(source: Uint8Array, width: number, height: number, quality: number, overlay: PixelRect | null): Promise<void> {
  const out = await transcode(source, quality, overlay);
  if (typeof out === 'string') throw new Error(`refused: ${out}`);
  await sharp(out, { failOn: 'warning' }).raw().toBuffer(); // libjpeg: no warning
  const reference = await fullPath(source, width, height, quality, overlay);
  const outRead = readBaselineJpeg(out);
  const referenceRead = readBaselineJpeg(reference);
  if (!outRead.ok || !referenceRead.ok) throw new Error('not baseline');
  expect(Buffer.from(out.subarray(0, outRead.jpeg.scanDataStart)).equals(Buffer.from(reference.subarray(0, referenceRead.jpeg.scanDataStart)))).toBe(true);
  const { jpeg: sourceJpeg } = parsedScan(source);
  const before = coefficientsOf(source);
  const after = coefficientsOf(out);
  const redrawn = coefficientsOf(reference);
  const { layout } = after;
  const clipped = overlay === null ? null : { left: overlay.left, top: overlay.top, width: Math.min(overlay.width, width - overlay.left), height: Math.min(overlay.height, height - overlay.top) };
  for (let mcu = 0; mcu < layout.mcusX * layout.mcusY; mcu += 1) {
    const got = Array.from(mcuCoefficients(after, mcu));
    if (clipped !== null && mcuOverlaps(layout, mcu, clipped)) {
      expect(got).toEqual(Array.from(mcuCoefficients(redrawn, mcu)));
      continue;
    }
    const old = mcuCoefficients(before, mcu);
    const expected = Array.from(old, (value, i) => {
      const component = layout.blockScanComponent[Math.floor(i / BLOCK_SIZE)] ?? 0;
      const qOld = sourceJpeg.quantTables.get(sourceJpeg.components[component]?.quantTableId ?? -1)?.[i % BLOCK_SIZE] ?? 0;
      const qNew = outRead.jpeg.quantTables.get(outRead.jpeg.components[component]?.quantTableId ?? -1)?.[i % BLOCK_SIZE] ?? 0;
      return requantisedReference(value, qOld, qNew);
    });
    expect(got).toEqual(expected);
  }
}

describe('coefficient transcode', () => {
  it('a 720p frame from ffmpeg at -q:v 3, with a burn-in at the bottom', async () => {
    const width = 1280;
    const height = 720;
    const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-', '-frames:v', '1',
      '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg', '-'], { input: pictureOf(width, height, 17), maxBuffer: 1 << 24 });
    expect(made.status).toBe(0);
    const source = new Uint8Array(made.stdout);
    await expectTranscodeMatches(source, width, height, 80, { left: 6, top: 687, width: overlayText.width, height: overlayText.height });
  });

  it('holds for any frame size, quality pair, Huffman tables, restart interval and overlay place', async () => {
    const cases = fc.record({
      width: fc.integer({ min: 24, max: 260 }),
      height: fc.integer({ min: 24, max: 200 }),
      quality: fc.integer({ min: 20, max: 100 }),
      deviceQuality: fc.integer({ min: 30, max: 95 }),
      optimiseCoding: fc.boolean(),
      // The test helper that writes restart markers re-codes with the frame's own tables: standard ones.
      restartInterval: fc.constantFrom(0, 1, 3, 7, 40),
      seed: fc.integer({ min: 1, max: 100_000 }),
      withOverlay: fc.boolean(),
    }).chain((recipe) => fc.record({
      recipe: fc.constant(recipe),
      left: fc.integer({ min: 0, max: recipe.width - 1 }),
      top: fc.integer({ min: 0, max: recipe.height - 1 }),
    }));
    await fc.assert(fc.asyncProperty(cases, async ({ recipe, left, top }) => {
      const frame: FrameRecipe = { width: recipe.width, height: recipe.height, quality: recipe.quality, chromaSubsampling: '4:2:0', optimiseCoding: recipe.optimiseCoding, seed: recipe.seed };
      const plain = await makeFrame(frame);
      const source = recipe.restartInterval > 0 && !recipe.optimiseCoding ? withRestartMarkers(plain, recipe.restartInterval) : plain;
      const overlay = recipe.withOverlay ? { left, top, width: overlayText.width, height: overlayText.height } : null;
      await expectTranscodeMatches(source, recipe.width, recipe.height, recipe.deviceQuality, overlay);
    }), { numRuns: 30 });
  });

  it('gives the same bytes every time', async () => {
    const source = await makeFrame({ width: 320, height: 240, quality: 92, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 8 });
    const overlay = { left: 4, top: 220, width: overlayText.width, height: overlayText.height };
    const [a, b] = [await transcode(source, 80, overlay), await transcode(source, 80, overlay)];
    if (typeof a === 'string' || typeof b === 'string') throw new Error('refused');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('refuses what it does not handle, with the reason', async () => {
    const device = await deviceOf(80);
    const box = { left: 0, top: 0, width: 8, height: 8 };
    const full = await makeFrame({ width: 64, height: 64, quality: 70, chromaSubsampling: '4:4:4', optimiseCoding: true, seed: 2 });
    expect(planTranscode(full, device, box)).toEqual({ reason: 'chroma subsampling other than the device\'s' });
    const grey = new Uint8Array(await sharp(Buffer.alloc(64 * 64, 100), { raw: { width: 64, height: 64, channels: 1 } }).toColourspace('b-w').jpeg().toBuffer());
    expect(planTranscode(grey, device, box)).toEqual({ reason: '1 components, the device writes 3' });
    const progressive = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#456' } }).jpeg({ progressive: true }).toBuffer());
    expect(planTranscode(progressive, device, box)).toEqual({ reason: 'frame type 0xFFc2 (only baseline sequential Huffman)' });
    const frame = await makeFrame({ width: 64, height: 64, quality: 70, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 2 });
    // Markers that change how a decoder makes pixels: the full path decides those.
    const adobe = Uint8Array.from([...frame.subarray(0, 2), 0xff, 0xee, 0x00, 0x0e, ...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, 1, ...frame.subarray(2)]);
    expect(planTranscode(adobe, device, box)).toEqual({ reason: 'an Adobe colour transform marker' });
    const icc = Uint8Array.from([...frame.subarray(0, 2), 0xff, 0xe2, 0x00, 0x04, 0, 0, ...frame.subarray(2)]);
    expect(planTranscode(icc, device, box)).toEqual({ reason: 'an ICC profile' });
    expect(planTranscode(frame, device, { left: 64, top: 0, width: 8, height: 8 })).toEqual({ reason: 'the overlay lies outside the frame' });
    const cut = Uint8Array.from([...frame.subarray(0, Math.floor(frame.length * 0.6)), 0xff, 0xd9]);
    expect(planTranscode(cut, device, null)).toHaveProperty('reason');
    const plan = planTranscode(frame, device, null);
    if ('reason' in plan) throw new Error(plan.reason);
    expect(finishTranscode(plan, null)).toBeInstanceOf(Uint8Array);
    expect(finishTranscode(plan, null)).toEqual({ reason: 'the transcode was already finished' });
  });
});
