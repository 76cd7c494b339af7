/**
 * The entropy-coded data of a scan with its byte stuffing and restart markers taken out, so the
 * Huffman decoder reads plain bits; and the way back from a position in those bits to the byte of
 * the file. Pure.
 */

/** A scan's entropy-coded bits, unstuffed. */
export interface EntropyData {
  /** The bytes (0xFF 0x00 pairs as one 0xFF, restart markers removed), then at least 4 zero bytes. */
  readonly bytes: Uint8Array;
  /** How many of {@link bytes} are data. */
  readonly length: number;
  /** Where each restart marker stood: the data length before it, and its number (0..7). */
  readonly restartAt: readonly number[];
  readonly restartNumber: readonly number[];
  /** Offset in the file of the marker that ended the scan (normally the end-of-image marker). */
  readonly endMarkerOffset: number;
  /** The file offset of data byte `index`. */
  fileOffsetOf(index: number): number;
}

/**
 * Unstuffs the data from `start` to the first marker that is not a restart marker. Returns null
 * when the file ends first. `into`, when it is large enough (the rest of the file and 8 bytes),
 * receives the bytes instead of a new buffer (a caller that unstuffs frame after frame reuses
 * one); the result then holds it until the caller reuses it.
 */
export function readEntropyData(file: Uint8Array, start: number, into?: Uint8Array): EntropyData | null {
  const needed = Math.max(0, file.length - start) + 8;
  const out = into !== undefined && into.length >= needed ? into : new Uint8Array(needed);
  // Removed bytes (stuffing zeros, restart markers), by the data length at the time they were removed.
  const removedAt: number[] = [];
  const restartAt: number[] = [];
  const restartNumber: number[] = [];
  let length = 0;
  let at = start;
  for (;;) {
    const ff = file.indexOf(0xff, at);
    if (ff < 0 || ff + 1 >= file.length) return null;
    out.set(file.subarray(at, ff), length);
    length += ff - at;
    const next = file[ff + 1] ?? 0;
    if (next === 0x00) {
      out[length++] = 0xff;
      removedAt.push(length);
      at = ff + 2;
    } else if (next >= 0xd0 && next <= 0xd7) {
      restartAt.push(length);
      restartNumber.push(next - 0xd0);
      removedAt.push(length, length);
      at = ff + 2;
    } else if (next === 0xff) {
      // Fill bytes may only pad a marker: 0xFF 0xFF 0x00 is no stuffed byte libjpeg would read.
      let run = ff + 1;
      while (file[run] === 0xff) run += 1;
      if (run >= file.length || file[run] === 0x00) return null;
      for (let fill = ff; fill < run - 1; fill += 1) removedAt.push(length);
      at = run - 1;
    } else {
      out.fill(0, length, length + 8);
      return {
        bytes: out,
        length,
        restartAt,
        restartNumber,
        endMarkerOffset: ff,
        fileOffsetOf(index: number): number {
          let removed = 0;
          while (removed < removedAt.length && (removedAt[removed] ?? 0) <= index) removed += 1;
          return start + index + removed;
        },
      };
    }
  }
}
