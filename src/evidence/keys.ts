/**
 * Key pairs of the evidence chain (node:crypto, the I/O edge): the device's Ed25519 signing key,
 * the back office's X25519 key (recordings are encrypted to it) and its Ed25519 key (it signs the
 * audit log's head and export packages). Keys are files in PEM (PKCS#8 private, SPKI public) as
 * `openssl genpkey -algorithm ed25519` writes them, or *simulation keys*: derived from a public
 * label so runs stay byte-identical. Simulation keys are NOT secret; see docs/evidence.md.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BodycamError } from '../errors/index.js';
import { concatBytes, fromHex, utf8 } from './bytes.js';

/** The two curves used. */
export type KeyAlgorithm = 'ed25519' | 'x25519';

/** A public key with its raw bytes and fingerprint. */
export interface PublicKeyInfo {
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: KeyObject;
  /** The raw 32-byte public key. */
  readonly publicKeyRaw: Uint8Array;
  /** SHA-256 (hex) of the raw public key. */
  readonly fingerprint: string;
}

/** A private key with its public half. */
export interface KeyPair extends PublicKeyInfo {
  readonly privateKey: KeyObject;
  /** The 32-byte private seed. */
  readonly seed: Uint8Array;
  /** `simulation`: derived from a public label (not secret); `file`: loaded or generated. */
  readonly origin: 'simulation' | 'file';
  /** Where it came from, for messages: a file path or the simulation label. */
  readonly source: string;
}

/** The back office's keys. */
export interface BackOfficeKeys {
  /** X25519: recordings are encrypted to its public half. */
  readonly encryption: KeyPair;
  /** Ed25519: signs the audit log's head and export packages. */
  readonly signing: KeyPair;
}

const PKCS8_PREFIX: Record<KeyAlgorithm, string> = {
  ed25519: '302e020100300506032b657004220420',
  x25519: '302e020100300506032b656e04220420',
};
const SPKI_PREFIX: Record<KeyAlgorithm, string> = {
  ed25519: '302a300506032b6570032100',
  x25519: '302a300506032b656e032100',
};

const DEVICE_LABEL = 'bodycam-sim simulation device key/1\n';
const BACK_OFFICE_LABEL = 'bodycam-sim simulation back-office key/1\n';

/** SHA-256 (hex) of a raw public key: the fingerprint used everywhere. */
export function fingerprintOf(publicKeyRaw: Uint8Array): string {
  return createHash('sha256').update(publicKeyRaw).digest('hex');
}

function prefixed(prefixHex: string, bytes: Uint8Array): Buffer {
  return Buffer.from(concatBytes(fromHex(prefixHex) ?? new Uint8Array(0), bytes));
}

function rawOf(key: KeyObject, part: 'x' | 'd'): Uint8Array {
  const value = key.export({ format: 'jwk' })[part];
  if (typeof value !== 'string') throw BodycamError.runtime(`key export: no "${part}" in the JWK`);
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

function publicInfo(algorithm: KeyAlgorithm, publicKey: KeyObject): PublicKeyInfo {
  const publicKeyRaw = rawOf(publicKey, 'x');
  return { algorithm, publicKey, publicKeyRaw, fingerprint: fingerprintOf(publicKeyRaw) };
}

/** The key pair whose private seed is `seed` (32 bytes). */
export function keyPairFromSeed(algorithm: KeyAlgorithm, seed: Uint8Array, origin: KeyPair['origin'], source: string): KeyPair {
  const privateKey = createPrivateKey({ key: prefixed(PKCS8_PREFIX[algorithm], seed), format: 'der', type: 'pkcs8' });
  return { ...publicInfo(algorithm, createPublicKey(privateKey)), privateKey, seed: seed.slice(), origin, source };
}

/** The public key whose raw bytes are `raw`; null when they are not a valid 32-byte key. */
export function publicKeyFromRaw(algorithm: KeyAlgorithm, raw: Uint8Array): PublicKeyInfo | null {
  if (raw.length !== 32) return null;
  try {
    return publicInfo(algorithm, createPublicKey({ key: prefixed(SPKI_PREFIX[algorithm], raw), format: 'der', type: 'spki' }));
  } catch {
    return null;
  }
}

/**
 * The simulation key of `deviceId`: seed = SHA-256("bodycam-sim simulation device key/1\n" + deviceId).
 * Anyone can compute it; it makes runs reproducible and proves nothing about who signed.
 */
export function simulationDeviceKey(deviceId: string): KeyPair {
  const seed = new Uint8Array(createHash('sha256').update(utf8(DEVICE_LABEL + deviceId)).digest());
  return keyPairFromSeed('ed25519', seed, 'simulation', `simulation key of ${deviceId}`);
}

/** The simulation back office (not secret): the default of a store and of a device that encrypts. */
export function simulationBackOfficeKeys(): BackOfficeKeys {
  const seedOf = (algorithm: KeyAlgorithm): Uint8Array => new Uint8Array(createHash('sha256').update(utf8(BACK_OFFICE_LABEL + algorithm)).digest());
  return {
    encryption: keyPairFromSeed('x25519', seedOf('x25519'), 'simulation', 'simulation back-office key'),
    signing: keyPairFromSeed('ed25519', seedOf('ed25519'), 'simulation', 'simulation back-office key'),
  };
}

/** Loads a PEM private key of `algorithm` (PKCS#8, as openssl genpkey writes). */
export function loadPrivateKeyFile(file: string, algorithm: KeyAlgorithm): KeyPair {
  const expected = `a PEM private key (PKCS#8) of type ${algorithm}`;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: readFileSync(file), format: 'pem' });
  } catch (error) {
    throw BodycamError.badInput({ file }, expected, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'something else');
  }
  if (privateKey.asymmetricKeyType !== algorithm) throw BodycamError.badInput({ file }, expected, `a ${privateKey.asymmetricKeyType ?? 'symmetric'} key`);
  return { ...publicInfo(algorithm, createPublicKey(privateKey)), privateKey, seed: rawOf(privateKey, 'd'), origin: 'file', source: file };
}

/** Loads a PEM public key of `algorithm` (SPKI); a private key file is accepted too (its public half is used). */
export function loadPublicKeyFile(file: string, algorithm: KeyAlgorithm): PublicKeyInfo {
  const expected = `a PEM public key (SPKI) of type ${algorithm}`;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: readFileSync(file), format: 'pem' });
  } catch (error) {
    throw BodycamError.badInput({ file }, expected, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'something else');
  }
  if (publicKey.asymmetricKeyType !== algorithm) throw BodycamError.badInput({ file }, expected, `a ${publicKey.asymmetricKeyType ?? 'symmetric'} key`);
  return publicInfo(algorithm, publicKey);
}

/** PEM (SPKI) text of a public key. */
export function publicKeyPem(key: PublicKeyInfo): string {
  return key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/** PEM (PKCS#8) text of a private key. */
export function privateKeyPem(key: KeyPair): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** A new random key pair (the only place the evidence code draws randomness: real keys). */
export function generateKeyPair(algorithm: KeyAlgorithm, source: string): KeyPair {
  const { privateKey } = algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('x25519');
  return { ...publicInfo(algorithm, createPublicKey(privateKey)), privateKey, seed: rawOf(privateKey, 'd'), origin: 'file', source };
}

/** True when `fingerprint` is the simulation key of `deviceId`. */
export function isSimulationDeviceKey(deviceId: string, fingerprint: string): boolean {
  return simulationDeviceKey(deviceId).fingerprint === fingerprint;
}

/** Hex fingerprint check, for parsing. */
export function isFingerprint(text: unknown): text is string {
  return typeof text === 'string' && /^[0-9a-f]{64}$/.test(text);
}

