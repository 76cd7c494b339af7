/**
 * Where the Matroska writer puts its bytes. Appends go at `position`; `patch` rewrites bytes
 * already written (Duration, SeekHead, Segment size on finalize). Implementations: the pure
 * {@link MemoryByteSink} and the file-descriptor-backed `FileByteSink` at the I/O edge.
 */
export interface ByteSink {
  /** Appends `bytes` at `position` and advances it. */
  write(bytes: Uint8Array): void;
  /** Appends `parts` back to back, as one write (a cluster's headers and payloads, not concatenated). */
  writeParts(parts: readonly Uint8Array[]): void;
  /** Overwrites `bytes.length` bytes at `offset`; the range must already have been written. */
  patch(offset: number, bytes: Uint8Array): void;
  /** Number of bytes written so far (the offset of the next write). */
  readonly position: number;
}
