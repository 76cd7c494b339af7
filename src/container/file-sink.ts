/**
 * The I/O edge of the container layer: a {@link ByteSink} over a file descriptor. Appends are
 * positional writes at `position`; `patch` rewrites earlier bytes in place. The writer hands it
 * one whole cluster (~3 MB for 1 s of 100 KB frames at 30 fps) per `writev`, so there is no buffering here.
 */
import { fdatasyncSync, ftruncateSync } from 'node:fs';
import { BodycamError, assertArgument } from '../errors/index.js';
import type { ByteSink } from './byte-sink.js';
import { closeFile, createFile, writeAllAt, writePartsAt } from './fd-io.js';

/** Options of {@link FileByteSink.create}. */
export interface FileByteSinkOptions {
  /** Replace an existing file (default false: refuse to clobber a recording). */
  readonly overwrite?: boolean;
}

/** A byte sink writing to a file. Call {@link FileByteSink.close} when done. */
export class FileByteSink implements ByteSink {
  private fd: number | null;
  private written = 0;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** Creates (or, with `overwrite`, truncates) the file at `path`. */
  static create(path: string, options: FileByteSinkOptions = {}): FileByteSink {
    return new FileByteSink(path, createFile(path, options.overwrite === true));
  }

  /** Bytes written so far. */
  get position(): number {
    return this.written;
  }

  /** Appends `bytes` at `position`. */
  write(bytes: Uint8Array): void {
    const fd = this.openFd();
    try {
      writeAllAt(fd, this.path, this.written, bytes);
    } catch (error) {
      this.dropPartialWrite(fd);
      throw error;
    }
    this.written += bytes.length;
  }

  /** Appends `parts` back to back with positional `writev`: no concatenation. */
  writeParts(parts: readonly Uint8Array[]): void {
    const fd = this.openFd();
    try {
      this.written += writePartsAt(fd, this.path, this.written, parts);
    } catch (error) {
      this.dropPartialWrite(fd);
      throw error;
    }
  }

  /**
   * A failed append (disk full, I/O error) may have left part of its bytes: cut the file back to
   * what was written whole, so that it ends at a whole cluster. Best effort: the write's error is
   * the one reported.
   */
  private dropPartialWrite(fd: number): void {
    try {
      ftruncateSync(fd, this.written);
    } catch {
      // The first error wins; a file that keeps a partial cluster still reads up to its last whole one.
    }
  }

  /** Overwrites already-written bytes at `offset`. */
  patch(offset: number, bytes: Uint8Array): void {
    assertArgument(Number.isSafeInteger(offset) && offset >= 0 && offset + bytes.length <= this.written, 'offset',
      `a range inside the ${this.written} bytes written`, offset);
    this.writeAt(offset, bytes);
  }

  /** Flushes written data to the device (fdatasync), for callers that want each cluster durable. */
  sync(): void {
    const fd = this.openFd();
    try {
      fdatasyncSync(fd);
    } catch (error) {
      throw BodycamError.runtime(`cannot sync ${this.path}: ${(error as Error).message}`, error, { file: this.path });
    }
  }

  /** Closes the file; further writes throw. Closing twice is allowed. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeFile(fd, this.path);
  }

  private openFd(): number {
    if (this.fd === null) throw BodycamError.usage(`${this.path}: the sink is closed; expected no writes after close()`);
    return this.fd;
  }

  private writeAt(offset: number, bytes: Uint8Array): void {
    writeAllAt(this.openFd(), this.path, offset, bytes);
  }
}
