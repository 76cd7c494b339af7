/**
 * The inner loop of the coefficient transcode (coefficient-transcode.ts): Huffman-decode a
 * source scan's blocks, requantise each coefficient from the source's quantisation table to the
 * device's, and Huffman-encode it with the device's tables, in one pass with no block ever
 * stored. Pure.
 *
 * Requantising: a coefficient `c` quantised with step `qOld` becomes `round(c · qOld / qNew)`,
 * rounded half away from zero as a JPEG quantiser rounds: `floor(|c|·qOld/qNew + 1/2)` with the
 * sign of `c`. It is computed as `trunc(|c| · (qOld/qNew) + 1/2 + 1e-7)` in doubles (a multiply
 * instead of a divide in the loop that sees every coefficient), which is exact: the true value
 * `|c|·qOld/qNew + 1/2` is a multiple of `1/(2·qNew) ≥ 1/510`, so it is either a whole number or
 * at least 1/510 from one, and the double's error (under 1e-9 for |c| < 2^16) with the 1e-7 added
 * never crosses a whole number the wrong way. test/jpeg/requantise.test.ts checks every step pair
 * and every baseline magnitude against the integer formula.
 */
import type { EntropyData } from './entropy-data.js';
import { BLOCK_SIZE, type Reader } from './entropy-decoder.js';
import type { EntropyWriter } from './entropy-encoder.js';
import { END_OF_BLOCK_RUN, FAST_BITS, type HuffmanTable, decodeLong } from './huffman-tables.js';

/** Per block of an MCU: how to decode it, requantise it and encode it again. */
export interface TranscodeTables {
  readonly blocksPerMcu: number;
  /** Scan component (DC predictor) of each block. */
  readonly component: Uint8Array;
  readonly dcTable: readonly HuffmanTable[];
  readonly acTable: readonly HuffmanTable[];
  /** By zigzag index: `qOld / qNew`. */
  readonly ratio: readonly Float64Array[];
  /** The device's code words and their lengths, by symbol. */
  readonly dcCode: readonly Uint16Array[];
  readonly dcLength: readonly Uint8Array[];
  readonly acCode: readonly Uint16Array[];
  readonly acLength: readonly Uint8Array[];
}

/** Bytes one MCU of at most 10 blocks can take when coded, stuffing included: room checked once per MCU. */
const MCU_MAX_BYTES = 10 * Math.ceil((16 + 11 + 63 * (16 + 10)) / 8) * 2 + 16;
const FAST_MASK = (1 << FAST_BITS) - 1;

/** A half, and the margin that makes truncation exact (see above). */
const HALF_UP = 0.5 + 1e-7;

/** `value · qOld / qNew` rounded half away from zero, with `ratio` = `qOld / qNew`. */
export function requantised(value: number, ratio: number): number {
  const magnitude = ((value < 0 ? -value : value) * ratio + HALF_UP) | 0;
  return value < 0 ? -magnitude : magnitude;
}

/**
 * Transcodes `count` MCUs from `reader` (source DC predictors in `reader.predictors`) into
 * `writer` (device DC predictors in `devicePredictors`), with no restart marker among them.
 * Returns why not when the scan is corrupt or a requantised value has no baseline code.
 *
 * The bit writer's step (append a code word to a 32-bit accumulator, spill a full word with a
 * branch-free 0xFF check) is written out four times in the loop below (DC, zero run, AC,
 * end of block) on purpose: its state (accumulator, free bits, output length) lives in locals,
 * and a helper would have to return three values per code word in the hottest loop of the
 * transcode (docs/performance.md, "Frames from another encoder"). Change all four together.
 */
export function transcodeMcus(data: EntropyData, reader: Reader, writer: EntropyWriter, devicePredictors: Int32Array, tables: TranscodeTables, count: number): string | null {
  const d = data.bytes;
  const sourcePredictors = reader.predictors;
  const blocks = tables.blocksPerMcu;
  // Per block of an MCU, hoisted: a property load per symbol costs as much as the symbol.
  const { component: components, ratio: ratios, dcTable, acTable, dcCode, dcLength, acCode: acCodes, acLength: acLengths } = tables;
  const acValues = acTable.map((table) => table.acValue);
  const dcFasts = dcTable.map((table) => table.fast);
  let { pos, acc, bits } = reader;
  const endBits = data.length * 8 + 32;
  const state = writer.lend(MCU_MAX_BYTES);
  let out = state.bytes;
  let length = state.length;
  // Out: `32 - free` bits waiting in the low bits of `outAcc` (bits above them are never read);
  // a word of n ≤ 27 bits goes in whole, or fills it, and then its 4 bytes are written at once.
  let outAcc = state.accumulator;
  let free = 32 - state.pending;
  for (let n = 0; n < count; n += 1) {
    if (length + MCU_MAX_BYTES > out.length) {
      // The lent buffer is full: give the state back and borrow a larger one.
      length = settleInto(writer, out, length, outAcc, free);
      const lent = writer.lend(MCU_MAX_BYTES * 64);
      out = lent.bytes;
      outAcc = lent.accumulator;
      free = 32 - lent.pending;
    }
    for (let b = 0; b < blocks; b += 1) {
      const ratio = ratios[b]!;
      const component = components[b]!;
      // DC: the source's difference onto its predictor, requantised, then the device's difference.
      if (bits < 16) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
      let entry = dcFasts[b]![(acc >>> (bits - FAST_BITS)) & FAST_MASK]!;
      if (entry === 0) {
        entry = decodeLong(dcTable[b]!, (acc >>> (bits - 16)) & 0xffff);
        if (entry === 0) return `no DC code word at bit ${pos * 8 - bits}`;
      }
      bits -= entry >>> 8;
      let size = entry & 0xff;
      if (size > 11) return `DC size ${size} at bit ${pos * 8 - bits}`;
      if (size > 0) {
        if (bits < size) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
        bits -= size;
        const raw = (acc >>> bits) & ((1 << size) - 1);
        sourcePredictors[component] = sourcePredictors[component]! + (raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw);
      }
      const dc = sourcePredictors[component]!;
      const dcMagnitude = ((dc < 0 ? -dc : dc) * ratio[0]! + HALF_UP) | 0;
      const deviceDc = dc < 0 ? -dcMagnitude : dcMagnitude;
      const difference = deviceDc - devicePredictors[component]!;
      devicePredictors[component] = deviceDc;
      let magnitude = difference < 0 ? -difference : difference;
      size = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
      let codeLength = size > 11 ? 0 : dcLength[b]![size]!;
      if (codeLength === 0) return `a DC difference of ${difference} has no code word`;
      {
        const n = codeLength + size;
        const word = (dcCode[b]![size]! << size) | (difference < 0 ? (1 << size) - 1 - magnitude : magnitude);
        if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
          const spill = n - free;
          const full = (outAcc << free) | (word >>> spill);
          if (((~full - 0x01010101) & full & 0x80808080) === 0) {
            out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
          } else length = writeStuffed(out, length, full);
          outAcc = word;
          free = 32 - spill;
        }
      }
      // AC: each nonzero value requantised; zero runs between the ones that stay nonzero.
      const acValue = acValues[b]!;
      const acCode = acCodes[b]!;
      const acLength = acLengths[b]!;
      let last = 0;
      for (let k = 1; k < 64; k += 1) {
        if (bits < 16) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
        entry = acValue[(acc >>> (bits - FAST_BITS)) & FAST_MASK]!;
        let value: number;
        let run: number;
        if (entry !== 0) {
          bits -= entry & 0xff;
          run = (entry >>> 8) & 0xff;
          value = entry >> 16;
        } else {
          // A code word and value longer than the lookup: decode them one after the other.
          entry = acTable[b]!.fast[(acc >>> (bits - FAST_BITS)) & FAST_MASK]!;
          if (entry === 0) entry = decodeLong(acTable[b]!, (acc >>> (bits - 16)) & 0xffff);
          if (entry === 0) return `no AC code word at bit ${pos * 8 - bits}`;
          bits -= entry >>> 8;
          size = entry & 15;
          run = (entry >>> 4) & 15;
          value = 0;
          if (size > 0) {
            if (bits < size) { acc = ((acc & 0x7fff) << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; bits += 16; }
            bits -= size;
            const raw = (acc >>> bits) & ((1 << size) - 1);
            value = raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw;
          } else if ((entry & 0xff) !== 0xf0) {
            run = END_OF_BLOCK_RUN;
          }
        }
        if (run === END_OF_BLOCK_RUN) break;
        k += run; // a ZRL: the last of its 16 zeros
        if (k > 63) return `AC coefficient index past 63 at bit ${pos * 8 - bits}`;
        if (value === 0) continue;
        magnitude = ((value < 0 ? -value : value) * ratio[k]! + HALF_UP) | 0;
        if (magnitude === 0) continue;
        let zeros = k - last - 1;
        while (zeros > 15) {
          codeLength = acLength[0xf0]!;
          if (codeLength === 0) return 'the device tables have no code word for a zero run';
          {
            const n = codeLength;
            const word = acCode[0xf0]!;
            if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
              const spill = n - free;
              const full = (outAcc << free) | (word >>> spill);
              if (((~full - 0x01010101) & full & 0x80808080) === 0) {
                out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
              } else length = writeStuffed(out, length, full);
              outAcc = word;
              free = 32 - spill;
            }
          }
          zeros -= 16;
        }
        size = 32 - Math.clz32(magnitude);
        if (size > 10) return `a requantised coefficient of ${magnitude} is out of baseline range`;
        const symbol = (zeros << 4) | size;
        codeLength = acLength[symbol]!;
        if (codeLength === 0) return `the device tables have no code word for symbol ${symbol}`;
        const bitsOfValue = value < 0 ? (1 << size) - 1 - magnitude : magnitude;
        {
          const n = codeLength + size;
          const word = (acCode[symbol]! << size) | bitsOfValue;
          if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
            const spill = n - free;
            const full = (outAcc << free) | (word >>> spill);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
            } else length = writeStuffed(out, length, full);
            outAcc = word;
            free = 32 - spill;
          }
        }
        last = k;
      }
      if (last < 63) {
        codeLength = acLength[0]!;
        if (codeLength === 0) return 'the device tables have no end-of-block code word';
        {
          const n = codeLength;
          const word = acCode[0]!;
          if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
            const spill = n - free;
            const full = (outAcc << free) | (word >>> spill);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
            } else length = writeStuffed(out, length, full);
            outAcc = word;
            free = 32 - spill;
          }
        }
      }
    }
    if (pos * 8 - bits > endBits) return 'the data ends inside an MCU';
  }
  reader.pos = pos;
  reader.acc = acc;
  reader.bits = bits;
  settleInto(writer, out, length, outAcc, free);
  return null;
}

/** Writes the 4 bytes of `full`, each 0xFF followed by a stuffed zero; the new length. */
function writeStuffed(out: Uint8Array, at: number, full: number): number {
  let length = at;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const byte = (full >>> shift) & 0xff;
    out[length++] = byte;
    if (byte === 0xff) out[length++] = 0;
  }
  return length;
}

/** Hands the loop's state back to `writer`: whole bytes written, under 8 bits left pending; the new length. */
function settleInto(writer: EntropyWriter, out: Uint8Array, at: number, outAcc: number, free: number): number {
  let length = at;
  let pending = 32 - free;
  while (pending >= 8) {
    pending -= 8;
    const byte = (outAcc >>> pending) & 0xff;
    out[length++] = byte;
    if (byte === 0xff) out[length++] = 0;
  }
  writer.settle({ bytes: out, length, accumulator: outAcc & ((1 << pending) - 1), pending });
  return length;
}

/**
 * Codes `count` MCUs of coefficients held in `store` from `from` (blocks in MCU order, zigzag,
 * DC as a value) into `writer` with the device's tables, requantising each value first when
 * `requantise` is set (the band's MCUs before the split) and not when they are already at the
 * device's quantisation (the redrawn ones). The same bit writer as {@link transcodeMcus}, inline,
 * for the same reason: EntropyWriter.block's call per symbol cost ~0.9 ms a 720p frame for its
 * ~1 400 blocks (docs/performance.md). Returns why not when a value has no baseline code.
 */
export function codeStoredMcus(store: Int16Array, from: number, count: number, requantise: boolean, writer: EntropyWriter, devicePredictors: Int32Array, tables: TranscodeTables): string | null {
  const blocks = tables.blocksPerMcu;
  const { component: components, ratio: ratios, dcCode, dcLength, acCode: acCodes, acLength: acLengths } = tables;
  const state = writer.lend(MCU_MAX_BYTES);
  let out = state.bytes;
  let length = state.length;
  let outAcc = state.accumulator;
  let free = 32 - state.pending;
  let base = from;
  for (let n = 0; n < count; n += 1) {
    if (length + MCU_MAX_BYTES > out.length) {
      length = settleInto(writer, out, length, outAcc, free);
      const lent = writer.lend(MCU_MAX_BYTES * 64);
      out = lent.bytes;
      outAcc = lent.accumulator;
      free = 32 - lent.pending;
    }
    for (let b = 0; b < blocks; b += 1, base += BLOCK_SIZE) {
      const ratio = ratios[b]!;
      const component = components[b]!;
      const dc = store[base]!;
      let deviceDc = dc;
      if (requantise) {
        const dcMagnitude = ((dc < 0 ? -dc : dc) * ratio[0]! + HALF_UP) | 0;
        deviceDc = dc < 0 ? -dcMagnitude : dcMagnitude;
      }
      const difference = deviceDc - devicePredictors[component]!;
      devicePredictors[component] = deviceDc;
      let magnitude = difference < 0 ? -difference : difference;
      let size = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
      let codeLength = size > 11 ? 0 : dcLength[b]![size]!;
      if (codeLength === 0) return `a DC difference of ${difference} has no code word`;
      {
        const n = codeLength + size;
        const word = (dcCode[b]![size]! << size) | (difference < 0 ? (1 << size) - 1 - magnitude : magnitude);
        if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
          const spill = n - free;
          const full = (outAcc << free) | (word >>> spill);
          if (((~full - 0x01010101) & full & 0x80808080) === 0) {
            out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
          } else length = writeStuffed(out, length, full);
          outAcc = word;
          free = 32 - spill;
        }
      }
      const acCode = acCodes[b]!;
      const acLength = acLengths[b]!;
      let last = 0;
      for (let k = 1; k < 64; k += 1) {
        const value = store[base + k]!;
        if (value === 0) continue;
        magnitude = value < 0 ? -value : value;
        if (requantise) {
          magnitude = (magnitude * ratio[k]! + HALF_UP) | 0;
          if (magnitude === 0) continue;
        }
        let zeros = k - last - 1;
        while (zeros > 15) {
          codeLength = acLength[0xf0]!;
          if (codeLength === 0) return 'the device tables have no code word for a zero run';
          {
            const n = codeLength;
            const word = acCode[0xf0]!;
            if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
              const spill = n - free;
              const full = (outAcc << free) | (word >>> spill);
              if (((~full - 0x01010101) & full & 0x80808080) === 0) {
                out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
              } else length = writeStuffed(out, length, full);
              outAcc = word;
              free = 32 - spill;
            }
          }
          zeros -= 16;
        }
        size = 32 - Math.clz32(magnitude);
        if (size > 10) return `a coefficient of ${magnitude} is out of baseline range`;
        const symbol = (zeros << 4) | size;
        codeLength = acLength[symbol]!;
        if (codeLength === 0) return `the device tables have no code word for symbol ${symbol}`;
        {
          const n = codeLength + size;
          const word = (acCode[symbol]! << size) | (value < 0 ? (1 << size) - 1 - magnitude : magnitude);
          if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
            const spill = n - free;
            const full = (outAcc << free) | (word >>> spill);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
            } else length = writeStuffed(out, length, full);
            outAcc = word;
            free = 32 - spill;
          }
        }
        last = k;
      }
      if (last < 63) {
        codeLength = acLength[0]!;
        if (codeLength === 0) return 'the device tables have no end-of-block code word';
        {
          const n = codeLength;
          const word = acCode[0]!;
          if (n < free) { outAcc = (outAcc << n) | word; free -= n; } else {
            const spill = n - free;
            const full = (outAcc << free) | (word >>> spill);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              out[length] = full >>> 24; out[length + 1] = full >>> 16; out[length + 2] = full >>> 8; out[length + 3] = full; length += 4;
            } else length = writeStuffed(out, length, full);
            outAcc = word;
            free = 32 - spill;
          }
        }
      }
    }
  }
  settleInto(writer, out, length, outAcc, free);
  return null;
}
