/**
 * Buffers a replay reads its frames into and reuses once each frame is delivered. A new buffer
 * per frame (readFileSync's way) was ~100 KB of ArrayBuffer garbage a 720p frame on the main
 * isolate: each lives until its frame is delivered, long enough to outlive a young-generation
 * collection, so only Mark-Compacts freed them (docs/performance.md, issue 20). Each frame also
 * page-faulted its fresh memory in. A buffer goes back only after its frame's packet was copied
 * into the pre-record buffer, so no frame in flight or waiting for its turn shares one. Pure.
 */
import { reusableSize, takeFitting } from '../buffer/free-list.js';

/** A free list of byte buffers holding at most `maxFreeBytes` (see the module's comment). */
export class ReusableBuffers {
  private readonly free: Uint8Array[] = [];
  private freeBytes = 0;

  /** @param maxFreeBytes bytes kept on the free list at most; a buffer given back beyond it is left to the collector */
  constructor(readonly maxFreeBytes: number) {}

  /** Buffers on the free list. */
  get freeCount(): number {
    return this.free.length;
  }

  /** A buffer of at least `bytes`, not in anyone else's hands: the most recently given back that fits, else a new one. */
  take(bytes: number): Uint8Array {
    const reused = takeFitting(this.free, bytes);
    if (reused === undefined) return new Uint8Array(reusableSize(bytes));
    this.freeBytes -= reused.byteLength;
    return reused;
  }

  /** `buffer` (from {@link take}) is no longer read by anyone: it may be handed out again. */
  give(buffer: Uint8Array): void {
    if (this.freeBytes + buffer.byteLength > this.maxFreeBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.byteLength;
  }
}
