/**
 * The device profile (contract §5): every tunable of the simulated camera, with the contract's
 * defaults. Scenario `device` blocks and `--config` files override it key by key.
 */

/** Video settings of the device's encoder. */
export interface VideoProfile {
  /** Output width in pixels; `null` means the fixture's. */
  readonly width: number | null;
  /** Output height in pixels; `null` means the fixture's. */
  readonly height: number | null;
  /** Output frame rate; `null` keeps the fixture's capture times (no rate conversion). */
  readonly fps: number | null;
  /** JPEG quality, 1..100. */
  readonly jpegQuality: number;
  /** Cap on the video bitrate in kbit/s (per-frame quality control keeps under it); `null` for none. */
  readonly maxBitrateKbps: number | null;
  /** Burn the wall clock, device id and officer id into every frame. */
  readonly burnIn: boolean;
  /**
   * For a sensor frame already at the output size and JPEG quality: encode again only the blocks
   * the burn-in covers (true), or decode and encode the whole frame (false).
   */
  readonly spliceBurnIn: boolean;
  /** The codec the device records with (contract §9): Motion JPEG (default) or H.264. */
  readonly codec: 'mjpeg' | 'h264';
  /** H.264: a keyframe (IDR) every this many seconds of capture time, 0.2..10 (default 1). */
  readonly keyframeIntervalSeconds: number;
  /** H.264: the target bitrate in kbit/s, also the VBV cap (default 4000). */
  readonly bitrateKbps: number;
}

/** How recordings are stored (contract §9). */
export interface RecordingProfile {
  /**
   * The file format: Matroska (`.mkv`, default) or fragmented MP4 (`.mp4`, H.264 only: one
   * fragment per keyframe-aligned second, docs/container.md).
   */
  readonly container: 'matroska' | 'mp4';
}

/** Battery drain, in percent per hour, by activity. */
export interface BatteryProfile {
  /** Level at t = 0, percent. */
  readonly startPercent: number;
  readonly standbyPercentPerHour: number;
  /** About 10 h of recording from full by default. */
  readonly recordingPercentPerHour: number;
  /** Added on top of recording while streaming. */
  readonly streamingPercentPerHour: number;
  /** Charge rate while docked (the dock charges the battery). */
  readonly chargingPercentPerHour: number;
  /** Level at which the low-battery warning starts. */
  readonly lowPercent: number;
}

/** The whole device profile. */
export interface DeviceProfile {
  readonly deviceId: string;
  readonly officerId: string;
  /** Pre-record window, 0..120 s. */
  readonly preRecordSeconds: number;
  /** Keep audio in the pre-roll (the spoken warning must be on the recording). */
  readonly preRecordAudio: boolean;
  /** What a previous recording's frames may do in the next pre-roll (contract §4). */
  readonly preRollOverlap: 'allow' | 'trim';
  /**
   * Which keyframe a pre-roll starts at when frames are not all keyframes (contract §9):
   * `'keyframe-before'` (at least the requested pre-roll, at most one GOP more; the buffer keeps
   * that GOP) or `'keyframe-after'`. With MJPEG both are the rule of §4.
   */
  readonly preRollStart: 'keyframe-before' | 'keyframe-after';
  readonly startGesture: 'press' | 'double-press';
  /** Max gap between the two presses of a double-press. */
  readonly doublePressWindowMs: number;
  readonly stopHoldSeconds: number;
  readonly powerHoldSeconds: number;
  readonly debounceMs: number;
  readonly bootSeconds: number;
  readonly video: VideoProfile;
  /** The recordings' container. */
  readonly recording: RecordingProfile;
  /** Byte budget of the pre-record buffer's arena. */
  readonly bufferBytes: number;
  /** Metadata slots in the buffer's ring; `null` sizes it from the window and frame rate. */
  readonly bufferSlots: number | null;
  /** Audio is buffered in chunks of this many milliseconds. */
  readonly audioChunkMs: number;
  readonly allowStealth: boolean;
  /** Storage capacity in bytes (64 GB). */
  readonly storageBytes: number;
  /** Sustained write speed of the storage, bytes per second of virtual time (SD card: 20 MB/s). */
  readonly storageWriteBytesPerSecond: number;
  /** A recording longer than this is split into a new file. */
  readonly maxRecordingSeconds: number;
  /** Reminder feedback interval while recording. */
  readonly reminderSeconds: number;
  /**
   * How long a recording a trigger-bus signal started may be cancelled as a false trigger by a
   * short record press (docs/device.md, "Trigger bus"; Axon Signal and WatchGuard: 10 s). 0: never.
   */
  readonly signalCancelSeconds: number;
  readonly battery: BatteryProfile;
  /** A coordinator's stream request starts a recording (contract §7 default). */
  readonly streamStartsRecording: boolean;
  /** Encrypt recordings at rest (AES-256-GCM). */
  readonly encryptAtRest: boolean;
}

const MIB = 1024 * 1024;

/** The contract's defaults (§5) and the documented defaults of the extensions. */
export const DEFAULT_PROFILE: DeviceProfile = Object.freeze({
  deviceId: 'DRD-BC-0001',
  officerId: 'H-0001',
  preRecordSeconds: 30,
  preRecordAudio: true,
  preRollOverlap: 'allow',
  preRollStart: 'keyframe-before',
  startGesture: 'press',
  doublePressWindowMs: 400,
  stopHoldSeconds: 3,
  powerHoldSeconds: 2,
  debounceMs: 50,
  bootSeconds: 3,
  video: Object.freeze({ width: null, height: null, fps: null, jpegQuality: 80, maxBitrateKbps: null, burnIn: true, spliceBurnIn: true, codec: 'mjpeg', keyframeIntervalSeconds: 1, bitrateKbps: 4000 }),
  recording: Object.freeze({ container: 'matroska' }),
  bufferBytes: 128 * MIB,
  bufferSlots: null,
  audioChunkMs: 20,
  allowStealth: false,
  storageBytes: 64_000_000_000,
  storageWriteBytesPerSecond: 20_000_000,
  maxRecordingSeconds: 4 * 3600,
  reminderSeconds: 120,
  signalCancelSeconds: 10,
  battery: Object.freeze({
    startPercent: 100,
    standbyPercentPerHour: 2.5,
    recordingPercentPerHour: 10,
    streamingPercentPerHour: 8,
    chargingPercentPerHour: 50,
    lowPercent: 10,
  }),
  streamStartsRecording: true,
  encryptAtRest: false,
});

/** A partial profile, as scenario `device` blocks and `--config` files give it. */
export type DeviceProfileOverrides = {
  readonly [K in keyof DeviceProfile]?: DeviceProfile[K] extends object ? Partial<DeviceProfile[K]> : DeviceProfile[K];
};

/** Applies overrides in order (later wins), merging `video`, `recording` and `battery` key by key. */
export function resolveProfile(...overrides: readonly (DeviceProfileOverrides | undefined)[]): DeviceProfile {
  let profile: DeviceProfile = DEFAULT_PROFILE;
  for (const override of overrides) {
    if (override === undefined) continue;
    profile = {
      ...profile,
      ...override,
      video: { ...profile.video, ...override.video },
      recording: { ...profile.recording, ...override.recording },
      battery: { ...profile.battery, ...override.battery },
    } as DeviceProfile;
  }
  return profile;
}
