/**
 * Reusable shared buffers that carry frames to the splice workers and their results back
 * (block-burn-in-pool.ts). A new ArrayBuffer per frame each way cost the replay's isolate and the
 * workers' their garbage collections: buffers that outlive a young-generation collection are
 * freed only by a full one, and V8 counts their bytes against the old generation's limit, so a
 * stream of 100 KB frames set off a Mark-Compact every few megabytes (docs/performance.md, issue
 * 20). A slot is a SharedArrayBuffer: both threads see the same memory, nothing is copied or
 * moved by posting it, and V8 does not count shared memory towards that limit.
 *
 * A slot is in exactly one of three hands: on the free list; taken (the frame is on its way to a
 * worker, or the worker's result is on its way back); or lent (its bytes are an encoded frame the
 * caller still reads). It goes back to the free list only when the worker has answered and, if
 * it holds the result, when the caller releases it. A slot a failed worker may still write into
 * is dropped, never reused. A lent slot never released (a caller that does not know about
 * releasing) is simply not reused: when its view is collected, its bytes stop counting.
 */

import { reusableSize, takeFitting } from '../buffer/free-list.js';

/** A pool of shared buffers of at most `maxBytes` in all (see the module's comment). */
export class FrameSlots {
  private readonly free: SharedArrayBuffer[] = [];
  private madeBytes = 0;
  private readonly unreleased = new FinalizationRegistry<number>((bytes) => {
    this.madeBytes -= bytes;
  });

  /** @param maxBytes bytes of slots at most (free, taken and lent); beyond it {@link take} says no */
  constructor(readonly maxBytes: number) {}

  /** Bytes of the slots that exist (free, taken or lent). */
  get bytes(): number {
    return this.madeBytes;
  }

  /** Slots on the free list. */
  get freeCount(): number {
    return this.free.length;
  }

  /**
   * A slot of at least `bytes` (the most recently freed that fits, else a new one), or null when a
   * new one would pass `maxBytes`: the caller then does without.
   */
  take(bytes: number): SharedArrayBuffer | null {
    const reused = takeFitting(this.free, bytes);
    if (reused !== undefined) return reused;
    const size = reusableSize(bytes);
    // Free slots too small for this frame make way for one that fits.
    while (this.madeBytes + size > this.maxBytes && this.free.length > 0) this.madeBytes -= (this.free.shift() as SharedArrayBuffer).byteLength;
    if (size === 0 || this.madeBytes + size > this.maxBytes) return null;
    this.madeBytes += size;
    return new SharedArrayBuffer(size);
  }

  /** Back on the free list: nothing reads or writes `slot` any more. */
  give(slot: SharedArrayBuffer): void {
    this.free.push(slot);
  }

  /** Never used again: a worker that failed may still be running and write into `slot`. */
  drop(slot: SharedArrayBuffer): void {
    this.madeBytes -= slot.byteLength;
  }

  /**
   * Lends `slot` to the caller as `view` (bytes in it): the returned function gives it back once
   * the caller no longer reads `view`. Calling it twice gives it back once.
   */
  lend(slot: SharedArrayBuffer, view: Uint8Array): () => void {
    const token = {};
    this.unreleased.register(view, slot.byteLength, token);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.unreleased.unregister(token);
      this.give(slot);
    };
  }
}
