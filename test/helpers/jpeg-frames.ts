/**
 * Test frames for the JPEG bitstream code: deterministic pictures (gradients, edges and noise, so
 * their coefficients look like footage) encoded by sharp with chosen settings, and their quantised
 * coefficients read back with src/jpeg's decoder.
 */
import sharp from 'sharp';
import { type BaselineJpeg, BLOCK_SIZE, type EntropyData, EntropyWriter, type McuLayout, type PixelRect, decodeScan, mcuLayout, readBaselineJpeg, readEntropyData } from '../../src/jpeg/index.js';

/** How a test frame is made. */
export interface FrameRecipe {
  readonly width: number;
  readonly height: number;
  readonly quality: number;
  readonly chromaSubsampling: '4:2:0' | '4:4:4';
  /** Optimised Huffman tables (libjpeg's optimize_coding, sharp's default) or the standard ones. */
  readonly optimiseCoding: boolean;
  readonly seed: number;
  readonly greyscale?: boolean;
}

/** Deterministic RGB pixels: a gradient, a few hard-edged bars and noise. */
export function pictureOf(width: number, height: number, seed: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  let state = seed >>> 0 || 1;
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 24) - 128;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const bar = Math.floor((x + seed) / 23) % 3 === 0 ? 60 : 0;
      const o = (y * width + x) * 3;
      raw[o] = Math.max(0, Math.min(255, (x * 255) / width + bar + noise() / 4));
      raw[o + 1] = Math.max(0, Math.min(255, (y * 255) / height - bar + noise() / 4));
      raw[o + 2] = Math.max(0, Math.min(255, 128 + ((x ^ y) & 31) + noise() / 8));
    }
  }
  return raw;
}

/** A JPEG made by sharp as `recipe` says. */
export async function makeFrame(recipe: FrameRecipe): Promise<Uint8Array> {
  let image = sharp(pictureOf(recipe.width, recipe.height, recipe.seed), { raw: { width: recipe.width, height: recipe.height, channels: 3 } });
  if (recipe.greyscale === true) image = image.greyscale();
  const jpeg = await image.jpeg({ quality: recipe.quality, chromaSubsampling: recipe.chromaSubsampling, optimiseCoding: recipe.optimiseCoding }).toBuffer();
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}

/** A baseline JPEG's structure, MCU layout and unstuffed scan, or an error saying why not. */
export function parsedScan(file: Uint8Array): { jpeg: BaselineJpeg; layout: McuLayout; data: EntropyData } {
  const read = readBaselineJpeg(file);
  if (!read.ok) throw new Error(read.reason);
  const layout = mcuLayout(read.jpeg);
  if (typeof layout === 'string') throw new Error(layout);
  const data = readEntropyData(file, read.jpeg.scanDataStart);
  if (data === null) throw new Error('no end marker');
  return { jpeg: read.jpeg, layout, data };
}

/** All quantised coefficients of a baseline JPEG, by src/jpeg's decoder, with its MCU layout. */
export function coefficientsOf(file: Uint8Array): { coefficients: Int16Array; layout: McuLayout } {
  const { jpeg, layout, data } = parsedScan(file);
  const decoded = decodeScan(data, layout, jpeg.restartInterval, 0);
  if (typeof decoded === 'string') throw new Error(decoded);
  return { coefficients: decoded.coefficients, layout };
}

/** Whether MCU `mcu` of `layout` overlaps `rect`. */
export function mcuOverlaps(layout: McuLayout, mcu: number, rect: PixelRect): boolean {
  const left = (mcu % layout.mcusX) * layout.mcuWidth;
  const top = Math.floor(mcu / layout.mcusX) * layout.mcuHeight;
  return left < rect.left + rect.width && left + layout.mcuWidth > rect.left && top < rect.top + rect.height && top + layout.mcuHeight > rect.top;
}

/** The coefficients of MCU `mcu` (a view). */
export function mcuCoefficients(all: { coefficients: Int16Array; layout: McuLayout }, mcu: number): Int16Array {
  const size = all.layout.blocksPerMcu * BLOCK_SIZE;
  return all.coefficients.subarray(mcu * size, (mcu + 1) * size);
}

/**
 * `jpeg` written again with a restart marker every `interval` MCUs (and the DRI segment that says
 * so); `numberOf(k)` numbers the k-th marker (0..7; T.81 counts them modulo 8).
 */
export function withRestartMarkers(jpeg: Uint8Array, interval: number, numberOf = (k: number): number => k % 8): Uint8Array {
  const read = readBaselineJpeg(jpeg);
  if (!read.ok) throw new Error(read.reason);
  const { coefficients, layout } = coefficientsOf(jpeg);
  const writer = new EntropyWriter(jpeg.length);
  const predictors = [0, 0, 0, 0];
  for (let mcu = 0; mcu < layout.mcusX * layout.mcusY; mcu += 1) {
    if (mcu > 0 && mcu % interval === 0) {
      writer.marker(0xd0 + numberOf(mcu / interval - 1));
      predictors.fill(0);
    }
    for (let b = 0; b < layout.blocksPerMcu; b += 1) {
      const base = (mcu * layout.blocksPerMcu + b) * BLOCK_SIZE;
      const component = layout.blockScanComponent[b] ?? 0;
      const dc = coefficients[base] ?? 0;
      if (!writer.block(coefficients, base, dc - (predictors[component] ?? 0), layout.blockDc[b]!.encode, layout.blockAc[b]!.encode)) throw new Error('no code word');
      predictors[component] = dc;
    }
  }
  writer.padToByte();
  const sos = read.jpeg.sosSegment.start;
  const dri = [0xff, 0xdd, 0x00, 0x04, interval >> 8, interval & 0xff];
  return Uint8Array.from([...jpeg.subarray(0, sos), ...dri, ...jpeg.subarray(sos, read.jpeg.scanDataStart), ...writer.result(), 0xff, 0xd9]);
}
