/** Synchronous file hashing and size, read in 1 MiB blocks (the I/O edge). */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** Hex SHA-256 and size of the file at `path`. */
export function hashFileSync(path: string): { readonly sha256: string; readonly bytes: number } {
  const hash = createHash('sha256');
  const block = new Uint8Array(1 << 20);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      hash.update(block.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}
