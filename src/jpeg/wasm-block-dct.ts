/**
 * The host of the burn-in redraw's transforms as WebAssembly (wasm/block-dct.ts, compiled into
 * block-dct-wasm.ts): {@link inverseDctsWasm} is block-dct.ts's `inverseDct` and
 * {@link forwardDctsQuantisedWasm} its `forwardDctQuantised`, over a batch of blocks a call, to the
 * same bytes (test/jpeg/wasm-block-dct.test.ts). A call a block would spend more crossing into
 * the module than the arithmetic saves, so the caller lists its blocks and this copies their
 * inputs in once, runs them all, and copies the results out. Pure: the module is compiled from
 * bytes held in a string, with no Node import, once per thread on first use.
 *
 * Memory: the module's static data below 4096, its tables, 64 i32 of scratch, the tables of a call
 * (dequantising tables or quantisers), then the call's region: inputs, outputs and descriptors,
 * laid out afresh each call; the memory grows when a call needs more.
 */
import type { Quantiser } from './block-dct.js';
import { BLOCK_DCT_WASM } from './block-dct-wasm.js';
import { WASM_PAGE_BYTES as PAGE, type WasmMemory, instantiateWasm } from './wasm-module.js';


interface Engine {
  readonly memory: WasmMemory;
  readonly inverseBatch: (descriptors: number, count: number, work: number) => void;
  readonly forwardBatch: (descriptors: number, count: number, work: number) => void;
  readonly fromRgb: (rgb: number, width: number, height: number, luma: number, cb: number, cr: number) => void;
  readonly toRgb: (rgb: number, luma: number, ringCb: number, ringCr: number, width: number, height: number, fancy: number) => void;
  bytes: Uint8Array;
  ints: Int32Array;
  shorts: Int16Array;
  floats: Float64Array;
}

/** The module's static data lies below this, its tables (RANGE, ZIGZAG, NATURAL in wasm/block-dct.ts) from it. */
const STATIC_END = 4096;
/** Past the module's tables. */
const WORK = 6144;
const TABLES = WORK + 256;
/** A table slot: a dequantising table (i32[64]) or a quantiser (i32[64] halves, f64[64] reciprocals). */
const TABLE_SLOT = 768;
const MAX_TABLES = 8;
const REGION = TABLES + TABLE_SLOT * MAX_TABLES;
const DESCRIPTOR = 16;

let engine: Engine | null | undefined;

/** @internal Blocks this thread transformed as WebAssembly, for tests (the redraw's path is this one where it runs). */
export const wasmBlockDctStats = { inverse: 0, forward: 0, fromRgb: 0, toRgb: 0 };

function theEngine(): Engine | null {
  if (engine !== undefined) return engine;
  engine = null;
  const instance = instantiateWasm('block-dct.wasm', BLOCK_DCT_WASM, STATIC_END);
  if (instance === null) return null;
  const { memory } = instance;
  (instance.exports['init'] as () => void)();
  engine = {
    memory,
    inverseBatch: instance.exports['inverseBatch'] as Engine['inverseBatch'],
    forwardBatch: instance.exports['forwardBatch'] as Engine['forwardBatch'],
    fromRgb: instance.exports['fromRgb'] as Engine['fromRgb'],
    toRgb: instance.exports['toRgb'] as Engine['toRgb'],
    bytes: new Uint8Array(0), ints: new Int32Array(0), shorts: new Int16Array(0), floats: new Float64Array(0),
  };
  reserve(engine, REGION + PAGE);
  return engine;
}

/** Grows the memory to at least `bytes` and makes the views again if it moved. */
function reserve(e: Engine, bytes: number): void {
  const have = e.memory.buffer.byteLength;
  if (have < bytes) e.memory.grow(Math.ceil((bytes - have) / PAGE));
  if (e.bytes.buffer === e.memory.buffer) return;
  const buffer = e.memory.buffer;
  e.bytes = new Uint8Array(buffer);
  e.ints = new Int32Array(buffer);
  e.shorts = new Int16Array(buffer);
  e.floats = new Float64Array(buffer);
}

let enabled = true;

/** @internal For tests: off, every function here returns false and callers take their JavaScript fallback. */
export function setBlockDctWasm(on: boolean): void {
  enabled = on;
}

/** Whether this thread runs the transforms as WebAssembly (false where WebAssembly is missing). */
export function blockDctWasmAvailable(): boolean {
  return theEngine() !== null;
}

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * `count` of block-dct.ts's `inverseDct`: block i is described by `blocks[4i..4i+3]`: where its
 * coefficients start in `coefficients` (zigzag, quantised), its index in `quants` (from
 * `naturalOrder`), its plane's index in `planes` and where its sample (0, 0) goes there; a plane's
 * rows are `strides[p]` apart. Returns false, having written nothing, where WebAssembly is not
 * available. A plane's bytes no block writes are undefined afterwards (the batch's copy of it goes
 * back whole), so the blocks must cover what the caller reads.
 */
export function inverseDctsWasm(coefficients: Int16Array, quants: readonly Int32Array[], blocks: Int32Array, count: number,
  planes: readonly Uint8Array[], strides: readonly number[]): boolean {
  const e = enabled ? theEngine() : null;
  if (e === null) return false;
  if (quants.length > MAX_TABLES) throw new Error(`inverseDctsWasm: ${quants.length} tables, at most ${MAX_TABLES}`);
  const coefficientsAt = REGION;
  let top = align8(coefficientsAt + coefficients.length * 2);
  const planeAt: number[] = [];
  for (const plane of planes) {
    planeAt.push(top);
    // Eight bytes of room past the end: a block's row is stored as one 8-byte word.
    top = align8(top + plane.length + 8);
  }
  const descriptors = top;
  reserve(e, descriptors + count * DESCRIPTOR);
  e.shorts.set(coefficients, coefficientsAt >> 1);
  for (let q = 0; q < quants.length; q += 1) e.ints.set(quants[q]!, (TABLES + q * TABLE_SLOT) >> 2);
  const ints = e.ints;
  for (let i = 0, d = descriptors >> 2; i < count; i += 1, d += 4) {
    const p = blocks[4 * i + 2]!;
    ints[d] = coefficientsAt + blocks[4 * i]! * 2;
    ints[d + 1] = TABLES + blocks[4 * i + 1]! * TABLE_SLOT;
    ints[d + 2] = planeAt[p]! + blocks[4 * i + 3]!;
    ints[d + 3] = strides[p]!;
  }
  e.inverseBatch(descriptors, count, WORK);
  wasmBlockDctStats.inverse += count;
  for (let p = 0; p < planes.length; p += 1) planes[p]!.set(e.bytes.subarray(planeAt[p]!, planeAt[p]! + planes[p]!.length));
  return true;
}

/**
 * `count` of block-dct.ts's `forwardDctQuantised`: block i is described by `blocks[4i..4i+3]`:
 * its plane's index in `planes`, where its sample (0, 0) lies there, its index in `quantisers`
 * and where its 64 coefficients go in `out` (zigzag); a plane's rows are `strides[p]` apart. Only
 * the blocks' coefficients of `out` are written. Returns false, having written nothing, where
 * WebAssembly is not available.
 */
export function forwardDctsQuantisedWasm(planes: readonly Uint8Array[], strides: readonly number[], quantisers: readonly Quantiser[],
  blocks: Int32Array, count: number, out: Int16Array): boolean {
  const e = enabled ? theEngine() : null;
  if (e === null) return false;
  if (quantisers.length > MAX_TABLES) throw new Error(`forwardDctsQuantisedWasm: ${quantisers.length} quantisers, at most ${MAX_TABLES}`);
  let top = REGION;
  const planeAt: number[] = [];
  for (const plane of planes) {
    planeAt.push(top);
    top = align8(top + plane.length);
  }
  // The coefficients come out where they go in `out`, in a copy of it, and go back a run of
  // consecutive blocks at a time (a covered row of MCUs is one run): a copy a block costs more.
  const outAt = top;
  const descriptors = align8(outAt + out.length * 2);
  reserve(e, descriptors + count * DESCRIPTOR);
  for (let p = 0; p < planes.length; p += 1) e.bytes.set(planes[p]!, planeAt[p]!);
  for (let q = 0; q < quantisers.length; q += 1) {
    const slot = TABLES + q * TABLE_SLOT;
    e.ints.set(quantisers[q]!.halves, slot >> 2);
    e.floats.set(quantisers[q]!.reciprocals, (slot + 256) >> 3);
  }
  const ints = e.ints;
  for (let i = 0, d = descriptors >> 2; i < count; i += 1, d += 4) {
    const p = blocks[4 * i]!;
    ints[d] = planeAt[p]! + blocks[4 * i + 1]!;
    ints[d + 1] = strides[p]!;
    ints[d + 2] = TABLES + blocks[4 * i + 2]! * TABLE_SLOT;
    ints[d + 3] = outAt + blocks[4 * i + 3]! * 2;
  }
  e.forwardBatch(descriptors, count, WORK);
  wasmBlockDctStats.forward += count;
  const shorts = e.shorts;
  const base = outAt >> 1;
  for (let i = 0; i < count;) {
    const from = blocks[4 * i + 3]!;
    let to = from + 64;
    i += 1;
    while (i < count && blocks[4 * i + 3] === to) {
      to += 64;
      i += 1;
    }
    out.set(shorts.subarray(base + from, base + to), from);
  }
  return true;
}

/**
 * redraw-blocks.ts's `fromRgb`: `rgb` (3 bytes a pixel, `width` pixels a row, `height` rows, both
 * even) to `luma` (`width` a row) and `cb`, `cr` (2x2 averages, `width / 2` a row), the same bytes.
 * Returns false, having written nothing, where WebAssembly is not available.
 */
export function fromRgbWasm(rgb: Uint8Array, width: number, height: number, luma: Uint8Array, cb: Uint8Array, cr: Uint8Array): boolean {
  const e = enabled ? theEngine() : null;
  if (e === null) return false;
  const pixels = width * height;
  const rgbAt = REGION;
  const lumaAt = align8(rgbAt + pixels * 3);
  const cbAt = align8(lumaAt + pixels);
  const crAt = align8(cbAt + (pixels >> 2));
  reserve(e, crAt + (pixels >> 2));
  e.bytes.set(rgb.subarray(0, pixels * 3), rgbAt);
  e.fromRgb(rgbAt, width, height, lumaAt, cbAt, crAt);
  wasmBlockDctStats.fromRgb += 1;
  const bytes = e.bytes;
  luma.set(bytes.subarray(lumaAt, lumaAt + pixels));
  cb.set(bytes.subarray(cbAt, cbAt + (pixels >> 2)));
  cr.set(bytes.subarray(crAt, crAt + (pixels >> 2)));
  return true;
}

/**
 * redraw-blocks.ts's `toRgb`: `luma` (`width` pixels a row, `height` rows, both even) and the
 * chroma rings `ringCb`, `ringCr` (`width / 2 + 2` samples a row, `height / 2 + 2` rows) to `rgb`
 * (3 bytes a pixel), the same bytes. Returns false, having written nothing, where WebAssembly is
 * not available.
 */
export function toRgbWasm(luma: Uint8Array, ringCb: Uint8Array, ringCr: Uint8Array, width: number, height: number, fancy: boolean, rgb: Uint8Array): boolean {
  const e = enabled ? theEngine() : null;
  if (e === null) return false;
  const pixels = width * height;
  const ring = ((width >> 1) + 2) * ((height >> 1) + 2);
  const lumaAt = REGION;
  const cbAt = align8(lumaAt + pixels);
  const crAt = align8(cbAt + ring);
  const rgbAt = align8(crAt + ring);
  reserve(e, rgbAt + pixels * 3);
  const bytes = e.bytes;
  bytes.set(luma.subarray(0, pixels), lumaAt);
  bytes.set(ringCb.subarray(0, ring), cbAt);
  bytes.set(ringCr.subarray(0, ring), crAt);
  e.toRgb(rgbAt, lumaAt, cbAt, crAt, width, height, fancy ? 1 : 0);
  wasmBlockDctStats.toRgb += 1;
  rgb.set(bytes.subarray(rgbAt, rgbAt + pixels * 3));
  return true;
}
