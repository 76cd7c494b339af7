/**
 * The storage's write speed in virtual time. A recording drains its reader through one of these:
 * an entry's write starts no earlier than it was pushed, than the reader was opened (the trigger),
 * and than the previous write's end, and takes `ceil(bytes * 1e6 / bytesPerSecond)` µs. What is not written yet stays pinned in the
 * buffer, so a slow card shows up as pins and, at worst, as counted drops, never as lost frames.
 */
import { assertArgument } from '../errors/index.js';
import type { BufferReader } from './buffer-reader.js';
import type { BufferEntry } from './buffer-types.js';
import { assertIntegerUs } from './entry-validation.js';

/** An SD card's sustained write speed, the device profile's default (20 MB/s). */
export const DEFAULT_STORAGE_BYTES_PER_SECOND = 20_000_000;

/** What the write callback answers: keep draining, or stop after this entry. */
export type DrainVerdict = 'continue' | 'stop';

/** Options of {@link StorageDrain.drainUntil} and {@link StorageDrain.backlogDoneUs}. */
export interface DrainOptions {
  /** Entries the recording does not want: consumed without being written, costing no time. */
  readonly skip?: (entry: BufferEntry) => boolean;
  /** Called (by {@link StorageDrain.drainUntil} only) with each skipped entry as it is consumed. */
  readonly onSkipped?: (entry: BufferEntry) => void;
}

/** Virtual-time model of the storage write speed. */
export class StorageDrain {
  readonly bytesPerSecond: number;
  private writeEndUs = -Infinity;

  constructor(options: { readonly bytesPerSecond?: number } = {}) {
    const rate = options.bytesPerSecond ?? DEFAULT_STORAGE_BYTES_PER_SECOND;
    assertArgument(Number.isFinite(rate) && rate > 0, 'StorageDrain: bytesPerSecond', 'a positive number of bytes per second', rate);
    this.bytesPerSecond = rate;
  }

  /** When the last write finished (-Infinity before the first). */
  get busyUntilUs(): number {
    return this.writeEndUs;
  }

  /** How long writing `bytes` takes, in whole µs (rounded up). */
  writeDurationUs(bytes: number): number {
    return Math.ceil((bytes * 1_000_000) / this.bytesPerSecond);
  }

  /**
   * Writes (consumes) the entries of `reader`, in order, whose write completes by `nowUs`, calling
   * `onWritten` with each and the instant its write completed. The entry is a view that stays valid
   * during the callback. Stops early when the callback answers 'stop' (that entry is consumed).
   * Returns the number of entries written (skipped ones not counted).
   */
  drainUntil(
    reader: BufferReader,
    nowUs: number,
    onWritten: (entry: BufferEntry, writtenUs: number) => DrainVerdict,
    options: DrainOptions = {},
  ): number {
    assertIntegerUs(nowUs, 'drainUntil: nowUs');
    let written = 0;
    for (let entry = reader.peek(); entry !== undefined; entry = reader.peek()) {
      if (options.skip?.(entry) === true) {
        options.onSkipped?.(entry);
        reader.advance();
        continue;
      }
      const endUs = Math.max(entry.pushedUs, reader.openedUs, this.writeEndUs) + this.writeDurationUs(entry.payload.byteLength);
      if (endUs > nowUs) break;
      this.writeEndUs = endUs;
      written += 1;
      const verdict = onWritten(entry, endUs);
      if (!reader.closed) reader.advance();
      if (verdict === 'stop') break;
    }
    return written;
  }

  /** When everything `reader` can read now would be written (`nowUs` if nothing is pending). Consumes nothing. */
  backlogDoneUs(reader: BufferReader, nowUs: number, options: DrainOptions = {}): number {
    assertIntegerUs(nowUs, 'backlogDoneUs: nowUs');
    let endUs = Math.max(nowUs, this.writeEndUs);
    let busyUs = this.writeEndUs;
    for (let index = 0, entry = reader.peekAt(0); entry !== undefined; index += 1, entry = reader.peekAt(index)) {
      if (options.skip?.(entry) === true) continue;
      busyUs = Math.max(entry.pushedUs, reader.openedUs, busyUs) + this.writeDurationUs(entry.payload.byteLength);
      endUs = Math.max(endUs, busyUs);
    }
    return endUs;
  }
}
