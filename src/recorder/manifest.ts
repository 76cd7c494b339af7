/**
 * The recording manifest (contract §6, `bodycam-recording/1`): what a recording holds, why it
 * started and stopped, and the file's SHA-256. Written beside the .mkv, atomically.
 */
import type { StopReason, TriggerSource } from '../events/index.js';

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
  /** False when the file was cut off (power cut, storage failure): it holds whole clusters only. */
  readonly complete: boolean;
  /** True when `bodycam repair` rewrote the file. */
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
  readonly stop: { readonly atUs: number; readonly reason: StopReason };
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
  readonly repairedFrom?: { readonly file: string; readonly bytes: number; readonly sha256: string; readonly droppedBytes: number };
}

/** Serialises a manifest the same way every time (2-space JSON, trailing newline). */
export function serializeManifest(manifest: RecordingManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
