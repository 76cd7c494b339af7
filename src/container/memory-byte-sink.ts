/**
 * A growable in-memory {@link ByteSink}: pure, for tests, repair and anything that wants the
 * bytes of a whole file. Capacity doubles, so appending n bytes costs O(n) overall.
 */
import { assertArgument } from '../errors/index.js';
import type { ByteSink } from './byte-sink.js';

/** An in-memory byte sink. */
export class MemoryByteSink implements ByteSink {
  private buffer: Uint8Array;
  private length = 0;

  /** @param initialCapacityBytes first allocation; grows by doubling */
  constructor(initialCapacityBytes = 64 * 1024) {
    assertArgument(Number.isSafeInteger(initialCapacityBytes) && initialCapacityBytes >= 0, 'initialCapacityBytes',
      'a non-negative integer', initialCapacityBytes);
    this.buffer = new Uint8Array(initialCapacityBytes);
  }

  /** Bytes written so far. */
  get position(): number {
    return this.length;
  }

  /** Appends `bytes`. */
  write(bytes: Uint8Array): void {
    const needed = this.length + bytes.length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2, 1024));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length = needed;
  }

  /** Appends `parts` back to back. */
  writeParts(parts: readonly Uint8Array[]): void {
    for (const part of parts) this.write(part);
  }

  /** Overwrites already-written bytes at `offset`. */
  patch(offset: number, bytes: Uint8Array): void {
    assertArgument(Number.isSafeInteger(offset) && offset >= 0 && offset + bytes.length <= this.length, 'offset',
      `a range inside the ${this.length} bytes written`, offset);
    this.buffer.set(bytes, offset);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** A view of the bytes written so far, without copying; later writes may invalidate it. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
