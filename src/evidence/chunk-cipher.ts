/**
 * The cryptography of encrypted recordings (node:crypto, the I/O edge); the byte layout is in
 * encrypted-format.ts and docs/evidence.md.
 *
 * - A per-file AES-256 data key encrypts the chunks. It is wrapped for the back office: an
 *   ephemeral X25519 key agreement with the back office's public key, HKDF-SHA256, AES-256-GCM.
 *   Only the back office's X25519 private key unwraps it.
 * - Everything is derived, not drawn at random, so a replay is byte-identical: the data key and
 *   the ephemeral key come from the device's private seed and the file id by HKDF.
 * - Each chunk's nonce is synthetic: HMAC-SHA256(nonce key, index ‖ final ‖ SHA-256(plaintext)),
 *   cut to 12 bytes and stored in the record. Re-encrypting a chunk (the provisional tail as it
 *   grows, the header chunk patched at finalize, the last chunk marked final) gives a new nonce
 *   whenever the plaintext or the final flag changes, and the identical record when nothing did.
 *   So a nonce is never used twice with different inputs, even when two runs reuse a recording id.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, diffieHellman, hkdfSync } from 'node:crypto';
import { BodycamError } from '../errors/index.js';
import { concatBytes, sameBytes, toHex, u32be, utf8 } from './bytes.js';
import {
  ENCRYPTED_HEADER_BYTES, NONCE_BYTES, TAG_BYTES, type EncryptedHeader, chunkAdditionalData, encodeEncryptedHeader,
} from './encrypted-format.js';
import { type BackOfficeKeys, type PublicKeyInfo, keyPairFromSeed, publicKeyFromRaw } from './keys.js';

/** What encrypting and decrypting one file needs. */
export interface FileCipher {
  readonly header: EncryptedHeader;
  readonly dataKey: Uint8Array;
  readonly nonceKey: Uint8Array;
}

/** One encrypted chunk record and its nonce. */
export interface EncryptedChunk {
  readonly record: Uint8Array;
  readonly nonce: Uint8Array;
}

function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array | string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, typeof info === 'string' ? utf8(info) : info, 32));
}

/** The 16-byte file id of a recording: SHA-256("bodycam-sim/file-id/1\n" + deviceId + "\n" + recordingId), first 16 bytes. */
export function deriveFileId(deviceId: string, recordingId: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(utf8(`bodycam-sim/file-id/1\n${deviceId}\n${recordingId}`)).digest()).slice(0, 16);
}

function nonceKeyOf(dataKey: Uint8Array, fileId: Uint8Array): Uint8Array {
  return hkdf(dataKey, fileId, 'bodycam-sim/chunk-nonce-key/1');
}

function keyWrapKey(shared: Uint8Array, fileId: Uint8Array, ephemeralRaw: Uint8Array, recipientRaw: Uint8Array): Uint8Array {
  return hkdf(shared, fileId, concatBytes(utf8('bodycam-sim/wrap/1'), ephemeralRaw, recipientRaw));
}

const ZERO_NONCE = new Uint8Array(NONCE_BYTES);

/** The device side: a new file's cipher, encrypted for `recipient` (the back office's X25519 key). */
export function createFileCipher(options: {
  readonly deviceSeed: Uint8Array;
  readonly fileId: Uint8Array;
  readonly recipient: PublicKeyInfo;
  readonly chunkBytes: number;
}): FileCipher {
  const { deviceSeed, fileId, recipient } = options;
  const encryptionSeed = hkdf(deviceSeed, new Uint8Array(0), 'bodycam-sim/device-encryption-seed/1');
  const dataKey = hkdf(encryptionSeed, fileId, 'bodycam-sim/data-key/1');
  const ephemeral = keyPairFromSeed('x25519', hkdf(encryptionSeed, fileId, 'bodycam-sim/ephemeral-x25519/1'), 'file', 'ephemeral');
  const shared = new Uint8Array(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient.publicKey }));
  const kek = keyWrapKey(shared, fileId, ephemeral.publicKeyRaw, recipient.publicKeyRaw);
  const recipientId = new Uint8Array(createHash('sha256').update(recipient.publicKeyRaw).digest());
  const gcm = createCipheriv('aes-256-gcm', kek, ZERO_NONCE);
  gcm.setAAD(concatBytes(fileId, recipientId, ephemeral.publicKeyRaw));
  const wrappedKey = concatBytes(gcm.update(dataKey), gcm.final(), gcm.getAuthTag());
  const header = encodeEncryptedHeader({
    chunkBytes: options.chunkBytes, fileId, recipient: recipientId, ephemeralPublicKey: ephemeral.publicKeyRaw, wrappedKey,
  });
  return { header, dataKey, nonceKey: nonceKeyOf(dataKey, fileId) };
}

/**
 * The back office side: unwraps the file's data key with the back office's X25519 private key.
 * @throws bad-input when the file is encrypted for another back office (names both fingerprints);
 *   expectation-failed when the wrapped key does not authenticate (the header was altered)
 */
export function openFileCipher(header: EncryptedHeader, keys: BackOfficeKeys, file: string): FileCipher {
  const ours = keys.encryption;
  if (toHex(header.recipient) !== ours.fingerprint) {
    throw BodycamError.badInput({ file, place: `header bytes 32..64` },
      `a file encrypted for this back office's key (X25519 fingerprint ${ours.fingerprint.slice(0, 16)}…)`,
      `a file encrypted for key ${toHex(header.recipient).slice(0, 16)}…: wrong key`);
  }
  const ephemeral = publicKeyFromRaw('x25519', header.ephemeralPublicKey);
  const altered = (): BodycamError => new BodycamError('expectation-failed',
    'the wrapped data key does not authenticate: the header was altered', { file, place: `header bytes 16..${ENCRYPTED_HEADER_BYTES}` });
  if (ephemeral === null) throw altered();
  const shared = new Uint8Array(diffieHellman({ privateKey: ours.privateKey, publicKey: ephemeral.publicKey }));
  const kek = keyWrapKey(shared, header.fileId, header.ephemeralPublicKey, ours.publicKeyRaw);
  try {
    const gcm = createDecipheriv('aes-256-gcm', kek, ZERO_NONCE);
    gcm.setAAD(concatBytes(header.fileId, header.recipient, header.ephemeralPublicKey));
    gcm.setAuthTag(header.wrappedKey.subarray(32, 48));
    const dataKey = new Uint8Array(concatBytes(gcm.update(header.wrappedKey.subarray(0, 32)), gcm.final()));
    return { header, dataKey, nonceKey: nonceKeyOf(dataKey, header.fileId) };
  } catch {
    throw altered();
  }
}

/** A cipher from a released data key (export packages carry the key of their one file). */
export function fileCipherFromDataKey(header: EncryptedHeader, dataKey: Uint8Array): FileCipher {
  return { header, dataKey: dataKey.slice(), nonceKey: nonceKeyOf(dataKey, header.fileId) };
}

/** The synthetic nonce of a chunk (see the module comment). */
export function chunkNonce(cipher: FileCipher, index: number, final: boolean, plaintext: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(plaintext).digest();
  const mac = createHmac('sha256', cipher.nonceKey).update(utf8('bodycam-sim/chunk-nonce/1')).update(u32be(index))
    .update(Uint8Array.of(final ? 1 : 0)).update(digest).digest();
  return new Uint8Array(mac).slice(0, NONCE_BYTES);
}

/** Encrypts chunk `index`: nonce ‖ ciphertext ‖ tag. */
export function encryptChunk(cipher: FileCipher, index: number, final: boolean, plaintext: Uint8Array): EncryptedChunk {
  const nonce = chunkNonce(cipher, index, final, plaintext);
  const gcm = createCipheriv('aes-256-gcm', cipher.dataKey, nonce);
  gcm.setAAD(chunkAdditionalData(cipher.header.bytes, index, final));
  const record = concatBytes(nonce, gcm.update(plaintext), gcm.final(), gcm.getAuthTag());
  return { record, nonce };
}

/** Decrypts chunk `index` as final or not; null when the record does not authenticate that way. */
export function decryptChunk(cipher: FileCipher, index: number, final: boolean, record: Uint8Array): Uint8Array | null {
  if (record.length < NONCE_BYTES + TAG_BYTES) return null;
  const nonce = record.subarray(0, NONCE_BYTES);
  try {
    const gcm = createDecipheriv('aes-256-gcm', cipher.dataKey, nonce);
    gcm.setAAD(chunkAdditionalData(cipher.header.bytes, index, final));
    gcm.setAuthTag(record.subarray(record.length - TAG_BYTES));
    const plaintext = concatBytes(gcm.update(record.subarray(NONCE_BYTES, record.length - TAG_BYTES)), gcm.final());
    // The nonce must be the one the plaintext derives: a record cannot carry a chosen nonce.
    return sameBytes(nonce, chunkNonce(cipher, index, final, plaintext)) ? plaintext : null;
  } catch {
    return null;
  }
}
