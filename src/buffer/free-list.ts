/**
 * What the two free lists of per-frame buffers share (the replay's read buffers,
 * src/sim/reusable-buffers.ts; the splice workers' shared slots, src/encoder/frame-slots.ts): the
 * size a new buffer is made with, and the choice of a freed one to hand out again. Pure.
 */

/** Sizes go up in steps of this, with a quarter's headroom, so a slightly larger frame still fits. */
const STEP_BYTES = 64 * 1024;

/** The size to make a reusable buffer that must hold `bytes`. */
export function reusableSize(bytes: number): number {
  return Math.ceil((bytes * 1.25) / STEP_BYTES) * STEP_BYTES;
}

/** Takes out of `free` the most recently freed buffer that holds `bytes` (the likeliest still in cache); undefined when none does. */
export function takeFitting<T extends { readonly byteLength: number }>(free: T[], bytes: number): T | undefined {
  for (let i = free.length - 1; i >= 0; i -= 1) {
    const buffer = free[i] as T;
    if (buffer.byteLength >= bytes) {
      free.splice(i, 1);
      return buffer;
    }
  }
  return undefined;
}
