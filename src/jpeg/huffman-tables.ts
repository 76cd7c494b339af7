/**
 * Huffman tables of the entropy coder (T.81 Annex C) as a frame's DHT segment defines them: a
 * lookup by the next {@link FAST_BITS} bits for the short code words that make up nearly all of
 * a scan, libjpeg's canonical-code search for the long ones, and the code words for encoding.
 * Pure.
 */
import type { HuffmanSpec } from './baseline-jpeg.js';

/** Bits the {@link HuffmanTable.fast} lookup is indexed by. */
export const FAST_BITS = 10;

/** Coefficient step of an end of block in {@link HuffmanTable.acSkip}. */
export const END_OF_BLOCK_STEP = 128;

/** Run of an end of block in {@link HuffmanTable.acValue}. */
export const END_OF_BLOCK_RUN = 0x7f;

/** Code words for encoding: `codes[symbol]` of `lengths[symbol]` bits (0: the table lacks it). */
export interface HuffmanCodes {
  readonly codes: Uint16Array;
  readonly lengths: Uint8Array;
}

/** A table's decoder and encoder. */
export interface HuffmanTable {
  /**
   * By the next {@link FAST_BITS} bits of the stream: `(codeLength << 8) | symbol` when a code
   * word that short starts there, else 0 (a longer code word: {@link decodeLong}).
   */
  readonly fast: Uint16Array;
  /**
   * For walking AC coefficients without their values, by the next {@link FAST_BITS} bits:
   * `(bits << 8) | step`, where `bits` counts the code word and the value bits (at most
   * {@link FAST_BITS} together) and `step` is how far the coefficient index moves (`run + 1`;
   * 16 for ZRL; {@link END_OF_BLOCK_STEP} for an end of block); 0 when they do not fit.
   */
  readonly acSkip: Uint16Array;
  /**
   * For decoding AC coefficients with their values, by the next {@link FAST_BITS} bits:
   * `(value << 16) | (run << 8) | bits`, where `bits` counts the code word and the value bits (at
   * most {@link FAST_BITS} together), `run` the zeros before the coefficient and `value` its
   * signed value; a ZRL is run 15 of value 0, an end of block run {@link END_OF_BLOCK_RUN}. 0
   * when they do not fit.
   */
  readonly acValue: Int32Array;
  /** The largest code word of each length 1..16 (-1: none), and where its symbols start. */
  readonly maxCode: Int32Array;
  readonly symbolOffset: Int32Array;
  readonly symbols: Uint8Array;
  readonly encode: HuffmanCodes;
}

const built = new WeakMap<HuffmanSpec, HuffmanTable | null>();
/** Tables by their DHT bytes: frames of one encoder (and every band sharp encodes) share them. */
const byContent = new Map<string, HuffmanTable | null>();
const BY_CONTENT_LIMIT = 64;

/**
 * The table for `spec`, or null when its code counts overflow the code space (a corrupt DHT).
 * Built once per spec (a splice asks for a frame's tables at every step) and once per content
 * while it is among the last {@link BY_CONTENT_LIMIT} distinct ones.
 */
export function huffmanTable(spec: HuffmanSpec): HuffmanTable | null {
  let table = built.get(spec);
  if (table === undefined) {
    const key = String.fromCharCode(...spec.counts, ...spec.symbols);
    table = byContent.get(key);
    if (table === undefined) {
      table = buildTable(spec);
      if (byContent.size >= BY_CONTENT_LIMIT) byContent.clear();
      byContent.set(key, table);
    }
    built.set(spec, table);
  }
  return table;
}

function buildTable(spec: HuffmanSpec): HuffmanTable | null {
  const fast = new Uint16Array(1 << FAST_BITS);
  const acSkip = new Uint16Array(1 << FAST_BITS);
  const acValue = new Int32Array(1 << FAST_BITS);
  const maxCode = new Int32Array(18).fill(-1);
  const symbolOffset = new Int32Array(18);
  const codes = new Uint16Array(256);
  const lengths = new Uint8Array(256);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length += 1) {
    const count = spec.counts[length - 1] ?? 0;
    symbolOffset[length] = index - code;
    for (let i = 0; i < count; i += 1) {
      const symbol = spec.symbols[index] ?? 0;
      // A symbol listed twice keeps its first (shortest) code word.
      if (lengths[symbol] === 0) {
        codes[symbol] = code;
        lengths[symbol] = length;
      }
      if (length <= FAST_BITS) {
        const first = code << (FAST_BITS - length);
        const end = first + (1 << (FAST_BITS - length));
        fast.fill((length << 8) | symbol, first, end);
        const size = symbol & 15;
        if (length + size <= FAST_BITS) {
          const step = size > 0 ? (symbol >> 4) + 1 : symbol === 0xf0 ? 16 : END_OF_BLOCK_STEP;
          acSkip.fill(((length + size) << 8) | step, first, end);
          fillAcValue(acValue, first, end, symbol, length);
        }
      }
      code += 1;
      index += 1;
    }
    if (count > 0) maxCode[length] = code - 1;
    // As libjpeg: the all-ones word of a length is never a code word (T.81 C.2).
    if (code >= 1 << length && count > 0) return null;
    code <<= 1;
  }
  // A copy: the table may outlive the frame whose DHT segment `spec` views.
  return { fast, acSkip, acValue, maxCode, symbolOffset, symbols: spec.symbols.slice(), encode: { codes, lengths } };
}

/** Fills {@link HuffmanTable.acValue} for `symbol`'s code word of `length` bits, indices [first, end). */
function fillAcValue(acValue: Int32Array, first: number, end: number, symbol: number, length: number): void {
  const size = symbol & 15;
  if (size === 0) {
    acValue.fill(symbol === 0xf0 ? (15 << 8) | length : (END_OF_BLOCK_RUN << 8) | length, first, end);
    return;
  }
  const run = symbol >> 4;
  for (let index = first; index < end; index += 1) {
    const raw = (index >> (FAST_BITS - length - size)) & ((1 << size) - 1);
    const value = raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw;
    acValue[index] = (value << 16) | (run << 8) | (length + size);
  }
}

/**
 * Decodes a code word longer than {@link FAST_BITS} from `peek16`, the next 16 bits of the stream:
 * `(codeLength << 8) | symbol`, or 0 when none starts there (T.81 F.2.2.3, as libjpeg does it).
 */
export function decodeLong(table: HuffmanTable, peek16: number): number {
  for (let length = FAST_BITS + 1; length <= 16; length += 1) {
    const code = peek16 >>> (16 - length);
    if (code <= (table.maxCode[length] ?? -1)) return (length << 8) | (table.symbols[(table.symbolOffset[length] ?? 0) + code] ?? 0);
  }
  return 0;
}
