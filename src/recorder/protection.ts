/**
 * How a recording is protected on the device: the sink its bytes go through (plain, or encrypted
 * at rest) and the signature on its manifest. The recorder only knows these interfaces; the
 * implementations live in `src/evidence` and are wired in by `src/sim`, so the recorder never
 * imports key handling or ciphers (and the device side has no decrypt path at all).
 */
import { FileByteSink } from '../container/index.js';
import type { ByteSink } from '../container/index.js';
import type { ManifestEncryption, RecordingManifest } from './manifest.js';

/** The file a recording is written into: a byte sink with a file behind it. */
export interface RecordingFileSink extends ByteSink {
  /**
   * Ends the file. `complete` is true after a clean finalize; false when the recording is
   * abandoned (power cut), in which case nothing more may be written.
   */
  close(complete: boolean): void;
  /** Bytes of the file on disk (differs from `position`, the container's bytes, when encrypted). */
  readonly fileBytes: number;
  /** The manifest's `encryption` block (valid after close), or null for a plain file. */
  readonly encryption: ManifestEncryption | null;
}

/** What a device does to protect its recordings. */
export interface RecordingProtection {
  /** What protection adds after the container's extension: nothing, or `.enc` when encrypted at rest. */
  readonly fileSuffix: string;
  /** Creates the recording's file (refuses to overwrite one). */
  createSink(path: string, recordingId: string): RecordingFileSink;
  /** Returns the manifest with its `signature` block (or unchanged, when the device does not sign). */
  sign(manifest: RecordingManifest): RecordingManifest;
}

/** A plain file sink (no encryption). */
export function plainFileSink(path: string): RecordingFileSink {
  const sink = FileByteSink.create(path);
  return {
    get position() {
      return sink.position;
    },
    get fileBytes() {
      return sink.position;
    },
    encryption: null,
    write: (bytes) => sink.write(bytes),
    writeParts: (parts) => sink.writeParts(parts),
    patch: (offset, bytes) => sink.patch(offset, bytes),
    close: () => sink.close(),
  };
}

/** No encryption, no signature: the recorder's behaviour before evidence protection existed. */
export const UNPROTECTED: RecordingProtection = Object.freeze({
  fileSuffix: '',
  createSink: (path: string) => plainFileSink(path),
  sign: (manifest: RecordingManifest) => manifest,
});
