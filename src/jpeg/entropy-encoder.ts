/**
 * Huffman encoding of quantised blocks into entropy-coded bytes (T.81 F.1.2), with byte stuffing
 * and restart markers. Pure.
 */
import { BLOCK_SIZE } from './entropy-decoder.js';
import type { HuffmanCodes } from './huffman-tables.js';

const ZRL = 0xf0;
const EOB = 0x00;

/** Size category of a coefficient value (bits needed for its magnitude). */
function sizeOf(value: number): number {
  return value === 0 ? 0 : 32 - Math.clz32(value < 0 ? -value : value);
}

/** Told of a symbol a table has no code word for. */
export type MissingSymbol = (isAc: boolean, symbol: number) => void;

/**
 * A writer's state for a caller's own coding loop: `bytes[0, length)` written, and `pending` (< 8)
 * bits waiting in the low bits of `accumulator`.
 */
export interface WriterState {
  bytes: Uint8Array;
  length: number;
  accumulator: number;
  pending: number;
}

/** Writes entropy-coded bits into a growing byte buffer. */
export class EntropyWriter {
  private bytes: Uint8Array;
  private length = 0;
  private accumulator = 0;
  private pending = 0;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Appends the low `count` bits of `bits` (count ≤ 24), most significant first. */
  put(bits: number, count: number): void {
    // At most 4 bytes come out, each maybe stuffed: room for 8 is checked once.
    if (this.length + 8 > this.bytes.length) this.reserve(8);
    const bytes = this.bytes;
    let accumulator = (this.accumulator << count) | (bits & ((1 << count) - 1));
    let pending = this.pending + count;
    let length = this.length;
    while (pending >= 8) {
      pending -= 8;
      const byte = (accumulator >>> pending) & 0xff;
      bytes[length++] = byte;
      if (byte === 0xff) bytes[length++] = 0;
    }
    this.accumulator = accumulator & ((1 << pending) - 1);
    this.pending = pending;
    this.length = length;
  }

  /**
   * Appends bits [from, to) of unstuffed entropy data `data` (which has at least 3 readable bytes
   * after bit `to`), stuffing as it goes.
   */
  copyBits(data: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    // Three bytes a step with the accumulator in locals: a frame's whole scan can pass through here.
    let bit = from;
    const shift = 8 - (bit & 7);
    const triples = Math.floor((to - bit) / 24);
    this.reserve(triples * 6 + 16);
    const bytes = this.bytes;
    let length = this.length;
    let accumulator = this.accumulator;
    const pending = this.pending;
    let i = bit >>> 3;
    for (let n = 0; n < triples; n += 1, i += 3) {
      const next = ((((data[i] ?? 0) << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0)) >>> shift) & 0xffffff;
      // `pending` (< 8) bits and 24 new ones: 31 at most.
      accumulator = (accumulator << 24) | next;
      let byte = (accumulator >>> (pending + 16)) & 0xff;
      bytes[length++] = byte;
      if (byte === 0xff) bytes[length++] = 0;
      byte = (accumulator >>> (pending + 8)) & 0xff;
      bytes[length++] = byte;
      if (byte === 0xff) bytes[length++] = 0;
      byte = (accumulator >>> pending) & 0xff;
      bytes[length++] = byte;
      if (byte === 0xff) bytes[length++] = 0;
      accumulator &= (1 << pending) - 1;
    }
    this.length = length;
    this.accumulator = accumulator;
    bit += triples * 24;
    while (to - bit >= 16) {
      const j = bit >>> 3;
      this.put(((((data[j] ?? 0) << 16) | ((data[j + 1] ?? 0) << 8) | (data[j + 2] ?? 0)) >>> (8 - (bit & 7))) & 0xffff, 16);
      bit += 16;
    }
    if (to > bit) {
      const j = bit >>> 3;
      const word = ((((data[j] ?? 0) << 16) | ((data[j + 1] ?? 0) << 8) | (data[j + 2] ?? 0)) >>> (8 - (bit & 7))) & 0xffff;
      this.put(word >>> (16 - (to - bit)), to - bit);
    }
  }

  /**
   * For a caller's own coding loop, which keeps the writer's state in locals: the buffer with
   * room for `extra` more bytes, and the state. Hand the state back with {@link settle} before
   * any other call.
   */
  lend(extra: number): WriterState {
    this.reserve(extra);
    return { bytes: this.bytes, length: this.length, accumulator: this.accumulator, pending: this.pending };
  }

  /** Takes back the state a caller's loop left (see {@link lend}); its buffer must be the lent one. */
  settle(state: WriterState): void {
    if (state.bytes !== this.bytes || state.length > this.bytes.length) throw new Error('EntropyWriter.settle: not the lent buffer');
    this.length = state.length;
    this.accumulator = state.accumulator;
    this.pending = state.pending;
  }

  /** Appends bytes already entropy-coded (stuffed); only at a byte boundary. */
  raw(bytes: Uint8Array): void {
    if (this.pending !== 0) throw new Error('EntropyWriter.raw: expected a byte boundary');
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Fills the last byte with 1 bits, as T.81 F.1.2.3 asks before a marker. */
  padToByte(): void {
    if (this.pending > 0) this.put(0xff, 8 - this.pending);
  }

  /** Pads, then writes a marker (0xFF `code`, not stuffed). */
  marker(code: number): void {
    this.padToByte();
    this.pushByte(0xff);
    this.pushByte(code);
  }

  /**
   * Encodes one block: its DC difference from the predictor, then its AC run lengths. A symbol
   * without a code word is passed to `onMissing` (and nothing written for it) when given; the
   * result is false when any was missing.
   */
  block(coefficients: Int16Array, base: number, dcDifference: number, dc: HuffmanCodes, ac: HuffmanCodes, onMissing?: MissingSymbol): boolean {
    return this.walkBlock(coefficients, base, dcDifference, dc, ac, onMissing, true);
  }

  /** As {@link block}, writing nothing: only tells `onMissing` of the symbols the tables lack. */
  checkBlock(coefficients: Int16Array, base: number, dcDifference: number, dc: HuffmanCodes, ac: HuffmanCodes, onMissing: MissingSymbol): boolean {
    return this.walkBlock(coefficients, base, dcDifference, dc, ac, onMissing, false);
  }

  private walkBlock(coefficients: Int16Array, base: number, dcDifference: number, dc: HuffmanCodes, ac: HuffmanCodes, onMissing: MissingSymbol | undefined, write: boolean): boolean {
    let complete = true;
    const dcSize = sizeOf(dcDifference);
    if (dcSize > 11) return false;
    if (this.symbol(dc, dcSize, dcDifference < 0 ? dcDifference + (1 << dcSize) - 1 : dcDifference, dcSize, write)) {
      complete = false;
      if (onMissing === undefined) return false;
      onMissing(false, dcSize);
    }
    let run = 0;
    for (let k = 1; k < BLOCK_SIZE; k += 1) {
      const value = coefficients[base + k] ?? 0;
      if (value === 0) {
        run += 1;
        continue;
      }
      for (; run > 15; run -= 16) {
        if (this.symbol(ac, ZRL, 0, 0, write)) {
          complete = false;
          if (onMissing === undefined) return false;
          onMissing(true, ZRL);
        }
      }
      const size = sizeOf(value);
      if (size > 10) return false;
      const symbol = (run << 4) | size;
      if (this.symbol(ac, symbol, value < 0 ? value + (1 << size) - 1 : value, size, write)) {
        complete = false;
        if (onMissing === undefined) return false;
        onMissing(true, symbol);
      }
      run = 0;
    }
    if (run > 0 && this.symbol(ac, EOB, 0, 0, write)) {
      complete = false;
      onMissing?.(true, EOB);
    }
    return complete;
  }

  /** Writes `symbol`'s code word and `size` value bits (if `write`); true when the table has no code word for it. */
  private symbol(table: HuffmanCodes, symbol: number, value: number, size: number, write: boolean): boolean {
    const length = table.lengths[symbol] ?? 0;
    if (length === 0) return true;
    if (!write) return false;
    const code = table.codes[symbol] ?? 0;
    if (length + size <= 24) {
      this.put((code << size) | value, length + size);
    } else {
      this.put(code, length);
      this.put(value, size);
    }
    return false;
  }

  /** The bytes written so far (a view; pad first for a complete scan). */
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private pushByte(byte: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length] = byte;
    this.length += 1;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}
