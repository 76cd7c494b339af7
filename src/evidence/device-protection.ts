/**
 * What the device does to protect its recordings (the `RecordingProtection` the recorder uses):
 * it signs every manifest with its Ed25519 key and, with `encryptAtRest`, writes each recording
 * encrypted for the back office. Wired into a replay by src/sim.
 */
import { BodycamError, assertArgument } from '../errors/index.js';
import type { RecordingProtection } from '../recorder/index.js';
import { UNPROTECTED } from '../recorder/index.js';
import { createFileCipher, deriveFileId } from './chunk-cipher.js';
import { DEFAULT_CHUNK_BYTES, ENCRYPTED_EXTENSION, MAX_CHUNK_BYTES, MIN_CHUNK_BYTES } from './encrypted-format.js';
import { type ChunkEncryptionEvent, EncryptingFileSink } from './encrypting-sink.js';
import {
  type KeyPair, type PublicKeyInfo, loadPrivateKeyFile, loadPublicKeyFile, simulationBackOfficeKeys, simulationDeviceKey,
} from './keys.js';
import { signManifest } from './signatures.js';

/** The device's evidence settings that are not part of the profile: where its keys are. */
export interface DeviceEvidenceOptions {
  /** The device's Ed25519 private key (PEM); default: the simulation key of its deviceId (not secret). */
  readonly deviceKeyFile?: string;
  /** The back office's X25519 public key (PEM) to encrypt to; default: the simulation back office. */
  readonly backOfficeKeyFile?: string;
  /** Plaintext bytes per encrypted chunk (default 1 MiB). */
  readonly chunkBytes?: number;
  /** Observer of every chunk encryption (tests). */
  readonly onEncrypt?: (recordingId: string, event: ChunkEncryptionEvent) => void;
}

/** The resolved keys of a device. */
export interface DeviceKeys {
  readonly signing: KeyPair;
  /** The back office key recordings are encrypted for (null when not encrypting). */
  readonly recipient: PublicKeyInfo | null;
}

/** Loads (or derives) the device's keys. */
export function resolveDeviceKeys(device: { readonly deviceId: string; readonly encryptAtRest: boolean }, options: DeviceEvidenceOptions = {}): DeviceKeys {
  const signing = options.deviceKeyFile === undefined ? simulationDeviceKey(device.deviceId) : loadPrivateKeyFile(options.deviceKeyFile, 'ed25519');
  if (!device.encryptAtRest) return { signing, recipient: null };
  const simulationRecipient = simulationBackOfficeKeys().encryption;
  const recipient = options.backOfficeKeyFile === undefined ? simulationRecipient : loadPublicKeyFile(options.backOfficeKeyFile, 'x25519');
  // The data keys derive from the device's seed: with the (public) simulation key anyone can derive
  // them and open the file, whatever back office it is "encrypted for". Refused, not just warned:
  // a real back-office key promises a confidentiality the simulation key cannot give.
  if (signing.origin === 'simulation' && recipient.fingerprint !== simulationRecipient.fingerprint) {
    throw BodycamError.usage(`encryptAtRest to a real back-office key (${options.backOfficeKeyFile ?? ''}) with the simulation device key of ${device.deviceId} `
      + '(NOT secret: anyone can derive the data keys from it and decrypt): give the device its own key with --device-key FILE (bodycam evidence keygen)');
  }
  return { signing, recipient };
}

/** The protection of a device's recordings: signed manifests, and encryption at rest when asked. */
export function deviceProtection(device: { readonly deviceId: string; readonly encryptAtRest: boolean }, options: DeviceEvidenceOptions = {}): RecordingProtection {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  assertArgument(Number.isSafeInteger(chunkBytes) && chunkBytes >= MIN_CHUNK_BYTES && chunkBytes <= MAX_CHUNK_BYTES, 'chunkBytes',
    `an integer from ${MIN_CHUNK_BYTES} to ${MAX_CHUNK_BYTES}`, chunkBytes);
  const keys = resolveDeviceKeys(device, options);
  const sign: RecordingProtection['sign'] = (manifest) => signManifest(manifest, keys.signing);
  const recipient = keys.recipient;
  if (recipient === null) return { ...UNPROTECTED, sign };
  return {
    fileSuffix: ENCRYPTED_EXTENSION,
    sign,
    createSink: (path, recordingId) => {
      const cipher = createFileCipher({ deviceSeed: keys.signing.seed, fileId: deriveFileId(device.deviceId, recordingId), recipient, chunkBytes });
      const observer = options.onEncrypt;
      return EncryptingFileSink.create(path, cipher, observer === undefined ? {} : { onEncrypt: (event) => observer(recordingId, event) });
    },
  };
}
