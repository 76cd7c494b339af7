/**
 * The block splice against the full decode → draw → encode path, on frames sharp encodes with
 * both kinds of Huffman tables, at sizes that are and are not whole MCUs, with the overlay
 * anywhere: every MCU the overlay does not touch keeps its coefficients exactly, every MCU it
 * touches gets exactly the coefficients the full path gives it, and libjpeg decodes the result
 * without a warning.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type PixelRect, extendTable, planBlockSplice, spliceBlocks } from '../../src/jpeg/index.js';
import { drawText, rasterizeText } from '../../src/text/index.js';
import { type FrameRecipe, coefficientsOf, makeFrame, mcuCoefficients, mcuOverlaps, withRestartMarkers } from '../helpers/jpeg-frames.js';

const settings = (recipe: FrameRecipe) => ({ quality: recipe.quality, chromaSubsampling: recipe.chromaSubsampling, optimiseCoding: false });
const overlayText = rasterizeText('2026-11-22 14:00:03  DRD-BC-0001', { scale: 1, background: [0, 0, 0, 170] });

function draw(pixels: Uint8Array, width: number, region: PixelRect, overlay: PixelRect): void {
  drawText(pixels, width, Math.floor(pixels.length / (width * 3)), 3, overlayText, overlay.left - region.left, overlay.top - region.top);
}

/** The splice with the caller's part done by sharp, as src/encoder/block-burn-in.ts does it. */
async function splice(source: Uint8Array, recipe: FrameRecipe, overlay: PixelRect): Promise<Uint8Array | string> {
  const plan = planBlockSplice(source, overlay);
  if ('reason' in plan) return plan.reason;
  const band = await sharp(plan.bandJpeg, { failOn: 'warning' }).raw().toBuffer();
  draw(band, plan.band.width, plan.band, overlay);
  const encoded = await sharp(band, { raw: { width: plan.band.width, height: plan.band.height, channels: 3 } }).jpeg(settings(recipe)).toBuffer();
  const out = spliceBlocks(plan, new Uint8Array(encoded));
  return 'reason' in out ? out.reason : out;
}

/** The full path: the whole frame decoded, drawn on, encoded. */
async function fullPath(source: Uint8Array, recipe: FrameRecipe, overlay: PixelRect): Promise<Uint8Array> {
  const raw = await sharp(source).raw().toBuffer();
  draw(raw, recipe.width, { left: 0, top: 0, width: recipe.width, height: recipe.height }, overlay);
  return new Uint8Array(await sharp(raw, { raw: { width: recipe.width, height: recipe.height, channels: 3 } }).jpeg(settings(recipe)).toBuffer());
}

async function expectSpliceMatches(recipe: FrameRecipe, overlay: PixelRect, restartInterval = 0): Promise<void> {
  const plain = await makeFrame(recipe);
  const source = restartInterval > 0 ? withRestartMarkers(plain, restartInterval) : plain;
  const spliced = await splice(source, recipe, overlay);
  if (typeof spliced === 'string') throw new Error(`refused: ${spliced}`);
  await sharp(spliced, { failOn: 'warning' }).raw().toBuffer(); // libjpeg: no warning
  const before = coefficientsOf(source);
  const after = coefficientsOf(spliced);
  const reference = coefficientsOf(await fullPath(source, recipe, overlay));
  const clipped = { left: overlay.left, top: overlay.top, width: Math.min(overlay.width, recipe.width - overlay.left), height: Math.min(overlay.height, recipe.height - overlay.top) };
  for (let mcu = 0; mcu < after.layout.mcusX * after.layout.mcusY; mcu += 1) {
    const expected = mcuOverlaps(after.layout, mcu, clipped) ? reference : before;
    expect(Array.from(mcuCoefficients(after, mcu))).toEqual(Array.from(mcuCoefficients(expected, mcu)));
  }
}

describe('block splice', () => {
  it('a 720p frame with optimised tables: the burn-in blocks as the full path codes them, the rest untouched', async () => {
    await expectSpliceMatches({ width: 1280, height: 720, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 11 }, { left: 6, top: 687, width: overlayText.width, height: overlayText.height });
  });

  it('holds for any frame size, subsampling, tables and overlay place', async () => {
    const cases = fc.record({
      width: fc.integer({ min: 24, max: 260 }),
      height: fc.integer({ min: 24, max: 200 }),
      quality: fc.integer({ min: 30, max: 95 }),
      chromaSubsampling: fc.constantFrom('4:2:0' as const, '4:4:4' as const),
      optimiseCoding: fc.boolean(),
      seed: fc.integer({ min: 1, max: 100_000 }),
    }).chain((recipe) => fc.record({
      recipe: fc.constant(recipe),
      left: fc.integer({ min: 0, max: recipe.width - 1 }),
      top: fc.integer({ min: 0, max: recipe.height - 1 }),
    }));
    await fc.assert(fc.asyncProperty(cases, async ({ recipe, left, top }) => {
      await expectSpliceMatches(recipe, { left, top, width: overlayText.width, height: overlayText.height });
    }), { numRuns: 40 });
  });

  it('writes restart markers where the frame had them (standard tables)', async () => {
    for (const interval of [1, 3, 7, 40]) {
      await expectSpliceMatches({ width: 200, height: 120, quality: 70, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: interval }, { left: 4, top: 90, width: overlayText.width, height: overlayText.height }, interval);
    }
  });

  it('with restart markers and a table that must change code words: refuses, so the full path does it', async () => {
    const recipe: FrameRecipe = { width: 640, height: 360, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 4 };
    const source = withRestartMarkers(await makeFrame(recipe), 8);
    const result = await splice(source, recipe, { left: 6, top: 330, width: overlayText.width, height: overlayText.height });
    expect(result).toBe('rewriting code words across restart markers');
  });

  it('keeps the frame\'s bytes up to the first touched MCU when its tables have every symbol', async () => {
    const recipe: FrameRecipe = { width: 320, height: 240, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 5 };
    const source = await makeFrame(recipe);
    const overlay = { left: 8, top: 200, width: overlayText.width, height: overlayText.height };
    const plan = planBlockSplice(source, overlay);
    if ('reason' in plan) throw new Error(plan.reason);
    const spliced = await splice(source, recipe, overlay);
    if (typeof spliced === 'string') throw new Error(spliced);
    // Standard tables: no symbol is missing, so the headers and every whole byte of the scan
    // before the first touched MCU are the frame's own.
    const untouched = plan.data.fileOffsetOf(plan.decoded.mark.bit >>> 3);
    expect(untouched).toBeGreaterThan(plan.jpeg.scanDataStart);
    expect(Buffer.from(spliced.subarray(0, untouched)).equals(Buffer.from(source.subarray(0, untouched)))).toBe(true);
  });

  it('refuses what it does not handle, with the reason', async () => {
    const progressive = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#456' } }).jpeg({ progressive: true }).toBuffer());
    expect(planBlockSplice(progressive, { left: 0, top: 0, width: 8, height: 8 })).toEqual({ reason: 'frame type 0xFFc2 (only baseline sequential Huffman)' });
    const frame = await makeFrame({ width: 64, height: 64, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 2 });
    expect(planBlockSplice(frame, { left: 64, top: 0, width: 8, height: 8 })).toEqual({ reason: 'the overlay lies outside the frame' });
    const truncated = frame.subarray(0, frame.length - 40);
    expect(planBlockSplice(truncated, { left: 0, top: 0, width: 8, height: 8 })).toHaveProperty('reason');
    // Headers libjpeg refuses are refused here too, so the full path reports them (not copied into a recording).
    const sof = frame.indexOf(0xc0, 2) - 1;
    const sofLength = ((frame[sof + 2] ?? 0) << 8) | (frame[sof + 3] ?? 0);
    const twoFrameHeaders = Uint8Array.from([...frame.subarray(0, sof + 2 + sofLength), ...frame.subarray(sof, sof + 2 + sofLength), ...frame.subarray(sof + 2 + sofLength)]);
    expect(planBlockSplice(twoFrameHeaders, { left: 0, top: 0, width: 8, height: 8 })).toEqual({ reason: `a second frame header at byte ${sof + 2 + sofLength}` });
    const shortRestart = Uint8Array.from([...frame.subarray(0, 2), 0xff, 0xdd, 0x00, 0x02, ...frame.subarray(2)]);
    expect(planBlockSplice(shortRestart, { left: 0, top: 0, width: 8, height: 8 })).toEqual({ reason: 'a restart interval segment of 2 bytes at byte 2' });
    const png = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer());
    expect(planBlockSplice(png, { left: 0, top: 0, width: 8, height: 8 })).toEqual({ reason: 'not a JPEG (no start-of-image marker)' });
  });
});

describe('extendTable', () => {
  it('gives new symbols code words, and changes only the code words it reports, none shorter than it says', async () => {
    const frame = await makeFrame({ width: 640, height: 360, quality: 85, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 9 });
    const { layout } = coefficientsOf(frame);
    const read = (await import('../../src/jpeg/index.js')).readBaselineJpeg(frame);
    if (!read.ok) throw new Error(read.reason);
    const tables = [...read.jpeg.acTables.values(), ...read.jpeg.dcTables.values()];
    const { huffmanTable } = await import('../../src/jpeg/index.js');
    expect(layout.blocksPerMcu).toBe(6);
    fc.assert(fc.property(fc.constantFrom(...tables), fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }), (spec, wanted) => {
      const absent = wanted.filter((symbol) => !spec.symbols.includes(symbol));
      const extension = extendTable(spec, absent);
      if (extension === null) throw new Error('no room');
      const before = huffmanTable(spec)!.encode;
      const after = huffmanTable(extension.spec);
      expect(after).not.toBeNull();
      for (const symbol of absent) expect(after!.encode.lengths[symbol]).toBeGreaterThan(0);
      for (const symbol of spec.symbols) {
        const unchanged = before.codes[symbol] === after!.encode.codes[symbol] && before.lengths[symbol] === after!.encode.lengths[symbol];
        expect(unchanged).toBe(extension.changed[symbol] !== 1);
        if (!unchanged) expect(before.lengths[symbol]).toBeGreaterThanOrEqual(extension.shortestChanged);
      }
      if (absent.length === 0) expect(extension.shortestChanged).toBe(17);
      // A prefix code that leaves the all-ones word unused (T.81 C.2): Kraft sum below one.
      let kraft = 0;
      for (let length = 1; length <= 16; length += 1) kraft += (extension.spec.counts[length - 1] ?? 0) * 2 ** (16 - length);
      expect(kraft).toBeLessThan(2 ** 16);
    }), { numRuns: 200 });
  });

  it('has no room past 256 symbols', () => {
    const all = { counts: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 200, 55, 0, 0, 0, 0, 0, 0]), symbols: Uint8Array.from({ length: 255 }, (_, i) => i) };
    expect(extendTable(all, [255])).not.toBeNull();
    const full = extendTable(all, [255]);
    expect(full === null ? null : extendTable(full.spec, [0x100 - 1])).toBeNull();
  });
});
