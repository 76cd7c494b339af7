/**
 * Decrypting an encrypted recording (back office only: the device has no code path here). Reads
 * the file chunk by chunk, so a long recording is never held in memory, and stops cleanly at a
 * cut: a file cut off anywhere decrypts up to its last whole chunk.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { BodycamError } from '../errors/index.js';
import { type FileCipher, decryptChunk, fileCipherFromDataKey, openFileCipher } from './chunk-cipher.js';
import {
  ENCRYPTED_HEADER_BYTES, RECORD_OVERHEAD_BYTES, type EncryptedHeader, parseEncryptedHeader, recordOffset,
} from './encrypted-format.js';
import type { BackOfficeKeys } from './keys.js';

/** The key to decrypt with: the back office's keys, or one file's released data key. */
export type DecryptKey = { readonly backOffice: BackOfficeKeys } | { readonly dataKey: Uint8Array };

/**
 * How the file ends: `final`, closed cleanly; `open`, its last chunk is whole but not marked final
 * (the device stopped writing: a power cut); `cut`, the last record is incomplete (it was dropped).
 */
export type EncryptedEnding = 'final' | 'open' | 'cut';

/** What {@link decryptRecordingFile} found. */
export interface DecryptResult {
  readonly header: EncryptedHeader;
  /** Whole chunks decrypted. */
  readonly chunks: number;
  readonly plaintextBytes: number;
  readonly plaintextSha256: string;
  readonly ending: EncryptedEnding;
  /** Bytes at the end that were not a whole, authentic chunk (0 unless `cut`). */
  readonly droppedBytes: number;
  /** The data key (the export package releases it for this one file). */
  readonly dataKey: Uint8Array;
}

function readAt(fd: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

/**
 * Decrypts `file`; writes the plaintext to `outFile` (through a temporary, renamed when done) or
 * only hashes it when `outFile` is null.
 * @throws bad-input for a file that is not an encrypted recording or is encrypted for another key;
 *   expectation-failed when a chunk before the last does not authenticate (the file was altered)
 */
export function decryptRecordingFile(file: string, key: DecryptKey, outFile: string | null): DecryptResult {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw BodycamError.badInput({ file }, 'a readable encrypted recording', (error as Error).message);
  }
  const temporary = outFile === null ? null : `${outFile}.part-${process.pid}`;
  let out: number | null = null;
  try {
    const size = fstatSync(fd).size;
    const header = parseEncryptedHeader(readAt(fd, 0, ENCRYPTED_HEADER_BYTES), file);
    const cipher: FileCipher = 'backOffice' in key ? openFileCipher(header, key.backOffice, file) : fileCipherFromDataKey(header, key.dataKey);
    if (temporary !== null) out = openSync(temporary, 'w');
    const hash = createHash('sha256');
    const recordBytes = header.chunkBytes + RECORD_OVERHEAD_BYTES;
    let index = 0;
    let plaintextBytes = 0;
    let ending: EncryptedEnding = 'open';
    let droppedBytes = 0;
    for (let offset = recordOffset(header.chunkBytes, 0); offset < size; offset += recordBytes, index += 1) {
      const record = readAt(fd, offset, Math.min(recordBytes, size - offset));
      const last = offset + record.length >= size;
      let plaintext = last ? decryptChunk(cipher, index, true, record) : null;
      if (plaintext !== null) ending = 'final';
      else plaintext = decryptChunk(cipher, index, false, record);
      if (plaintext === null) {
        if (!last) {
          if (index === 0 && 'dataKey' in key) {
            throw new BodycamError('expectation-failed', 'chunk 0 does not decrypt with the given data key: a wrong key, or the file was altered', { file });
          }
          throw new BodycamError('expectation-failed',
            `chunk ${index} (bytes ${offset}..${offset + record.length}) does not authenticate: the file was altered`, { file });
        }
        ending = 'cut';
        droppedBytes = record.length;
        break;
      }
      hash.update(plaintext);
      if (out !== null) writeAll(out, plaintext);
      plaintextBytes += plaintext.length;
    }
    const chunks = index;
    if (out !== null) {
      closeSync(out);
      out = null;
      renameSync(temporary as string, outFile as string);
    }
    return { header, chunks, plaintextBytes, plaintextSha256: hash.digest('hex'), ending, droppedBytes, dataKey: cipher.dataKey };
  } catch (error) {
    if (out !== null) closeSync(out);
    if (temporary !== null) rmSync(temporary, { force: true });
    throw error;
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}
