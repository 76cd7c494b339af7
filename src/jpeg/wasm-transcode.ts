/**
 * The host of the coefficient transcode's loop as WebAssembly (wasm/entropy-transcode.ts, compiled
 * into entropy-transcode-wasm.ts): {@link transcodeMcusWasm} is requantise.ts's `transcodeMcus`
 * and {@link codeStoredMcusWasm} its `codeStoredMcus`, same arguments, same bytes, same errors,
 * ~1.5 and ~1.9 times faster (docs/performance.md, "The transcode's loop in WebAssembly"). Pure: the module is compiled from bytes held in a string,
 * with no Node import, once per thread on first use, and instantiated once.
 *
 * Memory: a parameter block (the state going in and out), the decoding, requantising and coding
 * tables (copied in once per distinct table; the region starts again empty when full), the output
 * room, and the source scan (copied in once per scan: a frame's calls all read the same one; the
 * scan and the output lie byte-reversed, wasm/entropy-transcode.ts says why). The loop writes its
 * bytes into the output room; they are copied into the caller's EntropyWriter after each call,
 * and the reader's state and the predictors back into the caller's objects, so JavaScript code
 * (restart markers, the band's decoding, the JavaScript loop itself) goes on from there.
 */
import type { EntropyData } from './entropy-data.js';
import { type Reader, decodeMcus, note, walkMcus } from './entropy-decoder.js';
import type { EntropyWriter } from './entropy-encoder.js';
import { ENTROPY_TRANSCODE_WASM } from './entropy-transcode-wasm.js';
import { WASM_PAGE_BYTES as PAGE, type WasmMemory, instantiateWasm } from './wasm-module.js';
import { FAST_BITS, type HuffmanTable } from './huffman-tables.js';
import type { McuLayout } from './mcu-layout.js';
import { type TranscodeTables, codeStoredMcus, requantised, transcodeMcus } from './requantise.js';


interface Engine {
  readonly memory: WasmMemory;
  readonly transcode: (count: number) => number;
  readonly codeStored: (count: number, requantise: number) => number;
  readonly decode: (count: number, keep: number) => number;
  /** Views of the memory, made again when it grows. */
  bytes: Uint8Array;
  ints: Int32Array;
  floats: Float64Array;
  /** The store room's coefficients and the decoded MCUs' first bits. */
  stored: Int16Array;
  mcuBits: Int32Array;
  /** The bump allocator of the tables region, and where each table lies in it. */
  tableTop: number;
  huffman: WeakMap<HuffmanTable, number>;
  codes: WeakMap<Uint16Array, number>;
  bundles: { readonly table: HuffmanTable; readonly codes: Uint16Array; readonly ratio: Float64Array; readonly at: number }[];
  blocks: WeakMap<TranscodeTables, Int32Array>;
  layouts: WeakMap<McuLayout, Int32Array>;
  /** The scan last copied in, and where its byte 0 lies (byte i at `dataStart - i`). */
  data: EntropyData | null;
  dataStart: number;
}

// The layout (wasm/entropy-transcode.ts reads the parameter block at PARAMS; keep the two in step).
const PARAMS = 2048;
const P_POS = 0;
const P_ACC = 1;
const P_BITS = 2;
const P_SOURCE_PREDICTORS = 3;
const P_DEVICE_PREDICTORS = 7;
const P_OUT_ACC = 11;
const P_PENDING = 12;
const P_BLOCKS = 13;
const P_DATA = 14;
const P_DATA_LENGTH = 15;
const P_OUT = 16;
const P_OUT_CAPACITY = 17;
const P_OUT_LENGTH = 18;
const P_ERROR_VALUE = 19;
const P_DONE = 20;
const P_ERROR_BIT = 21;
const P_STORE = 22;
const P_MCU_BITS = 23;
const P_NOTED = 24;
const P_NOTED_CAPACITY = 25;
const P_NOTED_COUNT = 26;
const P_BLOCK_TABLES = 32;
const BLOCK_SLOTS = 4;
const P_DECODE_TABLES = 80;
const DECODE_SLOTS = 4;
const MAX_BLOCKS = 10;
const TABLES = 4096;
const TABLES_SIZE = 1 << 20;
const OUT = TABLES + TABLES_SIZE;
const OUT_SIZE = 1 << 20;
/** Output byte i lies at OUT_START - i (wasm/entropy-transcode.ts says why). */
const OUT_START = OUT + OUT_SIZE - 1;
/** The stored coefficients `codeStoredMcusWasm` codes: as many MCUs a call as fit. */
const STORE = OUT + OUT_SIZE;
const STORE_SIZE = 1 << 20;
/** Each decoded MCU's first bit (i32), and the long code words noted (i32 pairs), per call. */
const MCU_BITS = STORE + STORE_SIZE;
const MCU_BITS_SIZE = 1 << 16;
const NOTED = MCU_BITS + MCU_BITS_SIZE;
const NOTED_SIZE = 1 << 16;
const DATA = NOTED + NOTED_SIZE;
/** Bytes of the scan buffer past the data that the loop may read (one MCU's overrun), copied as they are. */
const DATA_MARGIN = 8192;
/** A decoding table's layout. */
const T_FAST = 0;
const T_AC_VALUE = 2048;
const T_MAX_CODE = 6144;
const T_SYMBOL_OFFSET = 6216;
const T_SYMBOLS = 6288;
const T_SIZE = T_SYMBOLS + 4096;
const CODES_SIZE = 1024;
/**
 * An AC bundle: a decoding table, the device's code words, the ratios (f64 by zigzag index), then
 * the magnitudes below {@link SMALL} requantised (u16 by [index][magnitude]).
 */
const A_CODES = T_SIZE;
const A_RATIO = A_CODES + CODES_SIZE;
const A_SMALL = A_RATIO + 512;
const SMALL = 64;
const BUNDLE_SIZE = A_SMALL + 64 * SMALL * 2;

const DONE = 0;
const OUT_FULL = 1;
const BAIL = 2;

let engine: Engine | null | undefined;

/**
 * @internal What this thread's WebAssembly loop did, for tests: calls, output room ran short
 * (`pauses`), and calls redone in JavaScript (`bails`).
 */
export const wasmTranscodeStats = { calls: 0, pauses: 0, bails: 0 };

/** Output room per call: the loop pauses when an MCU might not fit. */
let outRoom = OUT_SIZE;

/** @internal For tests: a smaller output room (more than one MCU's 4196 bytes; default 1 MiB), to make the loop pause and resume. */
export function setWasmOutRoom(bytes: number): void {
  outRoom = Math.max(4196 + 64, Math.min(OUT_SIZE, bytes));
}

/** The engine of this thread, made on first use; null where WebAssembly is not available. */
function theEngine(): Engine | null {
  if (engine !== undefined) return engine;
  engine = null;
  const instance = instantiateWasm('entropy-transcode.wasm', ENTROPY_TRANSCODE_WASM, PARAMS);
  if (instance === null) return null;
  const { memory } = instance;
  const needed = Math.ceil(DATA / PAGE) + 8;
  memory.grow(needed - memory.buffer.byteLength / PAGE);
  engine = {
    memory, transcode: instance.exports['transcode'] as (count: number) => number,
    codeStored: instance.exports['codeStored'] as (count: number, requantise: number) => number,
    decode: instance.exports['decode'] as (count: number, keep: number) => number,
    bytes: new Uint8Array(0), ints: new Int32Array(0), floats: new Float64Array(0), stored: new Int16Array(0), mcuBits: new Int32Array(0),
    tableTop: TABLES, huffman: new WeakMap(), codes: new WeakMap(), bundles: [], blocks: new WeakMap(), layouts: new WeakMap(), data: null, dataStart: 0,
  };
  refreshViews(engine);
  return engine;
}

function refreshViews(e: Engine): void {
  if (e.bytes.buffer === e.memory.buffer) return;
  e.bytes = new Uint8Array(e.memory.buffer);
  e.ints = new Int32Array(e.memory.buffer);
  e.floats = new Float64Array(e.memory.buffer);
  e.stored = new Int16Array(e.memory.buffer, STORE, STORE_SIZE / 2);
  e.mcuBits = new Int32Array(e.memory.buffer, MCU_BITS, MCU_BITS_SIZE / 4);
}

/**
 * requantise.ts's `transcodeMcus` run as WebAssembly: the same bytes into `writer`, the same
 * reader and predictors after it, the same message when it fails. Falls back to the JavaScript
 * loop where WebAssembly is missing, for a scan too large for 32-bit bit offsets, or for a corrupt
 * scan whose DC values leave the range the WebAssembly's integers hold exactly.
 */
export function transcodeMcusWasm(data: EntropyData, reader: Reader, writer: EntropyWriter, devicePredictors: Int32Array, tables: TranscodeTables, count: number): string | null {
  const e = theEngine();
  if (e === null || data.length >= 1 << 27 || tables.blocksPerMcu > MAX_BLOCKS) return transcodeMcus(data, reader, writer, devicePredictors, tables, count);
  loadData(e, data);
  const blockSlots = blockTablesOf(e, tables);
  const ints = e.ints;
  const p = PARAMS >> 2;
  ints.set(blockSlots, p + P_BLOCK_TABLES);
  ints[p + P_BLOCKS] = tables.blocksPerMcu;
  ints[p + P_DATA] = e.dataStart;
  ints[p + P_DATA_LENGTH] = data.length;
  ints[p + P_OUT] = OUT_START;
  ints[p + P_OUT_CAPACITY] = outRoom;
  wasmTranscodeStats.calls += 1;
  let left = count;
  while (left > 0) {
    const state = writer.lend(0);
    ints[p + P_POS] = reader.pos;
    ints[p + P_ACC] = reader.acc;
    ints[p + P_BITS] = reader.bits;
    ints.set(reader.predictors.subarray(0, 4), p + P_SOURCE_PREDICTORS);
    ints.set(devicePredictors.subarray(0, 4), p + P_DEVICE_PREDICTORS);
    ints[p + P_OUT_ACC] = state.accumulator;
    ints[p + P_PENDING] = state.pending;
    const status = e.transcode(left);
    if (status === BAIL) {
      wasmTranscodeStats.bails += 1;
      return transcodeMcus(data, reader, writer, devicePredictors, tables, left);
    }
    if (status !== DONE && status !== OUT_FULL) return errorMessage(status, ints[p + P_ERROR_VALUE]!, ints[p + P_ERROR_BIT]!);
    const written = ints[p + P_OUT_LENGTH]!;
    const lent = writer.lend(written);
    lent.bytes.set(e.bytes.subarray(OUT_START + 1 - written, OUT_START + 1), lent.length);
    lent.bytes.subarray(lent.length, lent.length + written).reverse();
    writer.settle({ bytes: lent.bytes, length: lent.length + written, accumulator: ints[p + P_OUT_ACC]!, pending: ints[p + P_PENDING]! });
    reader.pos = ints[p + P_POS]!;
    reader.acc = ints[p + P_ACC]!;
    reader.bits = ints[p + P_BITS]!;
    reader.predictors.set(ints.subarray(p + P_SOURCE_PREDICTORS, p + P_SOURCE_PREDICTORS + 4));
    devicePredictors.set(ints.subarray(p + P_DEVICE_PREDICTORS, p + P_DEVICE_PREDICTORS + 4));
    left -= ints[p + P_DONE]!;
    if (status === OUT_FULL) wasmTranscodeStats.pauses += 1;
  }
  return null;
}

/**
 * requantise.ts's `codeStoredMcus` run as WebAssembly: the same bytes into `writer`, the same
 * device predictors after it, the same message when it fails. The coefficients are copied in as
 * many MCUs at a time as the store room holds.
 */
export function codeStoredMcusWasm(store: Int16Array, from: number, count: number, requantise: boolean, writer: EntropyWriter, devicePredictors: Int32Array, tables: TranscodeTables): string | null {
  const e = theEngine();
  if (e === null || tables.blocksPerMcu > MAX_BLOCKS) return codeStoredMcus(store, from, count, requantise, writer, devicePredictors, tables);
  const blockSlots = blockTablesOf(e, tables);
  const ints = e.ints;
  const p = PARAMS >> 2;
  ints.set(blockSlots, p + P_BLOCK_TABLES);
  ints[p + P_BLOCKS] = tables.blocksPerMcu;
  ints[p + P_OUT] = OUT_START;
  ints[p + P_OUT_CAPACITY] = outRoom;
  ints[p + P_STORE] = STORE;
  const mcuSize = tables.blocksPerMcu * 64;
  const perCopy = Math.floor(STORE_SIZE / (mcuSize * 2));
  wasmTranscodeStats.calls += 1;
  let left = count;
  let at = from;
  while (left > 0) {
    const chunk = Math.min(left, perCopy);
    e.stored.set(store.subarray(at, at + chunk * mcuSize));
    const state = writer.lend(0);
    ints.set(devicePredictors.subarray(0, 4), p + P_DEVICE_PREDICTORS);
    ints[p + P_OUT_ACC] = state.accumulator;
    ints[p + P_PENDING] = state.pending;
    const status = e.codeStored(chunk, requantise ? 1 : 0);
    if (status === BAIL) {
      wasmTranscodeStats.bails += 1;
      return codeStoredMcus(store, at, left, requantise, writer, devicePredictors, tables);
    }
    if (status !== DONE && status !== OUT_FULL) return errorMessage(status, ints[p + P_ERROR_VALUE]!, ints[p + P_ERROR_BIT]!);
    const written = ints[p + P_OUT_LENGTH]!;
    const lent = writer.lend(written);
    lent.bytes.set(e.bytes.subarray(OUT_START + 1 - written, OUT_START + 1), lent.length);
    lent.bytes.subarray(lent.length, lent.length + written).reverse();
    writer.settle({ bytes: lent.bytes, length: lent.length + written, accumulator: ints[p + P_OUT_ACC]!, pending: ints[p + P_PENDING]! });
    devicePredictors.set(ints.subarray(p + P_DEVICE_PREDICTORS, p + P_DEVICE_PREDICTORS + 4));
    const done = ints[p + P_DONE]!;
    if (status === OUT_FULL) wasmTranscodeStats.pauses += 1;
    left -= done;
    at += done * mcuSize;
  }
  return null;
}

/**
 * entropy-decoder.ts's `decodeMcus` run as WebAssembly, from the scan already in the memory (the
 * transcode's loop reads the same copy): the same coefficients, MCU bits, reader state, noted code
 * words and message. On failure the message only: the reader's predictors and noted code words,
 * and `coefficients`, are left as they were (the caller gives up on the frame).
 */
export function decodeMcusWasm(
  data: EntropyData, layout: McuLayout, reader: Reader, from: number, to: number, first: number,
  coefficients: Int16Array, mcuBits: Int32Array,
): string | null {
  const e = theEngine();
  if (e === null || data.length >= 1 << 27 || layout.blocksPerMcu > MAX_BLOCKS) return decodeMcus(data, layout, reader, from, to, first, coefficients, mcuBits);
  const mcuSize = layout.blocksPerMcu * 64;
  const perCall = Math.min(Math.floor(STORE_SIZE / (mcuSize * 2)), MCU_BITS_SIZE / 4);
  for (let mcu = from; mcu < to;) {
    const chunk = Math.min(to - mcu, perCall);
    // Views taken after the call's loadData, which may grow the memory.
    e.stored.fill(0, 0, chunk * mcuSize);
    const status = runDecode(e, data, layout, reader, chunk, true);
    if (status === BAIL) return decodeMcus(data, layout, reader, mcu, to, first, coefficients, mcuBits);
    if (status !== null) return status;
    coefficients.set(e.stored.subarray(0, chunk * mcuSize), (mcu - first) * mcuSize);
    mcuBits.set(e.mcuBits.subarray(0, chunk), mcu - first);
    mcu += chunk;
  }
  return null;
}

/**
 * entropy-decoder.ts's `walkMcus` run as WebAssembly, from the scan already in the memory: the
 * same reader state, noted code words and message (on failure the message only, as
 * {@link decodeMcusWasm}).
 */
export function walkMcusWasm(data: EntropyData, layout: McuLayout, reader: Reader, count: number): string | null {
  const e = theEngine();
  if (e === null || data.length >= 1 << 27 || layout.blocksPerMcu > MAX_BLOCKS) return walkMcus(data, layout, reader, count);
  const status = runDecode(e, data, layout, reader, count, false);
  return status === BAIL ? walkMcus(data, layout, reader, count) : status;
}

/**
 * One call of the module's `decode`: null when done (the reader, its predictors and noted code
 * words updated), BAIL when the noted room ran short (nothing changed: the caller redoes the call
 * in JavaScript), or the failure's message.
 */
function runDecode(e: Engine, data: EntropyData, layout: McuLayout, reader: Reader, count: number, keep: boolean): string | null | typeof BAIL {
  loadData(e, data);
  const ints = e.ints;
  const p = PARAMS >> 2;
  ints.set(decodeTablesOf(e, layout), p + P_DECODE_TABLES);
  ints[p + P_BLOCKS] = layout.blocksPerMcu;
  ints[p + P_DATA] = e.dataStart;
  ints[p + P_DATA_LENGTH] = data.length;
  ints[p + P_STORE] = STORE;
  ints[p + P_MCU_BITS] = MCU_BITS;
  ints[p + P_NOTED] = NOTED;
  ints[p + P_NOTED_CAPACITY] = NOTED_SIZE / 8;
  ints[p + P_NOTED_COUNT] = 0;
  ints[p + P_POS] = reader.pos;
  ints[p + P_ACC] = reader.acc;
  ints[p + P_BITS] = reader.bits;
  ints.set(reader.predictors.subarray(0, 4), p + P_SOURCE_PREDICTORS);
  wasmTranscodeStats.calls += 1;
  const status = e.decode(count, keep ? 1 : 0);
  if (status === BAIL) {
    wasmTranscodeStats.bails += 1;
    return BAIL;
  }
  if (status !== DONE) return errorMessage(status, ints[p + P_ERROR_VALUE]!, ints[p + P_ERROR_BIT]!);
  reader.pos = ints[p + P_POS]!;
  reader.acc = ints[p + P_ACC]!;
  reader.bits = ints[p + P_BITS]!;
  reader.predictors.set(ints.subarray(p + P_SOURCE_PREDICTORS, p + P_SOURCE_PREDICTORS + 4));
  const noted = ints[p + P_NOTED_COUNT]!;
  for (let i = 0; i < noted; i += 1) note(reader, ints[(NOTED >> 2) + 2 * i]!, ints[(NOTED >> 2) + 2 * i + 1]!);
  return null;
}

/** The decoding slots of each block of `layout`'s MCU, copying in the tables the memory lacks. */
function decodeTablesOf(e: Engine, layout: McuLayout): Int32Array {
  let slots = e.layouts.get(layout);
  if (slots !== undefined) return slots;
  makeRoom(e, 2 * MAX_BLOCKS * T_SIZE);
  slots = new Int32Array(layout.blocksPerMcu * DECODE_SLOTS);
  for (let b = 0; b < layout.blocksPerMcu; b += 1) {
    slots[b * DECODE_SLOTS] = layout.blockScanComponent[b]!;
    slots[b * DECODE_SLOTS + 1] = huffmanAt(e, layout.blockDc[b]!);
    slots[b * DECODE_SLOTS + 2] = huffmanAt(e, layout.blockAc[b]!);
    slots[b * DECODE_SLOTS + 3] = (layout.blockDcId[b]! << 16) | layout.blockAcId[b]!;
  }
  e.layouts.set(layout, slots);
  return slots;
}

/** requantise.ts's message for a failure the WebAssembly reported as `status`. */
function errorMessage(status: number, value: number, bit: number): string {
  switch (status) {
    case 10: return `no DC code word at bit ${value}`;
    case 11: return `DC size ${value} at bit ${bit}`;
    case 12: return `a DC difference of ${value} has no code word`;
    case 13: return `no AC code word at bit ${value}`;
    case 14: return `AC coefficient index past 63 at bit ${value}`;
    case 15: return 'the device tables have no code word for a zero run';
    case 16: return `a requantised coefficient of ${value} is out of baseline range`;
    case 17: return `the device tables have no code word for symbol ${value}`;
    case 18: return 'the device tables have no end-of-block code word';
    case 19: return 'the data ends inside an MCU';
    case 20: return `a coefficient of ${value} is out of baseline range`;
    default: throw new Error(`entropy-transcode.wasm: unknown status ${status}`);
  }
}

/**
 * Copies `data`'s scan into the memory, unless it is the one there: its bytes and the
 * {@link DATA_MARGIN} after them as the buffer holds them (the JavaScript loop may read that far
 * into a corrupt scan's last MCU before it notices), zeros past the buffer's end (as JavaScript
 * reads them), and zeros for the 64-bit reader's lookahead; reversed (byte i at `dataStart - i`).
 */
function loadData(e: Engine, data: EntropyData): void {
  if (e.data === data) return;
  const span = data.length + DATA_MARGIN + 16;
  const end = DATA + 8 + span;
  if (end > e.memory.buffer.byteLength) {
    e.memory.grow(Math.ceil((end - e.memory.buffer.byteLength) / PAGE) + 16);
    refreshViews(e);
  }
  const copied = Math.min(span, data.bytes.length);
  const region = e.bytes.subarray(DATA + 8, end);
  region.set(data.bytes.subarray(0, copied));
  region.fill(0, copied);
  region.reverse();
  e.data = data;
  e.dataStart = end - 1;
}

/** The table slots of each block of `tables`' MCU, copying in the tables the memory lacks. */
function blockTablesOf(e: Engine, tables: TranscodeTables): Int32Array {
  let slots = e.blocks.get(tables);
  if (slots !== undefined) return slots;
  makeRoom(e, MAX_BLOCKS * (T_SIZE + CODES_SIZE + BUNDLE_SIZE));
  slots = new Int32Array(tables.blocksPerMcu * BLOCK_SLOTS);
  for (let b = 0; b < tables.blocksPerMcu; b += 1) {
    slots[b * BLOCK_SLOTS] = tables.component[b]!;
    slots[b * BLOCK_SLOTS + 1] = huffmanAt(e, tables.dcTable[b]!);
    slots[b * BLOCK_SLOTS + 2] = bundleAt(e, tables.acTable[b]!, tables.acCode[b]!, tables.acLength[b]!, tables.ratio[b]!);
    slots[b * BLOCK_SLOTS + 3] = codesAt(e, tables.dcCode[b]!, tables.dcLength[b]!);
  }
  e.blocks.set(tables, slots);
  return slots;
}

/** Room for `size` bytes of new tables, or the region starts again empty (every table copied in again when next used). */
function makeRoom(e: Engine, size: number): void {
  if (e.tableTop + size <= TABLES + TABLES_SIZE) return;
  e.tableTop = TABLES;
  e.huffman = new WeakMap();
  e.codes = new WeakMap();
  e.bundles = [];
  e.blocks = new WeakMap();
  e.layouts = new WeakMap();
}

function allocate(e: Engine, size: number): number {
  const at = e.tableTop;
  e.tableTop += size;
  e.bytes.fill(0, at, at + size);
  return at;
}

function huffmanAt(e: Engine, table: HuffmanTable): number {
  let at = e.huffman.get(table);
  if (at !== undefined) return at;
  at = allocate(e, T_SIZE);
  writeHuffman(e, table, at);
  e.huffman.set(table, at);
  return at;
}

function writeHuffman(e: Engine, table: HuffmanTable, at: number): void {
  new Uint16Array(e.memory.buffer, at + T_FAST, 1 << FAST_BITS).set(table.fast);
  e.ints.set(table.acValue, (at + T_AC_VALUE) >> 2);
  e.ints.set(table.maxCode, (at + T_MAX_CODE) >> 2);
  e.ints.set(table.symbolOffset, (at + T_SYMBOL_OFFSET) >> 2);
  e.bytes.set(table.symbols.subarray(0, 4096), at + T_SYMBOLS);
}

function codesAt(e: Engine, codes: Uint16Array, lengths: Uint8Array): number {
  let at = e.codes.get(codes);
  if (at !== undefined) return at;
  at = allocate(e, CODES_SIZE);
  writeCodes(e, codes, lengths, at);
  e.codes.set(codes, at);
  return at;
}

function writeCodes(e: Engine, codes: Uint16Array, lengths: Uint8Array, at: number): void {
  for (let symbol = 0; symbol < 256; symbol += 1) e.ints[(at >> 2) + symbol] = ((codes[symbol] ?? 0) << 8) | (lengths[symbol] ?? 0);
}

/**
 * An AC bundle (wasm/entropy-transcode.ts): found among those copied in by its decoding table and
 * code words (the same objects frame after frame) and its ratios' content (new arrays each frame).
 */
function bundleAt(e: Engine, table: HuffmanTable, codes: Uint16Array, lengths: Uint8Array, ratio: Float64Array): number {
  const known = e.bundles.find((entry) => entry.table === table && entry.codes === codes && entry.ratio.every((value, k) => value === ratio[k]));
  if (known !== undefined) return known.at;
  const at = allocate(e, BUNDLE_SIZE);
  writeHuffman(e, table, at);
  writeCodes(e, codes, lengths, at + A_CODES);
  e.floats.set(ratio.subarray(0, 64), (at + A_RATIO) >> 3);
  const small = new Uint16Array(e.memory.buffer, at + A_SMALL, 64 * SMALL);
  for (let k = 0; k < 64; k += 1) {
    for (let magnitude = 0; magnitude < SMALL; magnitude += 1) small[k * SMALL + magnitude] = requantised(magnitude, ratio[k]!);
  }
  e.bundles.push({ table, codes, ratio: ratio.slice(0, 64), at });
  return at;
}
