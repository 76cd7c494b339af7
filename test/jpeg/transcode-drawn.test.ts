/**
 * The coefficient transcode as the encoder runs it (src/encoder/block-burn-in.ts): the burn-in's
 * MCUs taken through pixels in JavaScript (src/jpeg/redraw-blocks.ts), no band JPEG, no sharp.
 * On small frames sharp and ffmpeg write at several qualities, sizes and restart intervals, with
 * an overlay anywhere: every MCU the overlay does not touch is exactly round(c · qOld / qNew) of
 * the source's, libjpeg decodes the result without a warning, and the overlay's MCUs have exactly
 * the coefficients of the whole-frame path (decode, draw, encode with sharp). The 40 dB target is
 * on real footage (docs/performance.md). And a property: the Huffman decoder and both encoders
 * (the per-block writer and the transcode's fused loop) give back any coefficient arrays exactly.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, type DeviceFormat, EntropyWriter, type PixelRect, decodeScan, deviceFormat, finishTranscode, finishTranscodeDrawn, planTranscode, readBaselineJpeg, readEntropyData } from '../../src/jpeg/index.js';
import { setBlockDctWasm, wasmBlockDctStats } from '../../src/jpeg/wasm-block-dct.js';
import { drawText, rasterizeText } from '../../src/text/index.js';
import { type FrameRecipe, coefficientsOf, makeFrame, mcuCoefficients, mcuOverlaps, parsedScan, pictureOf, withRestartMarkers } from '../helpers/jpeg-frames.js';

/**
 * A fixed seed by default, as the pipeline property (CI sees the same cases every run);
 * BODYCAM_PROPERTY_SEED=random explores new ones.
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

/**
 * Checks `source` made the device's at `quality`: the MCUs the overlay leaves alone requantised,
 * the ones it covers exactly the whole-frame path's. Returns the PSNR of the frame and of the
 * overlay's MCUs against the whole-frame path, and how many MCUs were compared with it.
 */
async function check(source: Uint8Array, width: number, height: number, quality: number, overlay: PixelRect | null): Promise<{ frameDb: number; overlayDb: number; coveredMcus: number }> {
  const out = await drawnTranscode(source, quality, overlay);
  const pixels = await sharp(out, { failOn: 'warning' }).raw().toBuffer(); // libjpeg: no warning
  const referenceJpeg = await wholeFrame(source, width, height, quality, overlay);
  const reference = await sharp(referenceJpeg).raw().toBuffer();
  const whole = coefficientsOf(referenceJpeg);
  const { jpeg: sourceJpeg } = parsedScan(source);
  const outRead = readBaselineJpeg(out);
  if (!outRead.ok) throw new Error(outRead.reason);
  const before = coefficientsOf(source);
  const after = coefficientsOf(out);
  const { layout } = after;
  const clipped = overlay === null ? null : { left: overlay.left, top: overlay.top, width: Math.min(overlay.width, width - overlay.left), height: Math.min(overlay.height, height - overlay.top) };
  let coveredMcus = 0;
  for (let mcu = 0; mcu < layout.mcusX * layout.mcusY; mcu += 1) {
    if (clipped !== null && mcuOverlaps(layout, mcu, clipped)) {
      // Taken through pixels as libjpeg takes them: the whole-frame path's coefficients, to the bit.
      expect({ mcu, coefficients: Array.from(mcuCoefficients(after, mcu)) }).toEqual({ mcu, coefficients: Array.from(mcuCoefficients(whole, mcu)) });
      coveredMcus += 1;
      continue;
    }
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
  return { frameDb: psnr(pixels, reference), overlayDb, coveredMcus };
}

describe('coefficient transcode, burn-in drawn in JavaScript', () => {
  it('a 720p frame from ffmpeg at -q:v 3 with the burn-in at the bottom: requantised outside it, the whole-frame path\'s under it', async () => {
    const width = 1280;
    const height = 720;
    const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-', '-frames:v', '1',
      '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg', '-'], { input: pictureOf(width, height, 17), maxBuffer: 1 << 24 });
    expect(made.status).toBe(0);
    const before = { ...wasmBlockDctStats };
    const { frameDb, overlayDb, coveredMcus } = await check(new Uint8Array(made.stdout), width, height, 80, { left: 6, top: 687, width: overlayText.width, height: overlayText.height });
    expect(coveredMcus).toBe(13 * 2);
    // The redraw's transforms ran as WebAssembly (wasm-block-dct.ts): these MCUs are its output.
    expect(wasmBlockDctStats.forward - before.forward).toBe(coveredMcus * 6);
    expect(wasmBlockDctStats.inverse - before.inverse).toBeGreaterThanOrEqual(coveredMcus * 6);
    expect(wasmBlockDctStats.fromRgb - before.fromRgb).toBe(1);
    expect(wasmBlockDctStats.toRgb - before.toRgb).toBe(1);
    // The test picture is grain at every pixel, the worst case for two independent quantisations
    // (the requantised MCUs themselves are ~36 dB from the whole-frame path here); the redrawn
    // MCUs are the whole-frame path's (only the requantised neighbours' chroma reaches into
    // their edge pixels when decoded). Real footage: docs/performance.md.
    expect(overlayDb).toBeGreaterThan(frameDb + 10);
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
      const { coveredMcus } = await check(source, recipe.width, recipe.height, recipe.deviceQuality, { left, top, width: overlayText.width, height: overlayText.height });
      seen.push(coveredMcus);

    }), { numRuns: 20, ...(seed === undefined ? {} : { seed }) });
    expect(seen.length).toBe(20);
    expect(seen.every((count) => count > 0)).toBe(true);
  });

  it('a burn-in in the corner MCU of a 57x74 frame from quality 50 to 90 is the whole-frame path\'s (seed 700556574 of the property)', async () => {
    // The first redraw (AAN float transforms, chroma replicated) was 36.3 dB from the whole-frame
    // path here against 43.0 dB for the requantised rest: at device quality 90, a chroma
    // coefficient rounded a step away from libjpeg's shows over the whole MCU, and the MCU is
    // only 9x16 pixels of the frame.
    const source = await makeFrame({ width: 57, height: 74, quality: 50, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 77904 });
    const { frameDb, overlayDb, coveredMcus } = await check(source, 57, 74, 90, { left: 52, top: 49, width: overlayText.width, height: overlayText.height });
    expect(coveredMcus).toBe(1);
    expect(overlayDb).toBeGreaterThan(frameDb);
  });

  it('the encoder\'s dummy blocks past the frame\'s edges, and a frame no wider than 2 chroma samples', async () => {
    // 40x40: MCUs 48 wide and high, 5 luma blocks of the frame each way, so the covered corner MCU
    // holds a right column, a bottom row and a corner of dummy blocks.
    const corner = await makeFrame({ width: 40, height: 40, quality: 70, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 5 });
    expect((await check(corner, 40, 40, 80, { left: 34, top: 36, width: overlayText.width, height: overlayText.height })).coveredMcus).toBe(1);
    // 4 pixels wide: libjpeg upsamples 2 chroma samples by replication, not its triangle filter.
    const narrow = await makeFrame({ width: 4, height: 40, quality: 50, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 9 });
    expect((await check(narrow, 4, 40, 80, { left: 0, top: 10, width: overlayText.width, height: overlayText.height })).coveredMcus).toBe(2);
  });

  it('the JavaScript fallback of the redraw\'s arithmetic (no WebAssembly) gives the whole-frame path\'s too, dummy blocks included', async () => {
    const corner = await makeFrame({ width: 40, height: 40, quality: 70, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 5 });
    const before = { ...wasmBlockDctStats };
    setBlockDctWasm(false);
    try {
      expect((await check(corner, 40, 40, 80, { left: 34, top: 36, width: overlayText.width, height: overlayText.height })).coveredMcus).toBe(1);
    } finally {
      setBlockDctWasm(true);
    }
    expect(wasmBlockDctStats).toEqual(before);
  });

  it('a wider, shorter burn-in after a narrower, taller one (the redraw keeps its scratch planes between calls)', async () => {
    // 32x32 pixels of MCUs, then 48x16: fewer pixels but longer rows than the scratch was made for.
    const tall = await makeFrame({ width: 24, height: 40, quality: 60, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 21 });
    await check(tall, 24, 40, 80, { left: 0, top: 12, width: overlayText.width, height: overlayText.height });
    const wide = await makeFrame({ width: 40, height: 24, quality: 60, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 22 });
    expect((await check(wide, 40, 24, 80, { left: 0, top: 0, width: overlayText.width, height: overlayText.height })).coveredMcus).toBe(3);
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
