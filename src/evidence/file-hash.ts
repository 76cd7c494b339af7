/** Synchronous file hashing and size, read in 1 MiB blocks (the I/O edge). */
import { createHash } from 'node:crypto';
import { closeInput, openInput, readOpenInput } from '../io/index.js';

/**
 * Hex SHA-256 and size of the file at `path`: a regular file (a FIFO or device is refused with a
 * bad-input error, never read), hashed up to the size it had when opened.
 */
export function hashFileSync(path: string): { readonly sha256: string; readonly bytes: number } {
  const hash = createHash('sha256');
  const block = new Uint8Array(1 << 20);
  const input = openInput(path, { what: 'a recording file', maxBytes: Number.MAX_SAFE_INTEGER });
  let bytes = 0;
  try {
    for (;;) {
      const n = readOpenInput(input, block, bytes);
      if (n === 0) break;
      hash.update(block.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeInput(input);
  }
  return { sha256: hash.digest('hex'), bytes };
}
