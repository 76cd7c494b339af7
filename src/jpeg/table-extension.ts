/**
 * Giving code words to symbols a Huffman table lacks while changing as few of its code words as
 * possible. An encoder that optimises its tables (libjpeg's `optimize_coding`, ffmpeg's default)
 * leaves out the symbols a frame never uses; a block drawn anew may need one. Canonical codes
 * (T.81 C.2) are assigned in order of length, so symbols appended at 16 bits leave every code
 * word before them as it was, as long as the 16-bit code space has room (the all-ones word is
 * never used). When it has none, the last symbols of the longest lengths below 16 move to 16 bits:
 * that frees code space, and changes the code words of those symbols and of every longer one,
 * which are the rarest of the table. Pure.
 */
import type { HuffmanSpec } from './baseline-jpeg.js';
import { huffmanTable } from './huffman-tables.js';

/** A table with symbols added. */
export interface ExtendedTable {
  readonly spec: HuffmanSpec;
  /** `changed[symbol]` is 1 for the table's own symbols whose code word is no longer what it was. */
  readonly changed: Uint8Array;
  /** The old length of the shortest code word that changed; 17 when none did. */
  readonly shortestChanged: number;
}

const MAX_CODE_BITS = 16;

/** `spec` with `added` (symbols it lacks) given 16-bit code words, or null when 256 symbols would not fit. */
export function extendTable(spec: HuffmanSpec, added: readonly number[]): ExtendedTable | null {
  const byLength: number[][] = [[]];
  let index = 0;
  for (let length = 1; length <= MAX_CODE_BITS; length += 1) {
    const count = spec.counts[length - 1] ?? 0;
    byLength.push(Array.from(spec.symbols.subarray(index, index + count)));
    index += count;
  }
  if (index + added.length > 256) return null;
  let used = 0;
  for (let length = 1; length <= MAX_CODE_BITS; length += 1) used += (byLength[length]?.length ?? 0) * 2 ** (MAX_CODE_BITS - length);
  let free = 2 ** MAX_CODE_BITS - 1 - used;
  const moved: number[] = [];
  while (free < added.length) {
    let length = MAX_CODE_BITS - 1;
    while (length >= 1 && (byLength[length]?.length ?? 0) === 0) length -= 1;
    const symbol = byLength[length]?.pop();
    if (symbol === undefined) return null;
    moved.push(symbol);
    free += 2 ** (MAX_CODE_BITS - length) - 1;
  }
  byLength[MAX_CODE_BITS] = [...moved.reverse(), ...(byLength[MAX_CODE_BITS] ?? []), ...added];
  const counts = new Uint8Array(16);
  const symbols: number[] = [];
  for (let length = 1; length <= MAX_CODE_BITS; length += 1) {
    const group = byLength[length] ?? [];
    counts[length - 1] = group.length;
    symbols.push(...group);
  }
  const extended = { counts, symbols: Uint8Array.from(symbols) };
  const before = huffmanTable(spec);
  const after = huffmanTable(extended);
  if (before === null || after === null) return null;
  const changed = new Uint8Array(256);
  let shortestChanged = MAX_CODE_BITS + 1;
  for (const symbol of spec.symbols) {
    const length = before.encode.lengths[symbol] ?? 0;
    if (length !== after.encode.lengths[symbol] || before.encode.codes[symbol] !== after.encode.codes[symbol]) {
      changed[symbol] = 1;
      shortestChanged = Math.min(shortestChanged, length);
    }
  }
  return { spec: extended, changed, shortestChanged };
}

/** A DHT segment (marker included) holding `tables`, each as `(isAc << 4) | id` with its spec. */
export function dhtSegment(tables: ReadonlyMap<number, HuffmanSpec>): Uint8Array {
  let length = 2;
  for (const spec of tables.values()) length += 17 + spec.symbols.length;
  const out = new Uint8Array(2 + length);
  out.set([0xff, 0xc4, length >> 8, length & 0xff]);
  let at = 4;
  for (const [key, spec] of tables) {
    out[at] = key;
    out.set(spec.counts.subarray(0, 16), at + 1);
    out.set(spec.symbols, at + 17);
    at += 17 + spec.symbols.length;
  }
  return out;
}
