/** Writes a file so that it is either absent or complete: write a temporary, then rename over. */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Atomically replaces `path` with `content`. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true }); // never leave a partial file behind
    throw error;
  }
}
