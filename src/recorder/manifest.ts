/**
 * The recording manifest (contract §6, `bodycam-recording/1`): what a recording holds, why it
 * started and stopped, and the file's SHA-256. Written beside the .mkv, atomically.
 */
import type { ContractStopReason, SignalName, TriggerSource } from '../events/index.js';
import type { LostFrames } from './lost-frames.js';

/** Why the pre-roll is shorter than requested (contract §4), plus our `gop` extension. */
export type PreRollLimit = null | 'boot' | 'bytes' | 'trim' | 'gop';

/** Contract §6 manifest, with documented extensions (`format`, `complete`, `repaired`, `originUs`, `wallClock.trigger`). */
export interface RecordingManifest {
  readonly format: 'bodycam-recording/1';
  readonly id: string;
  readonly deviceId: string;
  readonly officerId: string;
  /** The .mkv file name, relative to the manifest. */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Present when the file is encrypted at rest (`bytes` and `sha256` are then the encrypted file's). */
  readonly encryption?: ManifestEncryption;
  /** False when the file was cut off (power cut, storage failure): it holds whole clusters only. */
  readonly complete: boolean;
  /** True when `bodycam repair` rebuilt the file from a cut-off one (`repairedFrom`); `complete` is then false. */
  readonly repaired: boolean;
  /** `signal` and `sender` (extension, contract §10): the kind and sending camera of a trigger-bus signal. */
  readonly trigger: { readonly atUs: number; readonly source: TriggerSource; readonly signal?: SignalName; readonly sender?: string };
  readonly preRoll: { readonly requestedUs: number; readonly actualUs: number; readonly limitedBy: PreRollLimit };
  readonly video: {
    /** The container's codec id (`V_MJPEG`). */
    readonly codec: string;
    readonly width: number;
    readonly height: number;
    readonly frames: number;
    readonly firstFrameUs: number | null;
    readonly lastFrameUs: number | null;
  };
  readonly audio: {
    /** The container's codec id (`A_PCM/INT/LIT`). */
    readonly codec: string;
    readonly sampleRate: number;
    readonly samples: number;
    readonly firstSampleUs: number | null;
  } | null;
  /** `reason` is one of the contract's; `detail` (extension) names a finer firmware reason (`dock`, `write-failure`). */
  readonly stop: { readonly atUs: number; readonly reason: ContractStopReason; readonly detail?: string };
  readonly markers: readonly number[];
  /**
   * Frames captured from the first frame up to the stop that the file does not hold (contract
   * §12), or null when it holds every one. Absent only in manifests written before issue 14.
   */
  readonly lost?: LostFrames | null;
  readonly wallClock: { readonly start: string; readonly end: string; readonly trigger: string };
  /** Fixture time of container timestamp 0 (also the segment tag BODYCAM_ORIGIN_US). */
  readonly originUs: number;
  /**
   * Audio/video sync as written: where the audio starts against where the rule says it should
   * (first frame, or the trigger without pre-record audio), where it ends against the stop, and the
   * largest gap between a block's timestamp and the time its sample count gives (drift). Extension.
   */
  readonly avSync?: { readonly startErrorUs: number | null; readonly endErrorUs: number | null; readonly maxDriftUs: number } | null;
  /** Set by `bodycam repair`: the cut-off original this file was rebuilt from (never modified). */
  readonly repairedFrom?: { readonly id?: string; readonly file: string; readonly bytes: number; readonly sha256: string; readonly droppedBytes: number };
  /** The device's Ed25519 signature over the rest of the manifest (docs/evidence.md); always last. */
  readonly signature?: ManifestSignature;
}

/** How an encrypted recording was encrypted (docs/evidence.md, "Encryption at rest"). */
export interface ManifestEncryption {
  readonly scheme: 'bodycam-aes-256-gcm-chunked/1';
  /** Plaintext bytes per chunk (the last chunk may be shorter). */
  readonly chunkBytes: number;
  /** The per-file id (hex, 16 bytes) also in the encrypted file's header. */
  readonly fileId: string;
  /** SHA-256 (hex) of the raw X25519 public key of the back office the file is encrypted for. */
  readonly recipient: string;
  /** Bytes of the Matroska file inside. */
  readonly plaintextBytes: number;
  readonly chunks: number;
}

/** A manifest signature block (docs/evidence.md, "Signatures"). */
export interface ManifestSignature {
  readonly format: 'bodycam-signature/1';
  readonly algorithm: 'Ed25519';
  /** SHA-256 (hex) of the raw 32-byte public key. */
  readonly keyFingerprint: string;
  /** The raw public key, base64. */
  readonly publicKey: string;
  /** The 64-byte signature, base64. */
  readonly value: string;
}

/** A key order: each key maps to the order of its value's keys (null: a leaf, or keys sorted). */
type KeyOrder = { readonly [key: string]: KeyOrder | null };

/**
 * The one key order of a manifest file, the order the device writes. Keys not listed (only in a
 * forged or future manifest) follow the listed ones, sorted. With it, a manifest's content has
 * exactly one file form, so a key-order edit changes the bytes and `verify` catches it.
 */
const MANIFEST_KEY_ORDER: KeyOrder = {
  format: null, id: null, deviceId: null, officerId: null, file: null, bytes: null, sha256: null,
  encryption: { scheme: null, chunkBytes: null, fileId: null, recipient: null, plaintextBytes: null, chunks: null },
  complete: null, repaired: null,
  trigger: { atUs: null, source: null, signal: null, sender: null },
  preRoll: { requestedUs: null, actualUs: null, limitedBy: null },
  video: { codec: null, width: null, height: null, frames: null, firstFrameUs: null, lastFrameUs: null },
  audio: { codec: null, sampleRate: null, samples: null, firstSampleUs: null },
  stop: { atUs: null, reason: null, detail: null },
  markers: null,
  wallClock: { start: null, end: null, trigger: null },
  originUs: null,
  avSync: { startErrorUs: null, endErrorUs: null, maxDriftUs: null },
  repairedFrom: { file: null, bytes: null, sha256: null, droppedBytes: null },
  signature: { format: null, algorithm: null, keyFingerprint: null, publicKey: null, value: null },
};

function ordered(value: unknown, order: KeyOrder | null): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item, null));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const listed = order === null ? [] : Object.keys(order).filter((key) => key in record);
  const rest = Object.keys(record).filter((key) => !listed.includes(key)).sort();
  return Object.fromEntries([...listed, ...rest].map((key) => [key, ordered(record[key], order?.[key] ?? null)]));
}

/**
 * Serialises a manifest the same way every time: 2-space JSON in the device's key order
 * (whatever order the object has), trailing newline.
 */
export function serializeManifest(manifest: RecordingManifest): string {
  return `${JSON.stringify(ordered(manifest, MANIFEST_KEY_ORDER), null, 2)}\n`;
}
