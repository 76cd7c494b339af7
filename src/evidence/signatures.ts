/**
 * Ed25519 signatures over canonical JSON (node:crypto, the I/O edge). The signed bytes are a
 * domain line (what is being signed, so a signature of one kind of document can never pass for
 * another) followed by the canonical JSON (RFC 8785) of the document without its `signature` key:
 *
 *     signed = UTF-8("<domain>\n") ‖ UTF-8(canonicalJson(document minus "signature"))
 *
 * Ed25519 signatures are deterministic: the same document and key give the same bytes.
 */
import { sign, verify } from 'node:crypto';
import type { ManifestSignature, RecordingManifest } from '../recorder/index.js';
import { canonicalJson } from './canonical-json.js';
import { concatBytes, utf8 } from './bytes.js';
import { type KeyPair, type PublicKeyInfo, fingerprintOf, isFingerprint, publicKeyFromRaw } from './keys.js';

/** A signature block (the same shape for manifests, the audit head and export packages). */
export type SignatureBlock = ManifestSignature;

/** Domain of recording manifests. */
export const MANIFEST_DOMAIN = 'bodycam-manifest-signature/1';
/** Domain of the audit log's signed head. */
export const AUDIT_HEAD_DOMAIN = 'bodycam-audit-head-signature/1';
/** Domain of an export package's index. */
export const EXPORT_DOMAIN = 'bodycam-export-signature/1';

/** The outcome of checking a signature block. */
export type SignatureCheck =
  | { readonly ok: true; readonly key: PublicKeyInfo }
  | { readonly ok: false; readonly reason: string };

/** The bytes that are signed for `document` under `domain` (its `signature` key left out). */
export function signedBytes(domain: string, document: object): Uint8Array {
  const { signature: _ignored, ...body } = document as Record<string, unknown>;
  return concatBytes(utf8(`${domain}\n`), utf8(canonicalJson(body)));
}

/** Signs `document` (its `signature` key, if any, is ignored) and returns the block. */
export function signDocument(domain: string, document: object, key: KeyPair): SignatureBlock {
  const value = sign(null, signedBytes(domain, document), key.privateKey);
  return {
    format: 'bodycam-signature/1',
    algorithm: 'Ed25519',
    keyFingerprint: key.fingerprint,
    publicKey: Buffer.from(key.publicKeyRaw).toString('base64'),
    value: value.toString('base64'),
  };
}

/** Base64 that decodes and re-encodes to itself (Node's decoder skips bad characters; we do not). */
function strictBase64(text: unknown, bytes: number): Uint8Array | null {
  if (typeof text !== 'string') return null;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === text ? new Uint8Array(decoded) : null;
}

/** Checks `document.signature` against the rest of `document` under `domain`. */
export function checkDocumentSignature(domain: string, document: unknown): SignatureCheck {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return { ok: false, reason: 'not a JSON object' };
  const block = (document as Record<string, unknown>).signature;
  if (block === undefined) return { ok: false, reason: 'there is no signature block' };
  if (typeof block !== 'object' || block === null) return { ok: false, reason: 'the signature block is not an object' };
  const fields = block as Record<string, unknown>;
  if (fields.format !== 'bodycam-signature/1' || fields.algorithm !== 'Ed25519') {
    return { ok: false, reason: 'the signature block is not bodycam-signature/1 with algorithm Ed25519' };
  }
  const raw = strictBase64(fields.publicKey, 32);
  const key = raw === null ? null : publicKeyFromRaw('ed25519', raw);
  if (key === null) return { ok: false, reason: 'signature.publicKey is not a base64 Ed25519 public key' };
  if (!isFingerprint(fields.keyFingerprint) || fields.keyFingerprint !== fingerprintOf(key.publicKeyRaw)) {
    return { ok: false, reason: 'signature.keyFingerprint is not the SHA-256 of signature.publicKey' };
  }
  const value = strictBase64(fields.value, 64);
  if (value === null) return { ok: false, reason: 'signature.value is not a base64 64-byte Ed25519 signature' };
  const valid = verify(null, signedBytes(domain, document), key.publicKey, value);
  return valid ? { ok: true, key } : { ok: false, reason: 'the signature does not match the content (the content or the signature was altered)' };
}

/** Signs a recording manifest: returns it with its `signature` block last. */
export function signManifest(manifest: RecordingManifest, key: KeyPair): RecordingManifest {
  const { signature: _previous, ...body } = manifest;
  return { ...body, signature: signDocument(MANIFEST_DOMAIN, body, key) };
}
