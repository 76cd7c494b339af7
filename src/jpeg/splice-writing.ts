/**
 * Writing the scans of a block splice (block-splice.ts): which MCUs are coded anew and which keep
 * their bits, the symbols a frame's tables lack and the tables that gain them, the spliced frame
 * and the band as a JPEG of its own. Pure.
 */
import type { BaselineJpeg, HuffmanSpec } from './baseline-jpeg.js';
import { type BandMcus, type CoveredMcus, type PixelRect, isCoveredMcu } from './band-geometry.js';
import type { EntropyData } from './entropy-data.js';
import { BLOCK_SIZE, type DecodedScan, NOTED_CODE_BITS } from './entropy-decoder.js';
import { EntropyWriter } from './entropy-encoder.js';
import { type HuffmanCodes, huffmanTable } from './huffman-tables.js';
import type { McuLayout } from './mcu-layout.js';
import { type ExtendedTable, dhtSegment, extendTable } from './table-extension.js';

/** A frame walked and cut at its band (everything of a splice plan but the band's JPEG); see band-geometry.ts. */
export interface SpliceCut {
  readonly band: PixelRect;
  readonly overlay: PixelRect;
  readonly source: Uint8Array;
  readonly jpeg: BaselineJpeg;
  readonly layout: McuLayout;
  readonly data: EntropyData;
  readonly bandMcus: BandMcus;
  readonly covered: CoveredMcus;
  /** The first MCU decoded into coefficients (the band's first row), and the first one written anew. */
  readonly decodedFromMcu: number;
  readonly spliceFromMcu: number;
  readonly decoded: DecodedScan;
}

/** How a run of MCUs is written: coded anew from coefficients, or its bits copied as they were. */
export type SpliceStep =
  | { readonly kind: 'encode'; readonly mcu: number; readonly coefficients: Int16Array; readonly base: number }
  | { readonly kind: 'copy'; readonly fromMcu: number; readonly toMcu: number };

/** Huffman tables keyed `(isAc << 4) | id`, as a DHT segment's class and id byte. */
export type TableSet = Map<number, HuffmanSpec>;

/** Code words for each block of an MCU. */
interface BlockCodes {
  readonly dc: readonly HuffmanCodes[];
  readonly ac: readonly HuffmanCodes[];
}

const NO_CODES: HuffmanCodes = { codes: new Uint16Array(256), lengths: new Uint8Array(256) };
const EOI = [0xff, 0xd9] as const;

function isCovered(cut: SpliceCut, mcu: number): boolean {
  return isCoveredMcu(cut.covered, cut.layout.mcusX, mcu);
}

function originalStep(cut: SpliceCut, mcu: number): SpliceStep {
  return { kind: 'encode', mcu, coefficients: cut.decoded.coefficients, base: (mcu - cut.decodedFromMcu) * cut.layout.blocksPerMcu * BLOCK_SIZE };
}

/**
 * The frame from its first covered MCU on: covered MCUs coded from the redrawn band, the first
 * MCU after each run of them from its own coefficients (its DC differences start from a redrawn
 * block), and the MCUs between copied with their bits. With restart markers every MCU is coded
 * again (copied bits would miss the markers).
 */
export function spliceSteps(cut: SpliceCut, redrawn: Int16Array): SpliceStep[] {
  const total = cut.layout.mcusX * cut.layout.mcusY;
  const mcuSize = cut.layout.blocksPerMcu * BLOCK_SIZE;
  const steps: SpliceStep[] = [];
  for (let mcu = cut.spliceFromMcu; mcu < total; mcu += 1) {
    if (isCovered(cut, mcu)) {
      const row = Math.floor(mcu / cut.layout.mcusX) - cut.bandMcus.row;
      const column = (mcu % cut.layout.mcusX) - cut.bandMcus.column;
      steps.push({ kind: 'encode', mcu, coefficients: redrawn, base: (row * cut.bandMcus.columns + column) * mcuSize });
    } else if (cut.jpeg.restartInterval > 0 || isCovered(cut, mcu - 1)) {
      steps.push(originalStep(cut, mcu));
    } else {
      let end = mcu + 1;
      while (end < total && !isCovered(cut, end)) end += 1;
      steps.push({ kind: 'copy', fromMcu: mcu, toMcu: end });
      mcu = end - 1;
    }
  }
  return steps;
}

/** The band's MCUs, row by row: each row's first coded anew (its DC predictors now follow the row above), the rest copied, or all coded. */
function bandSteps(cut: SpliceCut, copyRuns: boolean): SpliceStep[] {
  const steps: SpliceStep[] = [];
  const { row, column, rows, columns } = cut.bandMcus;
  for (let r = 0; r < rows; r += 1) {
    const first = (row + r) * cut.layout.mcusX + column;
    const coded = copyRuns ? 1 : columns;
    for (let c = 0; c < coded; c += 1) steps.push(originalStep(cut, first + c));
    if (coded < columns) steps.push({ kind: 'copy', fromMcu: first + coded, toMcu: first + columns });
  }
  return steps;
}

/** Sets each component's DC predictor to its last block's DC in `mcu` (original coefficients). */
function predictorsAfter(cut: SpliceCut, mcu: number, predictors: Int32Array): void {
  const { layout } = cut;
  const mcuBase = (mcu - cut.decodedFromMcu) * layout.blocksPerMcu * BLOCK_SIZE;
  for (let b = 0; b < layout.blocksPerMcu; b += 1) {
    predictors[layout.blockScanComponent[b] ?? 0] = cut.decoded.coefficients[mcuBase + b * BLOCK_SIZE] ?? 0;
  }
}

/** The code words for each block of an MCU (a missing table: none). */
function codesOf(layout: McuLayout, tables: TableSet): BlockCodes {
  const codes = (key: number): HuffmanCodes => {
    const spec = tables.get(key);
    return (spec === undefined ? null : huffmanTable(spec))?.encode ?? NO_CODES;
  };
  return { dc: Array.from(layout.blockDcId, (id) => codes(id)), ac: Array.from(layout.blockAcId, (id) => codes(16 | id)) };
}

/** The frame's own tables. */
export function tablesOf(jpeg: BaselineJpeg): TableSet {
  const tables: TableSet = new Map();
  for (const [id, spec] of jpeg.dcTables) tables.set(id, spec);
  for (const [id, spec] of jpeg.acTables) tables.set(16 | id, spec);
  return tables;
}

/**
 * `tables` with the symbols `steps` need and lack added (table-extension.ts), and the extensions
 * made; or why not (no room, or a changed code word shorter than the walk notes).
 */
export function tablesFor(cut: SpliceCut, steps: readonly SpliceStep[], tables: TableSet, startPredictors: Int32Array, restartInterval: number): { tables: TableSet; extended: Map<number, ExtendedTable> } | string {
  const missing = new Map<number, Set<number>>();
  const checker = new EntropyWriter(0);
  const codes = codesOf(cut.layout, tables);
  const { layout } = cut;
  const predictors = startPredictors.slice();
  for (const step of steps) {
    if (step.kind === 'copy') {
      predictorsAfter(cut, step.toMcu - 1, predictors);
      continue;
    }
    if (restartInterval > 0 && step.mcu > cut.spliceFromMcu && step.mcu % restartInterval === 0) predictors.fill(0);
    for (let b = 0; b < layout.blocksPerMcu; b += 1) {
      const base = step.base + b * BLOCK_SIZE;
      const component = layout.blockScanComponent[b] ?? 0;
      const dcValue = step.coefficients[base] ?? 0;
      const dcId = layout.blockDcId[b] ?? 0;
      const acId = layout.blockAcId[b] ?? 0;
      checker.checkBlock(step.coefficients, base, dcValue - (predictors[component] ?? 0), codes.dc[b] ?? NO_CODES, codes.ac[b] ?? NO_CODES, (isAc, symbol) => {
        const table = isAc ? 16 | acId : dcId;
        let symbols = missing.get(table);
        if (symbols === undefined) missing.set(table, (symbols = new Set()));
        symbols.add(symbol);
      });
      predictors[component] = dcValue;
    }
  }
  const extendedTables: TableSet = new Map(tables);
  const extended = new Map<number, ExtendedTable>();
  for (const [table, symbols] of missing) {
    const spec = tables.get(table);
    const extension = spec === undefined ? null : extendTable(spec, [...symbols].sort((a, b) => a - b));
    if (extension === null) return `Huffman table ${table} cannot take ${symbols.size} more symbols`;
    if (extension.shortestChanged < NOTED_CODE_BITS) return `giving a table new symbols changes its ${extension.shortestChanged}-bit code words`;
    extended.set(table, extension);
    extendedTables.set(table, extension.spec);
  }
  return { tables: extendedTables, extended };
}

/** True when an extension changed a code word the frame uses. */
export function changesCodeWords(extended: ReadonlyMap<number, ExtendedTable>): boolean {
  return [...extended.values()].some((extension) => extension.shortestChanged <= 16);
}

/**
 * Writes `steps` with `tables`; `copy` writes a copied run's bits [from, to). Returns false when
 * a symbol has no code word.
 */
function writeSteps(cut: SpliceCut, writer: EntropyWriter, steps: readonly SpliceStep[], tables: TableSet, predictors: Int32Array, restartInterval: number, copy: (from: number, to: number) => void): boolean {
  const { layout, decoded } = cut;
  const codes = codesOf(layout, tables);
  for (const step of steps) {
    if (step.kind === 'copy') {
      copy(decoded.mcuBits[step.fromMcu - cut.decodedFromMcu] ?? 0, decoded.mcuBits[step.toMcu - cut.decodedFromMcu] ?? 0);
      predictorsAfter(cut, step.toMcu - 1, predictors);
      continue;
    }
    if (restartInterval > 0 && step.mcu > cut.spliceFromMcu && step.mcu % restartInterval === 0) {
      writer.marker(0xd0 + ((step.mcu / restartInterval - 1) % 8));
      predictors.fill(0);
    }
    for (let b = 0; b < layout.blocksPerMcu; b += 1) {
      const base = step.base + b * BLOCK_SIZE;
      const component = layout.blockScanComponent[b] ?? 0;
      const dcValue = step.coefficients[base] ?? 0;
      if (!writer.block(step.coefficients, base, dcValue - (predictors[component] ?? 0), codes.dc[b] ?? NO_CODES, codes.ac[b] ?? NO_CODES)) return false;
      predictors[component] = dcValue;
    }
  }
  writer.padToByte();
  return true;
}

/**
 * The spliced frame: the frame's headers (with one DHT segment of `tables` when `extended` is not
 * empty), the scan up to the first covered MCU as it was (code words an extension changed
 * rewritten where the walk noted them), `steps`, the end-of-image marker. Null when a symbol has
 * no code word.
 */
export function writeFrame(cut: SpliceCut, steps: readonly SpliceStep[], tables: TableSet, extended: ReadonlyMap<number, ExtendedTable>): Uint8Array | null {
  const { jpeg, decoded, data, source } = cut;
  const writer = new EntropyWriter(source.length + 4096);
  if (extended.size === 0) writer.raw(source.subarray(0, jpeg.scanDataStart));
  else for (const part of headerWithTables(source, jpeg, tables)) writer.raw(part);
  const startBit = decoded.mark.bit;
  const rewrites = noteRewrites(decoded, extended);
  let next = 0;
  const copy = (from: number, to: number): void => {
    let at = from;
    for (; next < rewrites.length && (rewrites[next]?.bit ?? to) < to; next += 1) {
      const rewrite = rewrites[next];
      if (rewrite === undefined || rewrite.bit < from) continue; // inside an MCU coded anew
      writer.copyBits(data.bytes, at, rewrite.bit);
      writer.put(rewrite.code, rewrite.length);
      at = rewrite.bit + rewrite.oldLength;
    }
    writer.copyBits(data.bytes, at, to);
  };
  if ((rewrites[0]?.bit ?? startBit) >= startBit) {
    // The bytes before stay as they are; the bits of the first byte that precede the splice are written again.
    const byteIndex = startBit >>> 3;
    writer.raw(source.subarray(jpeg.scanDataStart, data.fileOffsetOf(byteIndex)));
    if ((startBit & 7) > 0) writer.put((data.bytes[byteIndex] ?? 0) >>> (8 - (startBit & 7)), startBit & 7);
  } else {
    copy(0, startBit);
  }
  if (!writeSteps(cut, writer, steps, tables, decoded.mark.predictors.slice(), jpeg.restartInterval, copy)) return null;
  writer.raw(Uint8Array.from(EOI));
  return writer.result();
}

/** The noted long code words whose code `extended` changed, with their new code words, in scan order. */
function noteRewrites(decoded: DecodedScan, extended: ReadonlyMap<number, ExtendedTable>): { bit: number; oldLength: number; code: number; length: number }[] {
  const rewrites: { bit: number; oldLength: number; code: number; length: number }[] = [];
  const tables = new Map<number, HuffmanCodes>();
  for (const [key, extension] of extended) {
    const table = huffmanTable(extension.spec);
    if (table !== null && extension.shortestChanged <= 16) tables.set(key, table.encode);
  }
  if (tables.size === 0) return rewrites;
  const { count, bit, word } = decoded.longCodeWords;
  for (let i = 0; i < count; i += 1) {
    const packed = word[i] ?? 0;
    const key = packed >>> 16;
    const symbol = packed & 0xff;
    const codes = tables.get(key);
    if (codes === undefined || extended.get(key)?.changed[symbol] !== 1) continue;
    rewrites.push({ bit: bit[i] ?? 0, oldLength: (packed >>> 8) & 0xff, code: codes.codes[symbol] ?? 0, length: codes.lengths[symbol] ?? 0 });
  }
  return rewrites;
}

/** The headers up to the scan data with one DHT segment of `tables` in place of the frame's own. */
function headerWithTables(source: Uint8Array, jpeg: BaselineJpeg, tables: TableSet): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const range of jpeg.dhtSegments) {
    parts.push(source.subarray(at, range.start));
    at = range.end;
  }
  parts.push(source.subarray(at, jpeg.sosSegment.start), dhtSegment(tables), source.subarray(jpeg.sosSegment.start, jpeg.scanDataStart));
  return parts;
}

/**
 * The band as a JPEG of its own: the frame's DQT segments, a frame header of the band's size, the
 * frame's Huffman tables (with any symbol a row's new first DC difference needs), its scan
 * header, and the band's MCUs from DC predictors of zero, without restart markers. Null when no
 * table can take a needed symbol.
 */
export function standaloneJpeg(cut: SpliceCut): Uint8Array | null {
  const { source, jpeg, layout, data, band } = cut;
  const zero = new Int32Array(4);
  let steps = bandSteps(cut, jpeg.restartInterval === 0);
  const fitted = tablesFor(cut, steps, tablesOf(jpeg), zero, 0);
  if (typeof fitted === 'string') return null;
  if (changesCodeWords(fitted.extended)) steps = bandSteps(cut, false);
  const frameHeader = [0xff, jpeg.frameMarker, 0, 8 + 3 * jpeg.components.length, 8, band.height >> 8, band.height & 0xff, band.width >> 8, band.width & 0xff, jpeg.components.length];
  for (const c of jpeg.components) frameHeader.push(c.id, (c.h << 4) | c.v, c.quantTableId);
  const writer = new EntropyWriter(cut.bandMcus.rows * cut.bandMcus.columns * layout.blocksPerMcu * 24 + 2048);
  writer.raw(Uint8Array.of(0xff, 0xd8));
  for (const range of jpeg.dqtSegments) writer.raw(source.subarray(range.start, range.end));
  writer.raw(Uint8Array.from(frameHeader));
  if (fitted.extended.size === 0) for (const range of jpeg.dhtSegments) writer.raw(source.subarray(range.start, range.end));
  else writer.raw(dhtSegment(fitted.tables));
  writer.raw(source.subarray(jpeg.sosSegment.start, jpeg.sosSegment.end));
  if (!writeSteps(cut, writer, steps, fitted.tables, zero.slice(), 0, (from, to) => writer.copyBits(data.bytes, from, to))) return null;
  writer.raw(Uint8Array.from(EOI));
  return writer.result();
}
