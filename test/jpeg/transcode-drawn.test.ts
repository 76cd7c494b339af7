/**
 * The coefficient transcode as the encoder runs it (src/encoder/block-burn-in.ts): the burn-in's
 * MCUs taken through pixels in JavaScript (src/jpeg/redraw-blocks.ts), no band JPEG, no sharp.
 * On small frames sharp and ffmpeg write at several qualities, sizes and restart intervals, with
 * an overlay anywhere: every MCU the overlay does not touch is exactly round(c · qOld / qNew) of
 * the source's, libjpeg decodes the result without a warning, and the overlay's MCUs are no
 * further (PSNR) from the whole-frame path (decode, draw, encode with sharp) than the requantised
 * rest of the frame is. The 40 dB target is on real footage (docs/performance.md). And a property: the Huffman decoder and both encoders (the per-block
 * writer and the transcode's fused loop) give back any coefficient arrays exactly.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, type DeviceFormat, EntropyWriter, type PixelRect, decodeScan, deviceFormat, finishTranscode, finishTranscodeDrawn, planTranscode, readBaselineJpeg, readEntropyData } from '../../src/jpeg/index.js';
import { drawText, rasterizeText } from '../../src/text/index.js';
import { type FrameRecipe, coefficientsOf, makeFrame, mcuCoefficients, mcuOverlaps, parsedScan, pictureOf, withRestartMarkers } from '../helpers/jpeg-frames.js';

/**
 * A fixed seed by default, as the pipeline property (CI sees the same cases every run);
 * BODYCAM_PROPERTY_SEED=random explores new ones. Open (issue 20): seed 700556574 finds a
 * burn-in more than 6 dB worse than the rest of the frame, 57x74 from quality 50 to 90 with the
 * overlay at (52, 49), near the frame's corner.
 */
const seedEnv = process.env.BODYCAM_PROPERTY_SEED ?? '20261202';
const seed = seedEnv === 'random' ? undefined : Number(seedEnv);

const overlayText = rasterizeText('2026-11-22 14:00:03  DRD-BC-0001', { scale: 1, background: [0, 0, 0, 170] });
const settings = (quality: number) => ({ quality, chromaSubsampling: '4:2:0' as const, optimiseCoding: false });
const devices = new Map<number, Promise<DeviceFormat>>();

function deviceOf(quality: number): Promise<DeviceFormat> {
  let device = devices.get(quality);
  if (device === undefined) {
    device = sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } }).jpeg(settings(quality)).toBuffer().then((template) => {
      const format = deviceFormat(new Uint8Array(template));
      if (typeof format === 'string') throw new Error(format);
      return format;
    });
    devices.set(quality, device);
  }
  return device;
}

function drawOn(pixels: Uint8Array, stride: number, region: { left: number; top: number }, overlay: PixelRect): void {
  drawText(pixels, stride, Math.floor(pixels.length / (stride * 3)), 3, overlayText, overlay.left - region.left, overlay.top - region.top);
}

async function drawnTranscode(source: Uint8Array, quality: number, overlay: PixelRect | null): Promise<Uint8Array> {
  const plan = planTranscode(source, await deviceOf(quality), overlay, { bandJpeg: false });
  if ('reason' in plan) throw new Error(`refused: ${plan.reason}`);
  expect(plan.bandJpeg).toBeNull();
  const out = finishTranscodeDrawn(plan, (rgb, region) => { if (overlay !== null) drawOn(rgb, region.width, region, overlay); });
  if ('reason' in out) throw new Error(`refused: ${out.reason}`);
  return out;
}

async function wholeFrame(source: Uint8Array, width: number, height: number, quality: number, overlay: PixelRect | null): Promise<Uint8Array> {
  const raw = await sharp(source).raw().toBuffer();
  if (overlay !== null) drawOn(raw, width, { left: 0, top: 0 }, overlay);
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg(settings(quality)).toBuffer());
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let squared = 0;
  for (let i = 0; i < a.length; i += 1) squared += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return squared === 0 ? Infinity : 10 * Math.log10((255 * 255 * a.length) / squared);
}

/** Rows [top, bottom) and columns [left, right) of an RGB frame `width` wide. */
function crop(rgb: Uint8Array, width: number, left: number, top: number, right: number, bottom: number): Uint8Array {
  const out: number[] = [];
  for (let y = top; y < bottom; y += 1) out.push(...rgb.subarray((y * width + left) * 3, (y * width + right) * 3));
  return Uint8Array.from(out);
}

/** Checks `source` made the device's at `quality`; returns the PSNR of the frame and of the overlay's MCUs. */
async function check(source: Uint8Array, width: number, height: number, quality: number, overlay: PixelRect | null): Promise<{ frameDb: number; overlayDb: number }> {
  const out = await drawnTranscode(source, quality, overlay);
  const pixels = await sharp(out, { failOn: 'warning' }).raw().toBuffer(); // libjpeg: no warning
  const reference = await sharp(await wholeFrame(source, width, height, quality, overlay)).raw().toBuffer();
  const { jpeg: sourceJpeg } = parsedScan(source);
  const outRead = readBaselineJpeg(out);
  if (!outRead.ok) throw new Error(outRead.reason);
  const before = coefficientsOf(source);
  const after = coefficientsOf(out);
  const { layout } = after;
  const clipped = overlay === null ? null : { left: overlay.left, top: overlay.top, width: Math.min(overlay.width, width - overlay.left), height: Math.min(overlay.height, height - overlay.top) };
  for (let mcu = 0; mcu < layout.mcusX * layout.mcusY; mcu += 1) {
    if (clipped !== null && mcuOverlaps(layout, mcu, clipped)) continue;
    const expected = Array.from(mcuCoefficients(before, mcu), (value, i) => {
      const component = layout.blockScanComponent[Math.floor(i / BLOCK_SIZE)] ?? 0;
      const qOld = sourceJpeg.quantTables.get(sourceJpeg.components[component]?.quantTableId ?? -1)?.[i % BLOCK_SIZE] ?? 0;
      const qNew = outRead.jpeg.quantTables.get(outRead.jpeg.components[component]?.quantTableId ?? -1)?.[i % BLOCK_SIZE] ?? 0;
      const magnitude = Math.floor((2 * Math.abs(value) * qOld + qNew) / (2 * qNew));
      return value < 0 && magnitude > 0 ? -magnitude : magnitude;
    });
    expect(Array.from(mcuCoefficients(after, mcu))).toEqual(expected);
  }
  let overlayDb = Infinity;
  if (clipped !== null) {
    // The overlay's MCUs, clipped to the frame.
    const left = Math.floor(clipped.left / 16) * 16;
    const top = Math.floor(clipped.top / 16) * 16;
    const right = Math.min(width, Math.ceil((clipped.left + clipped.width) / 16) * 16);
    const bottom = Math.min(height, Math.ceil((clipped.top + clipped.height) / 16) * 16);
    overlayDb = psnr(crop(pixels, width, left, top, right, bottom), crop(reference, width, left, top, right, bottom));
  }
  return { frameDb: psnr(pixels, reference), overlayDb };
}

describe('coefficient transcode, burn-in drawn in JavaScript', () => {
  it('a 720p frame from ffmpeg at -q:v 3 with the burn-in at the bottom: exact outside it, the burn-in as close to the whole-frame path as the rest', async () => {
    const width = 1280;
    const height = 720;
    const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-', '-frames:v', '1',
      '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg', '-'], { input: pictureOf(width, height, 17), maxBuffer: 1 << 24 });
    expect(made.status).toBe(0);
    const { frameDb, overlayDb } = await check(new Uint8Array(made.stdout), width, height, 80, { left: 6, top: 687, width: overlayText.width, height: overlayText.height });
    // The test picture is grain at every pixel, the worst case for two independent quantisations
    // (the requantised MCUs themselves are ~36 dB from the whole-frame path here): the redrawn
    // MCUs must be no further from it than those. Real footage: docs/performance.md.
    expect(overlayDb).toBeGreaterThanOrEqual(frameDb - 3);
    expect(frameDb).toBeGreaterThan(30);

  });

  it('holds for frame sizes, quality pairs, Huffman tables, restart intervals and overlay places', async () => {
    const cases = fc.record({
      width: fc.integer({ min: 24, max: 200 }),
      height: fc.integer({ min: 24, max: 120 }),
      quality: fc.constantFrom(30, 50, 70, 90, 98),
      deviceQuality: fc.constantFrom(60, 80, 90),
      optimiseCoding: fc.boolean(),
      restartInterval: fc.constantFrom(0, 1, 5),
      seed: fc.integer({ min: 1, max: 100_000 }),
    }).chain((recipe) => fc.record({
      recipe: fc.constant(recipe),
      left: fc.integer({ min: 0, max: recipe.width - 1 }),
      top: fc.integer({ min: 0, max: recipe.height - 1 }),
    }));
    const seen: number[] = [];
    await fc.assert(fc.asyncProperty(cases, async ({ recipe, left, top }) => {
      const frame: FrameRecipe = { width: recipe.width, height: recipe.height, quality: recipe.quality, chromaSubsampling: '4:2:0', optimiseCoding: recipe.optimiseCoding, seed: recipe.seed };
      const plain = await makeFrame(frame);
      const source = recipe.restartInterval > 0 && !recipe.optimiseCoding ? withRestartMarkers(plain, recipe.restartInterval) : plain;
      const { frameDb, overlayDb } = await check(source, recipe.width, recipe.height, recipe.deviceQuality, { left, top, width: overlayText.width, height: overlayText.height });
      seen.push(overlayDb);
      // As above, within 6 dB: from a blocky source (quality 30) the chroma upsampling shows, by
      // replication here and libjpeg's triangle filter in the whole-frame path (24x70 from quality
      // 30 to 60: 5.4 dB). Before MCUs past the frame's edge were filled as the encoder fills
      // them, the redraw was 7.5 dB worse than the rest (30x46, quality 30 to 60).
      expect(overlayDb).toBeGreaterThanOrEqual(frameDb - 6);

    }), { numRuns: 20, ...(seed === undefined ? {} : { seed }) });
    expect(seen.length).toBe(20);
  });

  it('gives the same bytes every time', async () => {
    const source = await makeFrame({ width: 160, height: 96, quality: 92, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 8 });
    const overlay = { left: 4, top: 80, width: overlayText.width, height: overlayText.height };
    const [a, b] = [await drawnTranscode(source, 80, overlay), await drawnTranscode(source, 80, overlay)];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('entropy coding of any coefficients', () => {
  it('the decoder gives back exactly what the block writer and the transcode\'s fused loop code', async () => {
    // A frame of the device's own tables: its layout and standard Huffman tables code every baseline value.
    const template = await makeFrame({ width: 48, height: 32, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 3 });
    const { jpeg, layout } = parsedScan(template);
    const device = await deviceOf(80);
    const blocks = layout.mcusX * layout.mcusY * layout.blocksPerMcu;
    // Sparse, footage-like blocks: mostly zeros, small values, now and then the extremes.
    const value = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -1023, max: 1023 }) });
    const coefficients = fc.array(value, { minLength: blocks * BLOCK_SIZE, maxLength: blocks * BLOCK_SIZE });
    await fc.assert(fc.asyncProperty(coefficients, async (values) => {
      const input = Int16Array.from(values);
      // DC as a value: keep the differences within 11 bits.
      for (let block = 0; block < blocks; block += 1) input[block * BLOCK_SIZE] = (input[block * BLOCK_SIZE] ?? 0) % 1000;
      const writer = new EntropyWriter(64);
      const predictors = [0, 0, 0, 0];
      for (let block = 0; block < blocks; block += 1) {
        const b = block % layout.blocksPerMcu;
        const component = layout.blockScanComponent[b] ?? 0;
        const dc = input[block * BLOCK_SIZE] ?? 0;
        expect(writer.block(input, block * BLOCK_SIZE, dc - (predictors[component] ?? 0), layout.blockDc[b]!.encode, layout.blockAc[b]!.encode)).toBe(true);
        predictors[component] = dc;
      }
      writer.padToByte();
      const file = Uint8Array.from([...template.subarray(0, jpeg.scanDataStart), ...writer.result(), 0xff, 0xd9]);
      const data = readEntropyData(file, jpeg.scanDataStart);
      if (data === null) throw new Error('no end marker');
      const decoded = decodeScan(data, layout, 0, 0);
      if (typeof decoded === 'string') throw new Error(decoded);
      expect(Array.from(decoded.coefficients)).toEqual(Array.from(input));
      // The fused loop, requantising from the device's tables to themselves (every ratio 1), codes the same coefficients.
      const plan = planTranscode(file, device, null);
      if ('reason' in plan) throw new Error(plan.reason);
      const again = finishTranscode(plan, null);
      if ('reason' in again) throw new Error(again.reason);
      expect(Array.from(coefficientsOf(again).coefficients)).toEqual(Array.from(input));
    }), { numRuns: 40 });
  });
});
