/**
 * The device's encrypting file sink: the Matroska writer's bytes go into chunks of C plaintext
 * bytes, each sealed with AES-256-GCM (chunk-cipher.ts) into a record at a fixed offset.
 *
 * - After every write, the unfinished last chunk (the tail) is written as a provisional record,
 *   so everything handed to the sink is on disk: a power cut loses nothing the plain sink would
 *   have kept, and the file decrypts up to its last whole write. Records only grow, in place.
 * - Chunk 0 holds the Matroska header, which the writer patches on finalize (Duration, SeekHead,
 *   Segment size); its plaintext is kept so it can be re-encrypted. A patch anywhere else in a
 *   sealed chunk is refused (the writer never does that).
 * - A clean close re-encrypts the last chunk with the final flag; an abandoned file (power cut)
 *   keeps its provisional tail, which tells a reader the file was cut off.
 * - Synthetic nonces (chunk-cipher.ts) make every re-encryption with changed input use a new nonce.
 * The device keeps no key that could decrypt the file once it is closed, and has no code to.
 */
import { createHash } from 'node:crypto';
import { closeFile, createFile, writeAllAt } from '../container/index.js';
import { BodycamError, assertArgument } from '../errors/index.js';
import type { ManifestEncryption, RecordingFileSink } from '../recorder/index.js';
import { toHex } from './bytes.js';
import { type FileCipher, encryptChunk } from './chunk-cipher.js';
import { ENCRYPTED_HEADER_BYTES, ENCRYPTION_SCHEME, RECORD_OVERHEAD_BYTES, recordOffset } from './encrypted-format.js';

/** One chunk encryption, as reported to an observer (tests check nonce uniqueness with it). */
export interface ChunkEncryptionEvent {
  readonly index: number;
  readonly final: boolean;
  readonly nonceHex: string;
  readonly plaintextSha256: string;
  readonly plaintextBytes: number;
}

/** Options of {@link EncryptingFileSink.create}. */
export interface EncryptingSinkOptions {
  /** Called for every chunk record written. */
  readonly onEncrypt?: (event: ChunkEncryptionEvent) => void;
}

/** A {@link RecordingFileSink} that writes an encrypted recording. */
export class EncryptingFileSink implements RecordingFileSink {
  private fd: number | null;
  private readonly chunkBytes: number;
  private readonly tail: Uint8Array;
  private tailLength = 0;
  private tailIndex = 0;
  /** Length of the tail as last written (-1: never, or changed since by a patch). */
  private tailWrittenLength = -1;
  private chunk0: Uint8Array | null = null;
  private plaintextBytes = 0;
  private fileEnd = ENCRYPTED_HEADER_BYTES;
  private closedComplete: boolean | null = null;

  private constructor(readonly path: string, fd: number, private readonly cipher: FileCipher, private readonly options: EncryptingSinkOptions) {
    this.fd = fd;
    this.chunkBytes = cipher.header.chunkBytes;
    this.tail = new Uint8Array(this.chunkBytes);
    this.writeAt(0, cipher.header.bytes);
  }

  /** Creates the file (refusing to overwrite one) and writes its header. */
  static create(path: string, cipher: FileCipher, options: EncryptingSinkOptions = {}): EncryptingFileSink {
    return new EncryptingFileSink(path, createFile(path, false), cipher, options);
  }

  /** Plaintext (Matroska) bytes written so far. */
  get position(): number {
    return this.plaintextBytes;
  }

  /** Bytes of the encrypted file on disk. */
  get fileBytes(): number {
    return this.fileEnd;
  }

  /** The manifest's encryption block. */
  get encryption(): ManifestEncryption {
    return {
      scheme: ENCRYPTION_SCHEME,
      chunkBytes: this.chunkBytes,
      fileId: toHex(this.cipher.header.fileId),
      recipient: toHex(this.cipher.header.recipient),
      plaintextBytes: this.plaintextBytes,
      chunks: this.tailIndex + (this.tailLength > 0 || this.closedComplete === true ? 1 : 0),
    };
  }

  /** Appends `bytes`; the tail is rewritten provisionally at the end. */
  write(bytes: Uint8Array): void {
    this.writeParts([bytes]);
  }

  /** Appends `parts` back to back; the tail is rewritten provisionally once, at the end. */
  writeParts(parts: readonly Uint8Array[]): void {
    this.openFd();
    let appended = 0;
    for (const part of parts) {
      this.append(part);
      appended += part.length;
    }
    if (appended > 0) this.writeTail(false);
  }

  private append(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      if (this.tailLength === this.chunkBytes) this.sealTail();
      const take = Math.min(this.chunkBytes - this.tailLength, bytes.length - done);
      this.tail.set(bytes.subarray(done, done + take), this.tailLength);
      this.tailLength += take;
      done += take;
    }
    this.plaintextBytes += bytes.length;
  }

  /** Overwrites plaintext bytes in chunk 0 or in the tail, re-encrypting what changed. */
  patch(offset: number, bytes: Uint8Array): void {
    this.openFd();
    assertArgument(Number.isSafeInteger(offset) && offset >= 0 && offset + bytes.length <= this.plaintextBytes, 'offset',
      `a range inside the ${this.plaintextBytes} bytes written`, offset);
    let chunk0Changed = false;
    let tailChanged = false;
    for (let done = 0; done < bytes.length;) {
      const at = offset + done;
      const index = Math.floor(at / this.chunkBytes);
      const within = at - index * this.chunkBytes;
      const take = Math.min(this.chunkBytes - within, bytes.length - done);
      const part = bytes.subarray(done, done + take);
      if (index === this.tailIndex) {
        this.tail.set(part, within);
        tailChanged = true;
      } else if (index === 0 && this.chunk0 !== null) {
        this.chunk0.set(part, within);
        chunk0Changed = true;
      } else {
        throw BodycamError.runtime(`${this.path}: cannot patch byte ${at}: chunk ${index} is sealed and only chunk 0 and the last chunk can be re-encrypted`);
      }
      done += take;
    }
    if (chunk0Changed && this.chunk0 !== null) this.writeRecord(0, false, this.chunk0);
    if (tailChanged) this.writeTail(false);
  }

  /** Ends the file: a clean close marks the last chunk final; an abandoned one is left as it is. */
  close(complete: boolean): void {
    if (this.fd === null) return;
    if (complete) this.writeTail(true);
    this.closedComplete = complete;
    const fd = this.fd;
    this.fd = null;
    closeFile(fd, this.path);
  }

  /** The tail is full and more bytes follow: it becomes a sealed chunk. */
  private sealTail(): void {
    if (this.tailWrittenLength !== this.chunkBytes) this.writeTail(false);
    if (this.tailIndex === 0) this.chunk0 = this.tail.slice();
    this.tailIndex += 1;
    this.tailLength = 0;
    this.tailWrittenLength = -1;
  }

  private writeTail(final: boolean): void {
    this.writeRecord(this.tailIndex, final, this.tail.subarray(0, this.tailLength));
    this.tailWrittenLength = this.tailLength;
  }

  private writeRecord(index: number, final: boolean, plaintext: Uint8Array): void {
    const { record, nonce } = encryptChunk(this.cipher, index, final, plaintext);
    const offset = recordOffset(this.chunkBytes, index);
    this.writeAt(offset, record);
    this.fileEnd = Math.max(this.fileEnd, offset + plaintext.length + RECORD_OVERHEAD_BYTES);
    const observer = this.options.onEncrypt;
    if (observer !== undefined) {
      observer({
        index, final, nonceHex: toHex(nonce), plaintextSha256: createHash('sha256').update(plaintext).digest('hex'), plaintextBytes: plaintext.length,
      });
    }
  }

  private openFd(): number {
    if (this.fd === null) throw BodycamError.usage(`${this.path}: the sink is closed; expected no writes after close()`);
    return this.fd;
  }

  private writeAt(offset: number, bytes: Uint8Array): void {
    writeAllAt(this.openFd(), this.path, offset, bytes);
  }
}
