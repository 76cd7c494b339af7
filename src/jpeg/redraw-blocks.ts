/**
 * The burn-in's MCUs of a coefficient transcode taken through pixels in JavaScript, as the
 * whole-frame path (sharp: libvips and libjpeg-turbo) takes them, to the bit: the source's
 * coefficients of each covered MCU are dequantised and inverse-transformed (libjpeg's islow
 * IDCT, block-dct.ts), the chroma upsampled by libjpeg's "fancy" triangle filter (jdsample.c,
 * with the neighbouring MCUs' chroma from the band and the frame's edges repeated as jdmainct.c
 * repeats them) and converted to RGB (jdcolor.c); the caller draws on them; MCUs past the frame's
 * edge are filled as the encoder fills them; they are converted back (jccolor.c, jcsample.c's 2x2
 * average), transformed (islow FDCT) and quantised (jcdctmgr.c) with the device's tables, and
 * luma blocks wholly past the frame's edge are the encoder's dummy blocks (jccoefct.c). So the
 * covered MCUs get exactly the coefficients the whole-frame path gives them
 * (test/jpeg/transcode-drawn.test.ts). This replaces a band decoded and encoded by sharp (two
 * libvips calls a frame, ~2.5 ms, most of it per-call cost; docs/performance.md) by ~150 MCUs of
 * arithmetic inside the transcode's own pass. The transforms and colour conversions run as
 * WebAssembly (wasm-block-dct.ts: a batch a frame each, the same bytes), the JavaScript here and in
 * block-dct.ts being their reference and the fallback where WebAssembly is missing. Pure (scratch
 * buffers are kept between calls: one transcode at a time per thread).
 */
import type { BandGeometry } from './band-geometry.js';
import { type Quantiser, forwardDctQuantised, inverseDct, naturalOrder, quantiserOf } from './block-dct.js';
import { BLOCK_SIZE } from './entropy-decoder.js';
import type { McuLayout } from './mcu-layout.js';
import { forwardDctsQuantisedWasm, fromRgbWasm, inverseDctsWasm, toRgbWasm } from './wasm-block-dct.js';

/** Draws on `rgb` (3 bytes a pixel, `region.width` pixels a row) whose top-left pixel is (`region.left`, `region.top`) of the frame. */
export type DrawRgb = (rgb: Uint8Array, region: { readonly left: number; readonly top: number; readonly width: number }) => void;

/** Blocks of a 4:2:0 MCU: four luma blocks (raster order), then Cb and Cr. */
const MCU_BLOCKS = 6;
const MCU_SIZE = MCU_BLOCKS * BLOCK_SIZE;

/** Scratch planes, kept between calls and grown when a larger burn-in needs more. */
interface Planes {
  /** The covered MCUs: RGB (and the same bytes as a clamped array), luma, and chroma at half resolution. */
  rgb: Uint8Array;
  rgbClamped: Uint8ClampedArray;
  y: Uint8Array;
  cb: Uint8Array;
  cr: Uint8Array;
  /** The band's chroma, decoded (the covered MCUs and their neighbours). */
  bandCb: Uint8Array;
  bandCr: Uint8Array;
  /** The covered MCUs' chroma with one sample of context on every side, the frame's edges repeated. */
  ringCb: Uint8Array;
  ringCr: Uint8Array;
}

let scratch: Planes | null = null;
let redrawn = new Int16Array(0);

/** The result's buffer, kept between calls: the covered MCUs' blocks are all written, the others never read. */
function outFor(size: number): Int16Array {
  if (redrawn.length < size) redrawn = new Int16Array(size + (size >> 2));
  return redrawn.subarray(0, size);
}
const work = new Int32Array(64);
/** The blocks of a WebAssembly batch, four i32 each (wasm-block-dct.ts), kept between calls. */
let descriptors = new Int32Array(0);

function descriptorsFor(count: number): Int32Array {
  if (descriptors.length < count * 4) descriptors = new Int32Array(count * 5);
  return descriptors;
}
const naturalByTable = new Map<Uint8Array, Int32Array>();
const quantisers = new Map<Uint8Array, Quantiser>();

/** Whether `layout` is the one MCU shape {@link redrawCovered} handles (4:2:0, 16x16, six blocks in one scan). */
export function isRedrawableLayout(layout: McuLayout): boolean {
  const c = layout.blockScanComponent;
  return layout.blocksPerMcu === MCU_BLOCKS && layout.mcuWidth === 16 && layout.mcuHeight === 16
    && c[0] === 0 && c[1] === 0 && c[2] === 0 && c[3] === 0 && c[4] === 1 && c[5] === 2;
}

/**
 * The covered MCUs of `geometry`, drawn on: `bandStore` holds the band's source coefficients
 * (zigzag order, quantised by `sourceQuant[component]`, MCUs in the band's raster order); the
 * result has the same layout with the covered MCUs' coefficients quantised by
 * `deviceQuant[component]` (the others undefined). The result is this module's buffer, valid
 * until the next call. The layout must pass {@link isRedrawableLayout}.
 */
export function redrawCovered(bandStore: Int16Array, geometry: BandGeometry, frame: { readonly width: number; readonly height: number }, sourceQuant: readonly Uint8Array[], deviceQuant: readonly Uint8Array[], draw: DrawRgb): Int16Array {
  const { covered, bandMcus } = geometry;
  const width = (covered.lastColumn - covered.firstColumn + 1) * 16;
  const height = (covered.lastRow - covered.firstRow + 1) * 16;
  const left = covered.firstColumn * 16;
  const top = covered.firstRow * 16;
  const bandChromaWidth = bandMcus.columns * 8;
  const planes = planesFor(width, height, bandChromaWidth * bandMcus.rows * 8);
  const down = [0, 1, 2].map((component) => naturalOf(sourceQuant[component]!));
  const up = [0, 1, 2].map((component) => quantiserFor(deviceQuant[component]!));
  const baseOf = (row: number, column: number): number => ((row - bandMcus.row) * bandMcus.columns + column - bandMcus.column) * MCU_SIZE;
  if (!inverseWasm(bandStore, geometry, planes, width, height, down)) {
    for (let row = covered.firstRow; row <= covered.lastRow; row += 1) {
      for (let column = covered.firstColumn; column <= covered.lastColumn; column += 1) {
        const base = baseOf(row, column);
        const at = (row - covered.firstRow) * 16 * width + (column - covered.firstColumn) * 16;
        for (let b = 0; b < 4; b += 1) inverseDct(bandStore, base + b * BLOCK_SIZE, down[0]!, work, planes.y, at + (b >> 1) * 8 * width + (b & 1) * 8, width);
      }
    }
    // The chroma of the whole band: the upsampling of a covered MCU's edge reads its neighbours'.
    for (let r = 0; r < bandMcus.rows; r += 1) {
      for (let c = 0; c < bandMcus.columns; c += 1) {
        const base = (r * bandMcus.columns + c) * MCU_SIZE;
        const at = r * 8 * bandChromaWidth + c * 8;
        inverseDct(bandStore, base + 4 * BLOCK_SIZE, down[1]!, work, planes.bandCb, at, bandChromaWidth);
        inverseDct(bandStore, base + 5 * BLOCK_SIZE, down[2]!, work, planes.bandCr, at, bandChromaWidth);
      }
    }
  }
  ringOf(planes, geometry, frame, width, height);
  toRgb(planes, width, height, (frame.width + 1) >> 1 > 2);
  draw(planes.rgb, { left, top, width });
  // MCUs past the frame's right or bottom edge: the encoder fills them as the whole-frame path's
  // does (jcsample.c, jcprepct.c), so the visible pixels' blocks are quantised as it quantises them.
  const visibleWidth = Math.min(width, frame.width - left);
  const visibleHeight = Math.min(height, frame.height - top);
  padEdges(planes.rgb, width, height, visibleWidth, visibleHeight);
  fromRgb(planes, width, height);
  padChromaRows(planes, width, height, visibleHeight);
  const out = outFor(bandStore.length);
  const lumaBlocksAcross = Math.ceil(frame.width / 8);
  const lumaBlocksDown = Math.ceil(frame.height / 8);
  const half = width >> 1;
  if (forwardWasm(geometry, planes, width, height, up, out, lumaBlocksAcross, lumaBlocksDown)) return out;
  for (let row = covered.firstRow; row <= covered.lastRow; row += 1) {
    for (let column = covered.firstColumn; column <= covered.lastColumn; column += 1) {
      const base = baseOf(row, column);
      const at = (row - covered.firstRow) * 16 * width + (column - covered.firstColumn) * 16;
      // jccoefct.c: a luma block wholly past the frame's right edge is a dummy (zero, the DC of
      // the block to its left); a row of them past the bottom takes the DC of the MCU's last block above.
      const dummyRight = column * 2 + 1 >= lumaBlocksAcross;
      const dummyBottom = row * 2 + 1 >= lumaBlocksDown;
      for (let b = 0; b < 4; b += 1) {
        const to = base + b * BLOCK_SIZE;
        if (b >= 2 && dummyBottom) {
          out.fill(0, to, to + BLOCK_SIZE);
          out[to] = out[base + BLOCK_SIZE]!;
        } else if ((b & 1) === 1 && dummyRight) {
          out.fill(0, to, to + BLOCK_SIZE);
          out[to] = out[to - BLOCK_SIZE]!;
        } else {
          forwardDctQuantised(planes.y, at + (b >> 1) * 8 * width + (b & 1) * 8, width, work, up[0]!, out, to);
        }
      }
      const chromaAt = (row - covered.firstRow) * 8 * half + (column - covered.firstColumn) * 8;
      forwardDctQuantised(planes.cb, chromaAt, half, work, up[1]!, out, base + 4 * BLOCK_SIZE);
      forwardDctQuantised(planes.cr, chromaAt, half, work, up[2]!, out, base + 5 * BLOCK_SIZE);
    }
  }
  return out;
}

/**
 * The covered MCUs' chroma with a sample of context on every side into `ringCb`/`ringCr`
 * (`width / 2 + 2` a row): each sample's place clamped to the frame's chroma samples
 * (ceil(size / 2) each way), as jdmainct.c repeats the first and last rows and jdsample.c the
 * first and last columns; the samples coded past the frame's edge are never read.
 */
function ringOf(planes: Planes, geometry: BandGeometry, frame: { readonly width: number; readonly height: number }, width: number, height: number): void {
  const { covered, bandMcus } = geometry;
  const samplesAcross = (frame.width + 1) >> 1;
  const samplesDown = (frame.height + 1) >> 1;
  const ringWidth = (width >> 1) + 2;
  const ringHeight = (height >> 1) + 2;
  const bandChromaWidth = bandMcus.columns * 8;
  const firstX = covered.firstColumn * 8 - 1;
  const firstY = covered.firstRow * 8 - 1;
  const { ringCb, ringCr, bandCb, bandCr } = planes;
  // Ring columns [inFrom, inTo) lie in the frame: a copy of a band row's run; the others repeat its first or last sample.
  const inFrom = Math.max(0, -firstX);
  const inTo = Math.min(ringWidth, samplesAcross - firstX);
  for (let j = 0; j < ringHeight; j += 1) {
    const y = Math.min(samplesDown - 1, Math.max(0, firstY + j)) - bandMcus.row * 8;
    const from = y * bandChromaWidth + firstX - bandMcus.column * 8;
    const to = j * ringWidth;
    ringCb.set(bandCb.subarray(from + inFrom, from + inTo), to + inFrom);
    ringCr.set(bandCr.subarray(from + inFrom, from + inTo), to + inFrom);
    ringCb.fill(ringCb[to + inFrom]!, to, to + inFrom);
    ringCr.fill(ringCr[to + inFrom]!, to, to + inFrom);
    ringCb.fill(ringCb[to + inTo - 1]!, to + inTo, to + ringWidth);
    ringCr.fill(ringCr[to + inTo - 1]!, to + inTo, to + ringWidth);
  }
}

/**
 * Repeats column `visibleWidth - 1` to the right and row `visibleHeight - 1` downwards in `rgb`
 * (`width` x `height`): libjpeg repeats the last column of full-resolution samples before
 * downsampling (expand_right_edge), and the last row of an odd height into its pair of rows;
 * the chroma rows below that are {@link padChromaRows}'.
 */
function padEdges(rgb: Uint8Array, width: number, height: number, visibleWidth: number, visibleHeight: number): void {
  if (visibleWidth < width) {
    for (let row = 0; row < visibleHeight; row += 1) {
      const edge = (row * width + visibleWidth - 1) * 3;
      for (let column = visibleWidth; column < width; column += 1) rgb.copyWithin((row * width + column) * 3, edge, edge + 3);
    }
  }
  for (let row = visibleHeight; row < height; row += 1) rgb.copyWithin(row * width * 3, (visibleHeight - 1) * width * 3, visibleHeight * width * 3);
}

/**
 * Below the frame's last chroma row, libjpeg repeats that downsampled row (jcprepct.c's
 * expand_bottom_edge after downsampling), not the last pixel row averaged with itself.
 */
function padChromaRows(planes: Planes, width: number, height: number, visibleHeight: number): void {
  const half = width >> 1;
  const last = ((visibleHeight + 1) >> 1) - 1;
  for (let row = last + 1; row < height >> 1; row += 1) {
    planes.cb.copyWithin(row * half, last * half, (last + 1) * half);
    planes.cr.copyWithin(row * half, last * half, (last + 1) * half);
  }
}

/**
 * The covered MCUs' luma and the band's chroma inverse-transformed as WebAssembly, one batch (the
 * loops of {@link redrawCovered}, same blocks, same places); false where WebAssembly is missing.
 */
function inverseWasm(bandStore: Int16Array, geometry: BandGeometry, planes: Planes, width: number, height: number, down: readonly Int32Array[]): boolean {
  const { covered, bandMcus } = geometry;
  const bandChromaWidth = bandMcus.columns * 8;
  const coveredMcus = (covered.lastRow - covered.firstRow + 1) * (covered.lastColumn - covered.firstColumn + 1);
  const list = descriptorsFor(coveredMcus * 4 + bandMcus.rows * bandMcus.columns * 2);
  let count = 0;
  const add = (from: number, table: number, plane: number, at: number): void => {
    const i = count * 4;
    list[i] = from;
    list[i + 1] = table;
    list[i + 2] = plane;
    list[i + 3] = at;
    count += 1;
  };
  for (let row = covered.firstRow; row <= covered.lastRow; row += 1) {
    for (let column = covered.firstColumn; column <= covered.lastColumn; column += 1) {
      const base = ((row - bandMcus.row) * bandMcus.columns + column - bandMcus.column) * MCU_SIZE;
      const at = (row - covered.firstRow) * 16 * width + (column - covered.firstColumn) * 16;
      for (let b = 0; b < 4; b += 1) add(base + b * BLOCK_SIZE, 0, 0, at + (b >> 1) * 8 * width + (b & 1) * 8);
    }
  }
  for (let r = 0; r < bandMcus.rows; r += 1) {
    for (let c = 0; c < bandMcus.columns; c += 1) {
      const base = (r * bandMcus.columns + c) * MCU_SIZE;
      const at = r * 8 * bandChromaWidth + c * 8;
      add(base + 4 * BLOCK_SIZE, 1, 1, at);
      add(base + 5 * BLOCK_SIZE, 2, 2, at);
    }
  }
  const bandChroma = bandChromaWidth * bandMcus.rows * 8;
  return inverseDctsWasm(bandStore, down, list, count,
    [planes.y.subarray(0, width * height), planes.bandCb.subarray(0, bandChroma), planes.bandCr.subarray(0, bandChroma)],
    [width, bandChromaWidth, bandChromaWidth]);
}

/**
 * The covered MCUs forward-transformed and quantised as WebAssembly, one batch, then the
 * encoder's dummy blocks filled as {@link redrawCovered}'s loop fills them (each from a block
 * before it in its MCU); false where WebAssembly is missing.
 */
function forwardWasm(geometry: BandGeometry, planes: Planes, width: number, height: number, up: readonly Quantiser[], out: Int16Array,
  lumaBlocksAcross: number, lumaBlocksDown: number): boolean {
  const { covered, bandMcus } = geometry;
  const half = width >> 1;
  const coveredMcus = (covered.lastRow - covered.firstRow + 1) * (covered.lastColumn - covered.firstColumn + 1);
  const list = descriptorsFor(coveredMcus * MCU_BLOCKS);
  let count = 0;
  const add = (plane: number, at: number, to: number): void => {
    const i = count * 4;
    list[i] = plane;
    list[i + 1] = at;
    list[i + 2] = plane;
    list[i + 3] = to;
    count += 1;
  };
  let dummies = false;
  for (let row = covered.firstRow; row <= covered.lastRow; row += 1) {
    const dummyBottom = row * 2 + 1 >= lumaBlocksDown;
    for (let column = covered.firstColumn; column <= covered.lastColumn; column += 1) {
      const base = ((row - bandMcus.row) * bandMcus.columns + column - bandMcus.column) * MCU_SIZE;
      const at = (row - covered.firstRow) * 16 * width + (column - covered.firstColumn) * 16;
      const dummyRight = column * 2 + 1 >= lumaBlocksAcross;
      for (let b = 0; b < 4; b += 1) {
        if ((b >= 2 && dummyBottom) || ((b & 1) === 1 && dummyRight)) dummies = true;
        else add(0, at + (b >> 1) * 8 * width + (b & 1) * 8, base + b * BLOCK_SIZE);
      }
      const chromaAt = (row - covered.firstRow) * 8 * half + (column - covered.firstColumn) * 8;
      add(1, chromaAt, base + 4 * BLOCK_SIZE);
      add(2, chromaAt, base + 5 * BLOCK_SIZE);
    }
  }
  const chroma = (width * height) >> 2;
  if (!forwardDctsQuantisedWasm([planes.y.subarray(0, width * height), planes.cb.subarray(0, chroma), planes.cr.subarray(0, chroma)],
    [width, half, half], up, list, count, out)) return false;
  if (!dummies) return true;
  for (let row = covered.firstRow; row <= covered.lastRow; row += 1) {
    const dummyBottom = row * 2 + 1 >= lumaBlocksDown;
    for (let column = covered.firstColumn; column <= covered.lastColumn; column += 1) {
      const base = ((row - bandMcus.row) * bandMcus.columns + column - bandMcus.column) * MCU_SIZE;
      const dummyRight = column * 2 + 1 >= lumaBlocksAcross;
      // jccoefct.c's dummies, in the order the loop of redrawCovered makes them.
      for (let b = 1; b < 4; b += 1) {
        const to = base + b * BLOCK_SIZE;
        if (b >= 2 && dummyBottom) {
          out.fill(0, to, to + BLOCK_SIZE);
          out[to] = out[base + BLOCK_SIZE]!;
        } else if ((b & 1) === 1 && dummyRight) {
          out.fill(0, to, to + BLOCK_SIZE);
          out[to] = out[to - BLOCK_SIZE]!;
        }
      }
    }
  }
  return true;
}

function planesFor(width: number, height: number, bandChroma: number): Planes {
  const pixels = width * height;
  const ring = ((width >> 1) + 2) * ((height >> 1) + 2);
  if (scratch === null || scratch.y.length < pixels || scratch.bandCb.length < bandChroma || scratch.ringCb.length < ring) {
    const rgb = new Uint8Array(pixels * 3);
    scratch = {
      rgb, rgbClamped: new Uint8ClampedArray(rgb.buffer), y: new Uint8Array(pixels), cb: new Uint8Array(pixels >> 2), cr: new Uint8Array(pixels >> 2),
      bandCb: new Uint8Array(bandChroma), bandCr: new Uint8Array(bandChroma), ringCb: new Uint8Array(ring), ringCr: new Uint8Array(ring),
    };
  }
  return scratch;
}

function quantiserFor(quant: Uint8Array): Quantiser {
  return memoised(quantisers, quant, quantiserOf);
}

function naturalOf(quant: Uint8Array): Int32Array {
  return memoised(naturalByTable, quant, naturalOrder);
}

/** What `make` gives for `quant`, made once per table (a frame's tables are the same objects frame after frame); at most 32 kept. */
function memoised<T>(made: Map<Uint8Array, T>, quant: Uint8Array, make: (quant: Uint8Array) => T): T {
  let value = made.get(quant);
  if (value === undefined) {
    if (made.size >= 32) made.clear();
    value = make(quant);
    made.set(quant, value);
  }
  return value;
}

/**
 * libjpeg's fixed-point colour tables (jdcolor.c, jccolor.c): 16 fraction bits, with the
 * constants libjpeg-turbo (sharp's libjpeg) writes, to 5 decimals: libjpeg 9's longer ones
 * (0.344136286, 0.168735892, 0.331264108) round to another integer and change a pixel in a few
 * hundred by one level.
 */
const SCALE_BITS = 16;
const HALF = 1 << (SCALE_BITS - 1);
/** libjpeg's FIX(): (x · 2^16 + 0.5) truncated. */
const fix = (x: number): number => Math.floor(x * (1 << SCALE_BITS) + 0.5);
const CR_TO_R = new Int32Array(256);
const CB_TO_B = new Int32Array(256);
const CR_TO_G = new Int32Array(256);
const CB_TO_G = new Int32Array(256);
for (let i = 0; i < 256; i += 1) {
  const x = i - 128;
  CR_TO_R[i] = (fix(1.40200) * x + HALF) >> SCALE_BITS;
  CB_TO_B[i] = (fix(1.77200) * x + HALF) >> SCALE_BITS;
  CR_TO_G[i] = -fix(0.71414) * x;
  CB_TO_G[i] = -fix(0.34414) * x + HALF;
}

/**
 * The covered MCUs' luma and ringed chroma to RGB as libjpeg's decoder makes them: chroma
 * upsampled by jdsample.c's h2v2 triangle filter (`fancy`; libjpeg replicates instead when the
 * frame is at most 2 chroma samples wide), then jdcolor.c's conversion.
 */
function toRgb(planes: Planes, width: number, height: number, fancy: boolean): void {
  if (!toRgbWasm(planes.y, planes.ringCb, planes.ringCr, width, height, fancy, planes.rgb)) toRgbJs(planes, width, height, fancy);
}

/**
 * @internal {@link toRgb} in JavaScript: the fallback where WebAssembly is missing, and the
 * reference the WebAssembly conversion (wasm-block-dct.ts) is tested against.
 */
export function toRgbJs(planes: Pick<Planes, 'rgbClamped' | 'y' | 'ringCb' | 'ringCr'>, width: number, height: number, fancy: boolean): void {
  const { rgbClamped: rgb, y: luma, ringCb, ringCr } = planes;
  const half = width >> 1;
  const ringWidth = half + 2;
  let i = 0;
  for (let row = 0; row < height; row += 1) {
    // The nearer chroma row and the farther one (above for an even pixel row, below for an odd one).
    const nearer = ((row >> 1) + 1) * ringWidth;
    const farther = nearer + ((row & 1) === 0 ? -ringWidth : ringWidth);
    if (!fancy) {
      for (let c = 1; c <= half; c += 1, i += 2) {
        putRgb(rgb, i, luma[i]!, ringCb[nearer + c]!, ringCr[nearer + c]!);
        putRgb(rgb, i + 1, luma[i + 1]!, ringCb[nearer + c]!, ringCr[nearer + c]!);
      }
      continue;
    }
    // jdsample.c's column sums (3 · nearer + farther) of the samples left of, at and right of c, rolled along the row.
    let cbLeft = ringCb[nearer]! * 3 + ringCb[farther]!;
    let crLeft = ringCr[nearer]! * 3 + ringCr[farther]!;
    let cbAt = ringCb[nearer + 1]! * 3 + ringCb[farther + 1]!;
    let crAt = ringCr[nearer + 1]! * 3 + ringCr[farther + 1]!;
    // Two pixels a chroma sample: the even one leans on the sample to the left, the odd one on the one to the right.
    for (let c = 1; c <= half; c += 1, i += 2) {
      const cbRight = ringCb[nearer + c + 1]! * 3 + ringCb[farther + c + 1]!;
      const crRight = ringCr[nearer + c + 1]! * 3 + ringCr[farther + c + 1]!;
      putRgb(rgb, i, luma[i]!, (cbAt * 3 + cbLeft + 8) >> 4, (crAt * 3 + crLeft + 8) >> 4);
      putRgb(rgb, i + 1, luma[i + 1]!, (cbAt * 3 + cbRight + 7) >> 4, (crAt * 3 + crRight + 7) >> 4);
      cbLeft = cbAt;
      crLeft = crAt;
      cbAt = cbRight;
      crAt = crRight;
    }
  }
}

/** Pixel `i` of `rgb` from its luma and chroma (jdcolor.c's conversion; the clamped array's stores clamp to 0..255 as libjpeg's range limit does). */
function putRgb(rgb: Uint8ClampedArray, i: number, l: number, blue: number, red: number): void {
  rgb[i * 3] = l + CR_TO_R[red]!;
  rgb[i * 3 + 1] = l + ((CB_TO_G[blue]! + CR_TO_G[red]!) >> SCALE_BITS);
  rgb[i * 3 + 2] = l + CB_TO_B[blue]!;
}

const R_Y = fix(0.29900);
const G_Y = fix(0.58700);
const B_Y = fix(0.11400);
const R_CB = -fix(0.16874);
const G_CB = -fix(0.33126);
const B_CB = fix(0.50000);
const G_CR = -fix(0.41869);
const B_CR = -fix(0.08131);
/** jccolor.c's chroma offset: 128 and just under a half, so halves round down. */
const CBCR_OFFSET = (128 << SCALE_BITS) + HALF - 1;

/**
 * RGB to YCbCr as libjpeg's encoder does (jccolor.c, jcsample.c): luma per pixel, chroma
 * averaged over 2x2 with its alternating bias. A 2x2 square at a time, written out: this was
 * the redraw's costliest loop as four nested ones.
 */
function fromRgb(planes: { rgb: Uint8Array; y: Uint8Array; cb: Uint8Array; cr: Uint8Array }, width: number, height: number): void {
  if (!fromRgbWasm(planes.rgb, width, height, planes.y, planes.cb, planes.cr)) fromRgbJs(planes, width, height);
}

/**
 * @internal {@link fromRgb} in JavaScript: the fallback where WebAssembly is missing, and the
 * reference the WebAssembly conversion (wasm-block-dct.ts) is tested against.
 */
export function fromRgbJs(planes: { rgb: Uint8Array; y: Uint8Array; cb: Uint8Array; cr: Uint8Array }, width: number, height: number): void {
  const { rgb, y: luma, cb, cr } = planes;
  let c = 0;
  for (let row = 0; row < height; row += 2) {
    const top = row * width;
    for (let i = top; i < top + width; i += 2, c += 1) {
      // The square's pixels: i and i + 1 on this row, j and j + 1 below.
      const j = i + width;
      let r = rgb[i * 3]!;
      let g = rgb[i * 3 + 1]!;
      let b = rgb[i * 3 + 2]!;
      luma[i] = (R_Y * r + G_Y * g + B_Y * b + HALF) >> SCALE_BITS;
      let sumCb = (R_CB * r + G_CB * g + B_CB * b + CBCR_OFFSET) >> SCALE_BITS;
      let sumCr = (B_CB * r + G_CR * g + B_CR * b + CBCR_OFFSET) >> SCALE_BITS;
      r = rgb[i * 3 + 3]!;
      g = rgb[i * 3 + 4]!;
      b = rgb[i * 3 + 5]!;
      luma[i + 1] = (R_Y * r + G_Y * g + B_Y * b + HALF) >> SCALE_BITS;
      sumCb += (R_CB * r + G_CB * g + B_CB * b + CBCR_OFFSET) >> SCALE_BITS;
      sumCr += (B_CB * r + G_CR * g + B_CR * b + CBCR_OFFSET) >> SCALE_BITS;
      r = rgb[j * 3]!;
      g = rgb[j * 3 + 1]!;
      b = rgb[j * 3 + 2]!;
      luma[j] = (R_Y * r + G_Y * g + B_Y * b + HALF) >> SCALE_BITS;
      sumCb += (R_CB * r + G_CB * g + B_CB * b + CBCR_OFFSET) >> SCALE_BITS;
      sumCr += (B_CB * r + G_CR * g + B_CR * b + CBCR_OFFSET) >> SCALE_BITS;
      r = rgb[j * 3 + 3]!;
      g = rgb[j * 3 + 4]!;
      b = rgb[j * 3 + 5]!;
      luma[j + 1] = (R_Y * r + G_Y * g + B_Y * b + HALF) >> SCALE_BITS;
      sumCb += (R_CB * r + G_CB * g + B_CB * b + CBCR_OFFSET) >> SCALE_BITS;
      sumCr += (B_CB * r + G_CR * g + B_CR * b + CBCR_OFFSET) >> SCALE_BITS;
      // jcsample.c's bias alternates 1, 2 along the row.
      const bias = (c & 1) + 1;
      cb[c] = (sumCb + bias) >> 2;
      cr[c] = (sumCr + bias) >> 2;
    }
  }
}
