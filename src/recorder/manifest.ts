/**
 * The recording manifest (contract §6, `bodycam-recording/1`): what a recording holds, why it
 * started and stopped, and the file's SHA-256. Written beside the .mkv, atomically.
 */
import type { ContractStopReason, TriggerSource } from '../events/index.js';

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
  readonly trigger: { readonly atUs: number; readonly source: TriggerSource };
  readonly preRoll: { readonly requestedUs: number; readonly actualUs: number; readonly limitedBy: PreRollLimit };
  readonly video: {
    readonly codec: 'V_MJPEG';
    readonly width: number;
    readonly height: number;
    readonly frames: number;
    readonly firstFrameUs: number | null;
    readonly lastFrameUs: number | null;
  };
  readonly audio: {
    readonly codec: 'A_PCM/INT/LIT';
    readonly sampleRate: number;
    readonly samples: number;
    readonly firstSampleUs: number | null;
  } | null;
  /** `reason` is one of the contract's; `detail` (extension) names a finer firmware reason (`dock`, `write-failure`). */
  readonly stop: { readonly atUs: number; readonly reason: ContractStopReason; readonly detail?: string };
  readonly markers: readonly number[];
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

/** Serialises a manifest the same way every time (2-space JSON, trailing newline). */
export function serializeManifest(manifest: RecordingManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
