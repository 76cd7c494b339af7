/**
 * Fault injection for recording files (issue 14): a plain file sink that fails like a full disk
 * (ENOSPC) or a broken card (EIO) once the file would pass `limitBytes`, or on the in-place patches.
 */
import { BodycamError } from '../../src/errors/index.js';
import { type RecordingFileSink, type RecordingProtection, plainFileSink } from '../../src/recorder/index.js';

/** Unsigned, unencrypted recordings whose writes fail past `limitBytes` with `code`. */
export function failingProtection(limitBytes: number, code: 'ENOSPC' | 'EIO', patchFails = false): RecordingProtection {
  return {
    fileSuffix: '',
    sign: (manifest) => manifest,
    createSink: (path): RecordingFileSink => {
      const sink = plainFileSink(path);
      const fail = (bytes: number): void => {
        if (sink.position + bytes > limitBytes) {
          const message = code === 'ENOSPC' ? 'ENOSPC: no space left on device, writev' : 'EIO: i/o error, writev';
          throw BodycamError.runtime(`cannot write ${path} at byte ${sink.position}: ${message}`, undefined, { file: path });
        }
      };
      return {
        get position() { return sink.position; },
        get fileBytes() { return sink.fileBytes; },
        encryption: null,
        write: (bytes) => { fail(bytes.length); sink.write(bytes); },
        writeParts: (parts) => { fail(parts.reduce((n, p) => n + p.length, 0)); sink.writeParts(parts); },
        patch: (offset, bytes) => {
          if (patchFails) throw BodycamError.runtime(`cannot write ${path} at byte ${offset}: EIO: i/o error, write`, undefined, { file: path });
          sink.patch(offset, bytes);
        },
        close: (complete) => sink.close(complete),
      };
    },
  };
}
