/**
 * Creating, writing and closing a file, as the recording sinks (plain and encrypted) do them: the
 * whole buffer is written, and a failure is a one-line runtime fault naming the file and byte.
 */
import { closeSync, openSync, writevSync } from 'node:fs';
import { BodycamError } from '../errors/index.js';

/** Creates the file at `path` for writing: refuses an existing one unless `overwrite` (then truncates it). */
export function createFile(path: string, overwrite: boolean): number {
  try {
    return openSync(path, overwrite ? 'w' : 'wx');
  } catch (error) {
    throw BodycamError.runtime(`cannot create ${path}: ${(error as Error).message}`, error, { file: path });
  }
}

/** Writes all of `bytes` at `offset` of the file open as `fd` (`path` names it in errors). */
export function writeAllAt(fd: number, path: string, offset: number, bytes: Uint8Array): void {
  writePartsAt(fd, path, offset, [bytes]);
}

/** The most buffers one `writev` takes (Linux's IOV_MAX). */
const MAX_IOVECS = 1024;

/**
 * Writes `parts` back to back at `offset` with positional `writev`, and returns the bytes
 * written (all of them). A short write continues from the byte where it stopped.
 */
export function writePartsAt(fd: number, path: string, offset: number, parts: readonly Uint8Array[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  let done = 0;
  let index = 0;
  let skip = 0; // bytes of parts[index] already written
  try {
    while (done < total) {
      const batch: Uint8Array[] = [];
      for (let i = index; i < parts.length && batch.length < MAX_IOVECS; i += 1) {
        const part = parts[i] as Uint8Array;
        const view = i === index ? part.subarray(skip) : part;
        if (view.length > 0) batch.push(view);
      }
      let written = writevSync(fd, batch, offset + done);
      if (written === 0) throw new Error('the system wrote 0 bytes');
      done += written;
      // Advance (index, skip) past the bytes just written.
      while (index < parts.length) {
        const left = (parts[index] as Uint8Array).length - skip;
        if (written < left) {
          skip += written;
          break;
        }
        written -= left;
        index += 1;
        skip = 0;
      }
    }
  } catch (error) {
    throw BodycamError.runtime(`cannot write ${path} at byte ${offset + done}: ${(error as Error).message}`, error, { file: path });
  }
  return total;
}

/** Closes `fd` (`path` names it in errors). */
export function closeFile(fd: number, path: string): void {
  try {
    closeSync(fd);
  } catch (error) {
    throw BodycamError.runtime(`cannot close ${path}: ${(error as Error).message}`, error, { file: path });
  }
}
