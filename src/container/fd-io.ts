/**
 * Creating, writing and closing a file, as the recording sinks (plain and encrypted) do them: the
 * whole buffer is written, and a failure is a one-line runtime fault naming the file and byte.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
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
  let done = 0;
  try {
    // writeSync may write less than asked; loop until the whole buffer is on its way.
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
  } catch (error) {
    throw BodycamError.runtime(`cannot write ${path} at byte ${offset + done}: ${(error as Error).message}`, error, { file: path });
  }
}

/** Closes `fd` (`path` names it in errors). */
export function closeFile(fd: number, path: string): void {
  try {
    closeSync(fd);
  } catch (error) {
    throw BodycamError.runtime(`cannot close ${path}: ${(error as Error).message}`, error, { file: path });
  }
}
