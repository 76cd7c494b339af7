/**
 * The burn-in's MCUs of a coefficient transcode taken through pixels in JavaScript: the source's
 * coefficients of each covered MCU are dequantised, inverse-transformed and converted to RGB, the
 * caller draws on them, and they are converted back, downsampled, transformed and quantised with
 * the device's tables. This replaces a band decoded and encoded by sharp (two libvips calls a
 * frame, ~2.5 ms, most of it per-call cost; docs/performance.md) by ~150 MCUs of arithmetic
 * inside the transcode's own pass. The colour conversion and the 2x2 chroma average are
 * libjpeg's (jccolor.c, jcsample.c); the chroma is upsampled by replication (each sample to its
 * 2x2 pixels) rather than libjpeg's "fancy" triangle filter, so an MCU needs no neighbours, and
 * pixels the burn-in leaves alone get their own chroma back. The pixels differ from the
 * whole-frame path's by rounding and that filter only; docs/performance.md gives the PSNR. Pure
 * (scratch buffers are kept between calls: one transcode at a time per thread).
 */
import type { BandGeometry } from './band-geometry.js';
import { ZIGZAG_TO_NATURAL, dequantiseScales, forwardDct, inverseDct, quantiseScales } from './block-dct.js';
import { BLOCK_SIZE } from './entropy-decoder.js';
import type { McuLayout } from './mcu-layout.js';

/** Draws on `rgb` (3 bytes a pixel, `region.width` pixels a row) whose top-left pixel is (`region.left`, `region.top`) of the frame. */
export type DrawRgb = (rgb: Uint8Array, region: { readonly left: number; readonly top: number; readonly width: number }) => void;

/** Blocks of a 4:2:0 MCU: four luma blocks (raster order), then Cb and Cr. */
const MCU_BLOCKS = 6;
const MCU_SIZE = MCU_BLOCKS * BLOCK_SIZE;

let scratch: { rgb: Uint8Array; y: Uint8Array; cb: Uint8Array; cr: Uint8Array } | null = null;
const work = new Float64Array(64);
const scalesByTable = new Map<Uint8Array, { down: Float64Array; up: Float64Array }>();

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
 * `deviceQuant[component]` (the others left zero). The layout must pass {@link isRedrawableLayout}.
 */
export function redrawCovered(bandStore: Int16Array, geometry: BandGeometry, frame: { readonly width: number; readonly height: number }, sourceQuant: readonly Uint8Array[], deviceQuant: readonly Uint8Array[], draw: DrawRgb): Int16Array {
  const { covered, bandMcus } = geometry;
  const columns = covered.lastColumn - covered.firstColumn + 1;
  const rows = covered.lastRow - covered.firstRow + 1;
  const width = columns * 16;
  const height = rows * 16;
  const planes = planesFor(width, height);
  const down = [0, 1, 2].map((component) => scalesOf(sourceQuant[component]!).down);
  const up = [0, 1, 2].map((component) => scalesOf(deviceQuant[component]!).up);
  const out = new Int16Array(bandStore.length);
  const baseOf = (row: number, column: number): number => ((row - bandMcus.row) * bandMcus.columns + column - bandMcus.column) * MCU_SIZE;
  for (let row = covered.firstRow; row <= covered.lastRow; row += 1) {
    for (let column = covered.firstColumn; column <= covered.lastColumn; column += 1) {
      const base = baseOf(row, column);
      const x = (column - covered.firstColumn) * 16;
      const y = (row - covered.firstRow) * 16;
      for (let b = 0; b < 4; b += 1) decodeBlock(bandStore, base + b * BLOCK_SIZE, down[0]!, planes.y, width, x + (b & 1) * 8, y + (b >> 1) * 8);
      decodeBlock(bandStore, base + 4 * BLOCK_SIZE, down[1]!, planes.cb, width >> 1, x >> 1, y >> 1);
      decodeBlock(bandStore, base + 5 * BLOCK_SIZE, down[2]!, planes.cr, width >> 1, x >> 1, y >> 1);
    }
  }
  toRgb(planes, width, height);
  const left = covered.firstColumn * 16;
  const top = covered.firstRow * 16;
  draw(planes.rgb, { left, top, width });
  // MCUs past the frame's right or bottom edge: the encoder fills them with the edge's pixels
  // (libjpeg's expand_right_edge, and the last row repeated), so the visible pixels' blocks are
  // quantised as the whole-frame path quantises them.
  padEdges(planes.rgb, width, height, Math.min(width, frame.width - left), Math.min(height, frame.height - top));
  fromRgb(planes, width, height);
  for (let row = covered.firstRow; row <= covered.lastRow; row += 1) {
    for (let column = covered.firstColumn; column <= covered.lastColumn; column += 1) {
      const base = baseOf(row, column);
      const x = (column - covered.firstColumn) * 16;
      const y = (row - covered.firstRow) * 16;
      for (let b = 0; b < 4; b += 1) encodeBlock(planes.y, width, x + (b & 1) * 8, y + (b >> 1) * 8, up[0]!, out, base + b * BLOCK_SIZE);
      encodeBlock(planes.cb, width >> 1, x >> 1, y >> 1, up[1]!, out, base + 4 * BLOCK_SIZE);
      encodeBlock(planes.cr, width >> 1, x >> 1, y >> 1, up[2]!, out, base + 5 * BLOCK_SIZE);
    }
  }
  return out;
}

/** Repeats column `visibleWidth - 1` to the right and row `visibleHeight - 1` downwards in `rgb` (`width` x `height`). */
function padEdges(rgb: Uint8Array, width: number, height: number, visibleWidth: number, visibleHeight: number): void {
  if (visibleWidth < width) {
    for (let row = 0; row < visibleHeight; row += 1) {
      const edge = (row * width + visibleWidth - 1) * 3;
      for (let column = visibleWidth; column < width; column += 1) rgb.copyWithin((row * width + column) * 3, edge, edge + 3);
    }
  }
  for (let row = visibleHeight; row < height; row += 1) rgb.copyWithin(row * width * 3, (visibleHeight - 1) * width * 3, visibleHeight * width * 3);
}

function planesFor(width: number, height: number): { rgb: Uint8Array; y: Uint8Array; cb: Uint8Array; cr: Uint8Array } {
  const pixels = width * height;
  if (scratch === null || scratch.y.length !== pixels) {
    scratch = { rgb: new Uint8Array(pixels * 3), y: new Uint8Array(pixels), cb: new Uint8Array(pixels >> 2), cr: new Uint8Array(pixels >> 2) };
  }
  return scratch;
}

function scalesOf(quant: Uint8Array): { down: Float64Array; up: Float64Array } {
  let scales = scalesByTable.get(quant);
  if (scales === undefined) {
    if (scalesByTable.size >= 32) scalesByTable.clear();
    scales = { down: dequantiseScales(quant), up: quantiseScales(quant) };
    scalesByTable.set(quant, scales);
  }
  return scales;
}

/** Block at `from` (zigzag, quantised) to samples 0..255 in `plane` (`stride` wide) at (x, y). */
function decodeBlock(store: Int16Array, from: number, scales: Float64Array, plane: Uint8Array, stride: number, x: number, y: number): void {
  // Dense, without a test for zero: whether a coefficient is zero is a coin toss for the branch predictor.
  for (let k = 0; k < 64; k += 1) {
    const n = ZIGZAG_TO_NATURAL[k]!;
    work[n] = store[from + k]! * scales[n]!;
  }
  inverseDct(work);
  for (let r = 0; r < 8; r += 1) {
    const at = (y + r) * stride + x;
    for (let c = 0; c < 8; c += 1) {
      // 8 times the sample: divide, level shift and round (truncation is rounding once 0.5 is
      // added to a positive value; a negative one clamps to 0 either way); a Uint8Array store wraps.
      const sample = (work[r * 8 + c]! * 0.125 + 128.5) | 0;
      plane[at + c] = sample < 0 ? 0 : sample > 255 ? 255 : sample;
    }
  }
}

/** Samples of `plane` at (x, y) to the block at `to` (zigzag), quantised by `scales` (rounded to nearest, halves up, as jcdctmgr.c's float path). */
function encodeBlock(plane: Uint8Array, stride: number, x: number, y: number, scales: Float64Array, out: Int16Array, to: number): void {
  for (let r = 0; r < 8; r += 1) {
    const at = (y + r) * stride + x;
    for (let c = 0; c < 8; c += 1) work[r * 8 + c] = plane[at + c]! - 128;
  }
  forwardDct(work);
  for (let k = 0; k < 64; k += 1) {
    const n = ZIGZAG_TO_NATURAL[k]!;
    // Branch-free (a coefficient's sign is a coin toss): shifted positive, truncated, shifted back.
    out[to + k] = ((work[n]! * scales[n]! + 16384.5) | 0) - 16384;
  }
}

/** libjpeg's fixed-point colour tables (jdcolor.c, jccolor.c): 16 fraction bits. */
const SCALE_BITS = 16;
const HALF = 1 << (SCALE_BITS - 1);
const fix = (x: number): number => Math.round(x * (1 << SCALE_BITS));
const CR_TO_R = new Int32Array(256);
const CB_TO_B = new Int32Array(256);
const CR_TO_G = new Int32Array(256);
const CB_TO_G = new Int32Array(256);
for (let i = 0; i < 256; i += 1) {
  const x = i - 128;
  CR_TO_R[i] = (fix(1.402) * x + HALF) >> SCALE_BITS;
  CB_TO_B[i] = (fix(1.772) * x + HALF) >> SCALE_BITS;
  CR_TO_G[i] = -fix(0.714136286) * x;
  CB_TO_G[i] = -fix(0.344136286) * x + HALF;
}

/** YCbCr (chroma at half resolution, replicated) to RGB, as libjpeg's decoder converts (jdcolor.c). */
function toRgb(planes: { rgb: Uint8Array; y: Uint8Array; cb: Uint8Array; cr: Uint8Array }, width: number, height: number): void {
  const { rgb, y: luma, cb, cr } = planes;
  const half = width >> 1;
  let i = 0;
  for (let row = 0; row < height; row += 1) {
    const chromaRow = (row >> 1) * half;
    for (let column = 0; column < width; column += 1) {
      const c = chromaRow + (column >> 1);
      const l = luma[i]!;
      const blue = cb[c]!;
      const red = cr[c]!;
      const r = l + CR_TO_R[red]!;
      const g = l + ((CB_TO_G[blue]! + CR_TO_G[red]!) >> SCALE_BITS);
      const b = l + CB_TO_B[blue]!;
      // A Uint8Array store wraps: clamp by hand.
      rgb[i * 3] = r < 0 ? 0 : r > 255 ? 255 : r;
      rgb[i * 3 + 1] = g < 0 ? 0 : g > 255 ? 255 : g;
      rgb[i * 3 + 2] = b < 0 ? 0 : b > 255 ? 255 : b;
      i += 1;
    }
  }
}

const R_Y = fix(0.299);
const G_Y = fix(0.587);
const B_Y = fix(0.114);
const R_CB = -fix(0.168735892);
const G_CB = -fix(0.331264108);
const B_CB = fix(0.5);
const G_CR = -fix(0.418687589);
const B_CR = -fix(0.081312411);
/** jccolor.c's chroma offset: 128 and just under a half, so halves round down. */
const CBCR_OFFSET = (128 << SCALE_BITS) + HALF - 1;

/** RGB to YCbCr as libjpeg's encoder does (jccolor.c, jcsample.c): luma per pixel, chroma averaged over 2x2 with its alternating bias. */
function fromRgb(planes: { rgb: Uint8Array; y: Uint8Array; cb: Uint8Array; cr: Uint8Array }, width: number, height: number): void {
  const { rgb, y: luma, cb, cr } = planes;
  const half = width >> 1;
  for (let row = 0; row < height; row += 2) {
    for (let column = 0; column < width; column += 2) {
      let sumCb = 0;
      let sumCr = 0;
      for (let dy = 0; dy < 2; dy += 1) {
        let i = (row + dy) * width + column;
        for (let dx = 0; dx < 2; dx += 1) {
          const r = rgb[i * 3]!;
          const g = rgb[i * 3 + 1]!;
          const b = rgb[i * 3 + 2]!;
          luma[i] = (R_Y * r + G_Y * g + B_Y * b + HALF) >> SCALE_BITS;
          sumCb += (R_CB * r + G_CB * g + B_CB * b + CBCR_OFFSET) >> SCALE_BITS;
          sumCr += (B_CB * r + G_CR * g + B_CR * b + CBCR_OFFSET) >> SCALE_BITS;
          i += 1;
        }
      }
      const c = (row >> 1) * half + (column >> 1);
      const bias = ((column >> 1) & 1) + 1;
      cb[c] = (sumCb + bias) >> 2;
      cr[c] = (sumCr + bias) >> 2;
    }
  }
}
