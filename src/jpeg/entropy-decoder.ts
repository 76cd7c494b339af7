/**
 * Huffman decoding of a baseline scan (T.81 F.2.2) in two speeds: MCUs before `fromMcu` are only
 * walked (code words and value bits skipped, DC predictors kept, and where each long code word
 * stands noted, so a later change of those code words can be written without decoding again),
 * MCUs from `fromMcu` on are decoded into their quantised coefficients. Either way the whole
 * scan is checked: a bit pattern that is no code word, a coefficient index past 63, a missing or
 * misnumbered restart marker, data running out or whole bytes left over (stricter than libjpeg,
 * which warns of the last two and goes on). Pure.
 */
import type { EntropyData } from './entropy-data.js';
import { END_OF_BLOCK_STEP, FAST_BITS, decodeLong } from './huffman-tables.js';
import type { McuLayout } from './mcu-layout.js';

/** Coefficients per block. */
export const BLOCK_SIZE = 64;

/** Code words this long or longer are noted by the walk ({@link LongCodeWords}). */
export const NOTED_CODE_BITS = 12;

/** The decoder's state where decoding into coefficients began. */
export interface ScanState {
  /** Bit offset into the unstuffed data. */
  readonly bit: number;
  /** DC predictor of each scan component. */
  readonly predictors: Int32Array;
}

/**
 * Where the scan uses code words of {@link NOTED_CODE_BITS} bits or more: the bit offset
 * of each, and `(table << 16) | (codeLength << 8) | symbol` with `table` = `(isAc << 4) | id`.
 */
export interface LongCodeWords {
  readonly count: number;
  readonly bit: Int32Array;
  readonly word: Int32Array;
}

/** A decoded scan: the coefficients of MCUs `fromMcu` to the end, and the state at `markMcu`. */
export interface DecodedScan {
  readonly mark: ScanState;
  /**
   * Quantised coefficients, `BLOCK_SIZE` per block in zigzag order, blocks in MCU order; the DC
   * coefficient as its value, not its difference.
   */
  readonly coefficients: Int16Array;
  /** Bit offset just after the last MCU. */
  readonly endBit: number;
  /**
   * Bit offset where each MCU from `fromMcu` on starts, and after them {@link endBit}. (After a
   * restart marker: where its interval's data starts.)
   */
  readonly mcuBits: Int32Array;
  /** The long code words of the whole scan. */
  readonly longCodeWords: LongCodeWords;
}

function extend(value: number, size: number): number {
  return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
}

/** The reader between MCUs: `acc` holds `bits` unread bits (at most 31) that end at data byte `pos`. */
export interface Reader {
  pos: number;
  acc: number;
  bits: number;
  restarts: number;
  readonly predictors: Int32Array;
  noted: LongCodeWords & { count: number; bit: Int32Array; word: Int32Array };
}

/**
 * Decodes `data` laid out as `layout`: walks MCUs before `fromMcu`, decodes the rest into
 * coefficients, and notes the reader's state at `markMcu` (at least `fromMcu`). Returns why not
 * when the scan is corrupt; the caller then leaves the frame to the full decoder, which reports it.
 */
export function decodeScan(data: EntropyData, layout: McuLayout, restartInterval: number, fromMcu: number, markMcu = fromMcu): DecodedScan | string {
  const total = layout.mcusX * layout.mcusY;
  const first = Math.min(Math.max(0, fromMcu), total);
  const reader = newReader();
  let mark: ScanState = { bit: 0, predictors: new Int32Array(4) };
  const coefficients = new Int16Array((total - first) * layout.blocksPerMcu * BLOCK_SIZE);
  const mcuBits = new Int32Array(total - first + 1);
  for (let mcu = 0; mcu < total; mcu += 1) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      const problem = restart(data, reader, mcu);
      if (problem !== null) return problem;
    }
    if (mcu === markMcu) mark = { bit: reader.pos * 8 - reader.bits, predictors: reader.predictors.slice() };
    // Up to the next restart, mark or change of speed, MCUs go through one loop without stops.
    let end = mcu < first ? first : total;
    if (mcu < markMcu) end = Math.min(end, markMcu);
    if (restartInterval > 0) end = Math.min(end, (Math.floor(mcu / restartInterval) + 1) * restartInterval);
    const problem = mcu < first
      ? walkMcus(data, layout, reader, end - mcu)
      : decodeMcus(data, layout, reader, mcu, end, first, coefficients, mcuBits);
    if (problem !== null) return problem;
    mcu = end - 1;
  }
  const endBit = reader.pos * 8 - reader.bits;
  mcuBits[total - first] = endBit;
  const problem = scanEnd(data, reader);
  if (problem !== null) return problem;
  return { mark, coefficients, endBit, mcuBits, longCodeWords: reader.noted };
}

/** A reader at the start of a scan. */
export function newReader(): Reader {
  return {
    pos: 0, acc: 0, bits: 0, restarts: 0, predictors: new Int32Array(4),
    noted: { count: 0, bit: new Int32Array(256), word: new Int32Array(256) },
  };
}

/**
 * Passes the restart marker due before MCU `mcu`: the encoder padded to a byte, the marker must
 * stand there with the next number, and the DC predictors start again from zero.
 */
export function restart(data: EntropyData, reader: Reader, mcu: number): string | null {
  reader.bits -= reader.bits & 7;
  const { restarts } = reader;
  if (data.restartAt[restarts] !== reader.pos - reader.bits / 8 || data.restartNumber[restarts] !== restarts % 8) return `restart marker ${restarts % 8} missing before MCU ${mcu}`;
  reader.restarts += 1;
  reader.predictors.fill(0);
  return null;
}

/** Why the scan does not end where the reader stands after its last MCU, or null when it does. */
export function scanEnd(data: EntropyData, reader: Reader): string | null {
  const endBit = reader.pos * 8 - reader.bits;
  if (reader.restarts !== data.restartAt.length) return `${data.restartAt.length - reader.restarts} restart markers after the last MCU`;
  if (endBit > data.length * 8) return 'the data ends inside the last MCU';
  if (data.length * 8 - endBit >= 8) return `${(data.length * 8 - endBit) >> 3} bytes of data after the last MCU`;
  return null;
}

/** Notes a long code word at bit `at` (packed as in {@link LongCodeWords}); also for wasm-transcode.ts's loops. */
export function note(reader: Reader, at: number, word: number): void {
  const noted = reader.noted;
  if (noted.count === noted.bit.length) {
    const bit = new Int32Array(noted.bit.length * 2);
    const words = new Int32Array(noted.bit.length * 2);
    bit.set(noted.bit);
    words.set(noted.word);
    reader.noted = { count: noted.count, bit, word: words };
  }
  reader.noted.bit[reader.noted.count] = at;
  reader.noted.word[reader.noted.count] = word;
  reader.noted.count += 1;
}

/**
 * Walks `count` MCUs: code words and value bits skipped, DC predictors kept, long code words
 * noted. The reader's fields live in locals meanwhile: this loop sees every symbol
 * of a frame.
 */
export function walkMcus(data: EntropyData, layout: McuLayout, reader: Reader, count: number): string | null {
  const d = data.bytes;
  const predictors = reader.predictors;
  const blocks = layout.blocksPerMcu;
  // Per block of an MCU, hoisted: a property load per symbol is a tenth of the loop's time.
  const dcFast = layout.blockDc.map((table) => table.fast);
  const acSkip = layout.blockAc.map((table) => table.acSkip);
  const acFast = layout.blockAc.map((table) => table.fast);
  const components = layout.blockScanComponent;
  let { pos, acc, bits } = reader;
  const endBits = data.length * 8 + 32;
  for (let n = 0; n < count; n += 1) {
    for (let b = 0; b < blocks; b += 1) {
      if (bits < 16) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
      let entry = dcFast[b]![(acc >>> (bits - FAST_BITS)) & FAST_MASK]!;
      if (entry === 0) {
        entry = decodeLong(layout.blockDc[b]!, (acc >>> (bits - 16)) & 0xffff);
        if (entry === 0) return `no DC code word at bit ${pos * 8 - bits}`;
        if (entry >>> 8 >= NOTED_CODE_BITS) note(reader, pos * 8 - bits, (layout.blockDcId[b]! << 16) | entry);
      }
      bits -= entry >>> 8;
      const size = entry & 0xff;
      if (size > 11) return `DC size ${size} at bit ${pos * 8 - bits}`;
      if (size > 0) {
        if (bits < size) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
        bits -= size;
        const component = components[b]!;
        predictors[component] = predictors[component]! + extend((acc >>> bits) & ((1 << size) - 1), size);
      }
      const skip = acSkip[b]!;
      const fast = acFast[b]!;
      let k = 1;
      while (k < 64) {
        if (bits < 16) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
        const index = (acc >>> (bits - FAST_BITS)) & FAST_MASK;
        const quick = skip[index]!;
        if (quick !== 0) {
          bits -= quick >>> 8;
          k += quick & 0xff;
          continue;
        }
        entry = fast[index]!;
        if (entry === 0) {
          entry = decodeLong(layout.blockAc[b]!, (acc >>> (bits - 16)) & 0xffff);
          if (entry === 0) return `no AC code word at bit ${pos * 8 - bits}`;
          if (entry >>> 8 >= NOTED_CODE_BITS) note(reader, pos * 8 - bits, ((16 | layout.blockAcId[b]!) << 16) | entry);
        }
        bits -= entry >>> 8;
        const symbol = entry & 0xff;
        const valueBits = symbol & 15;
        if (valueBits > 0) {
          if (bits < valueBits) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
          bits -= valueBits;
          k += (symbol >>> 4) + 1;
        } else {
          k += symbol === 0xf0 ? 16 : END_OF_BLOCK_STEP;
        }
      }
      if (k > 64 && k < END_OF_BLOCK_STEP) return `AC coefficient index past 63 at bit ${pos * 8 - bits}`;
    }
    if (pos * 8 - bits > endBits) return 'the data ends inside an MCU';
  }
  reader.pos = pos;
  reader.acc = acc;
  reader.bits = bits;
  return null;
}

/**
 * Decodes MCUs [from, to) into `coefficients` (MCU `m` at `(m - first) * blocksPerMcu * 64`, which
 * must be zero there), noting each one's first bit in `mcuBits[m - first]`.
 */
export function decodeMcus(
  data: EntropyData, layout: McuLayout, reader: Reader, from: number, to: number, first: number,
  coefficients: Int16Array, mcuBits: Int32Array,
): string | null {
  const d = data.bytes;
  const predictors = reader.predictors;
  const blocks = layout.blocksPerMcu;
  let { pos, acc, bits } = reader;
  const endBits = data.length * 8 + 32;
  for (let mcu = from; mcu < to; mcu += 1) {
    mcuBits[mcu - first] = pos * 8 - bits;
    for (let b = 0; b < blocks; b += 1) {
      const dc = layout.blockDc[b]!;
      const ac = layout.blockAc[b]!;
      const base = ((mcu - first) * blocks + b) * BLOCK_SIZE;
      if (bits < 16) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
      let entry = dc.fast[(acc >>> (bits - FAST_BITS)) & FAST_MASK]!;
      if (entry === 0) {
        entry = decodeLong(dc, (acc >>> (bits - 16)) & 0xffff);
        if (entry === 0) return `no DC code word at bit ${pos * 8 - bits}`;
        if (entry >>> 8 >= NOTED_CODE_BITS) note(reader, pos * 8 - bits, (layout.blockDcId[b]! << 16) | entry);
      }
      bits -= entry >>> 8;
      let size = entry & 0xff;
      if (size > 11) return `DC size ${size} at bit ${pos * 8 - bits}`;
      const component = layout.blockScanComponent[b]!;
      if (size > 0) {
        if (bits < size) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
        bits -= size;
        predictors[component] = predictors[component]! + extend((acc >>> bits) & ((1 << size) - 1), size);
      }
      coefficients[base] = predictors[component]!;
      for (let k = 1; k < 64;) {
        if (bits < 16) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
        entry = ac.fast[(acc >>> (bits - FAST_BITS)) & FAST_MASK]!;
        if (entry === 0) {
          entry = decodeLong(ac, (acc >>> (bits - 16)) & 0xffff);
          if (entry === 0) return `no AC code word at bit ${pos * 8 - bits}`;
          if (entry >>> 8 >= NOTED_CODE_BITS) note(reader, pos * 8 - bits, ((16 | layout.blockAcId[b]!) << 16) | entry);
        }
        bits -= entry >>> 8;
        const symbol = entry & 0xff;
        size = symbol & 15;
        if (size > 0) {
          k += symbol >>> 4;
          if (k > 63) return `AC coefficient index past 63 at bit ${pos * 8 - bits}`;
          if (bits < size) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
          bits -= size;
          coefficients[base + k] = extend((acc >>> bits) & ((1 << size) - 1), size);
          k += 1;
        } else if (symbol === 0xf0) {
          k += 16;
          if (k > 64) return `AC coefficient index past 63 at bit ${pos * 8 - bits}`;
        } else {
          break; // end of block
        }
      }
    }
    if (pos * 8 - bits > endBits) return 'the data ends inside an MCU';
  }
  reader.pos = pos;
  reader.acc = acc;
  reader.bits = bits;
  return null;
}

const FAST_MASK = (1 << FAST_BITS) - 1;
