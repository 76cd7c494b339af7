/**
 * The byte layout of an encrypted recording (`.mkv.enc`, scheme `bodycam-aes-256-gcm-chunked/1`).
 * Pure: header encoding and parsing, record offsets and the additional data of each chunk.
 *
 * ```
 * offset size  field
 *      0    8  magic "BCAMENC1"
 *      8    2  format version, u16 BE = 1
 *     10    2  header length H, u16 BE = 144
 *     12    4  chunk size C: plaintext bytes per chunk, u32 BE
 *     16   16  file id
 *     32   32  recipient: SHA-256 of the back office's raw X25519 public key
 *     64   32  ephemeral X25519 public key (raw)
 *     96   48  wrapped data key: AES-256-GCM ciphertext (32) ‖ tag (16)
 *    144       chunk records: record i at H + i·(C + 28)
 * record: nonce (12) ‖ ciphertext (n ≤ C) ‖ GCM tag (16); only the last record may be shorter
 * additional data of chunk i: header[0, H) ‖ u32 BE i ‖ u8 final (1 on the last chunk of a closed file)
 * ```
 */
import { BodycamError } from '../errors/index.js';
import { concatBytes, sameBytes, u32be, utf8 } from './bytes.js';

/** The scheme name written in manifests. */
export const ENCRYPTION_SCHEME = 'bodycam-aes-256-gcm-chunked/1';
/** File magic. */
export const ENCRYPTED_MAGIC = utf8('BCAMENC1');
/** Header length of format version 1. */
export const ENCRYPTED_HEADER_BYTES = 144;
/** Nonce bytes at the start of each record. */
export const NONCE_BYTES = 12;
/** GCM tag bytes at the end of each record. */
export const TAG_BYTES = 16;
/** Bytes a record adds to its chunk's plaintext. */
export const RECORD_OVERHEAD_BYTES = NONCE_BYTES + TAG_BYTES;
/** Default plaintext bytes per chunk: 1 MiB. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;
/** Smallest chunk allowed: the Matroska header the writer patches on finalize must fit in chunk 0. */
export const MIN_CHUNK_BYTES = 4096;
/** Largest chunk allowed. */
export const MAX_CHUNK_BYTES = 64 << 20;
/** What encryption at rest appends to a recording's file name (after the container's extension). */
export const ENCRYPTED_EXTENSION = '.enc';
/** File name suffix of encrypted Matroska recordings. */
export const ENCRYPTED_SUFFIX = `.mkv${ENCRYPTED_EXTENSION}`;
/** A recording's file name: Matroska or MP4 (contract §9), plain or encrypted at rest. */
export const RECORDING_FILE_NAME = /\.(mkv|mp4)(\.enc)?$/;
/** An encrypted recording's file name. */
export const ENCRYPTED_RECORDING_NAME = /\.(mkv|mp4)\.enc$/;

/** The fields of an encrypted file's header. */
export interface EncryptedHeader {
  readonly chunkBytes: number;
  readonly fileId: Uint8Array;
  readonly recipient: Uint8Array;
  readonly ephemeralPublicKey: Uint8Array;
  readonly wrappedKey: Uint8Array;
  /** The header's bytes as written (the additional data of every chunk starts with them). */
  readonly bytes: Uint8Array;
}

/** Encodes a header. */
export function encodeEncryptedHeader(fields: Omit<EncryptedHeader, 'bytes'>): EncryptedHeader {
  const bytes = new Uint8Array(ENCRYPTED_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(ENCRYPTED_MAGIC, 0);
  view.setUint16(8, 1);
  view.setUint16(10, ENCRYPTED_HEADER_BYTES);
  view.setUint32(12, fields.chunkBytes);
  bytes.set(fields.fileId, 16);
  bytes.set(fields.recipient, 32);
  bytes.set(fields.ephemeralPublicKey, 64);
  bytes.set(fields.wrappedKey, 96);
  return { ...fields, bytes };
}

/** True when `bytes` start with the magic of an encrypted recording. */
export function looksEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= ENCRYPTED_MAGIC.length && sameBytes(bytes.subarray(0, ENCRYPTED_MAGIC.length), ENCRYPTED_MAGIC);
}

/** Parses a header; throws bad-input naming `file` and the field. */
export function parseEncryptedHeader(bytes: Uint8Array, file: string): EncryptedHeader {
  if (!looksEncrypted(bytes)) throw BodycamError.badInput({ file, place: 'byte 0' }, 'an encrypted recording (magic "BCAMENC1")', 'other bytes');
  if (bytes.length < ENCRYPTED_HEADER_BYTES) {
    throw BodycamError.badInput({ file }, `a ${ENCRYPTED_HEADER_BYTES}-byte header`, `a file of ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8);
  if (version !== 1) throw BodycamError.badInput({ file, place: 'byte 8' }, 'format version 1', String(version));
  const headerBytes = view.getUint16(10);
  if (headerBytes !== ENCRYPTED_HEADER_BYTES) throw BodycamError.badInput({ file, place: 'byte 10' }, `header length ${ENCRYPTED_HEADER_BYTES}`, String(headerBytes));
  const chunkBytes = view.getUint32(12);
  if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
    throw BodycamError.badInput({ file, place: 'byte 12' }, `a chunk size from ${MIN_CHUNK_BYTES} to ${MAX_CHUNK_BYTES}`, String(chunkBytes));
  }
  const header = bytes.slice(0, ENCRYPTED_HEADER_BYTES);
  return {
    chunkBytes,
    fileId: header.slice(16, 32),
    recipient: header.slice(32, 64),
    ephemeralPublicKey: header.slice(64, 96),
    wrappedKey: header.slice(96, 144),
    bytes: header,
  };
}

/** Byte offset of record `index`. */
export function recordOffset(chunkBytes: number, index: number): number {
  return ENCRYPTED_HEADER_BYTES + index * (chunkBytes + RECORD_OVERHEAD_BYTES);
}

/** The additional authenticated data of chunk `index`. */
export function chunkAdditionalData(header: Uint8Array, index: number, final: boolean): Uint8Array {
  return concatBytes(header, u32be(index), Uint8Array.of(final ? 1 : 0));
}
