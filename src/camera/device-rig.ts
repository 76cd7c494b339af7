/**
 * The per-device wiring shared by a replay and live mode: the host (buffer, recordings, storage
 * drain), the firmware and the frame encoder of one device, on a given clock and event sink.
 */
import { suggestedSlotCount } from '../buffer/index.js';
import { Device, type DeviceProfile } from '../device/index.js';
import type { BodycamError } from '../errors/index.js';
import type { EventSink } from '../events/index.js';
import type { VideoEncoder } from '../media/index.js';
import type { RecordingAudioSource, RecordingProtection } from '../recorder/index.js';
import { type SimulationClock, type WallClockOrigin, exactSecondsToUs } from '../time/index.js';
import { type CameraMedia, DEFAULT_MEDIA } from './media-registry.js';
import { CameraHost } from './camera-host.js';

/** What one device is built from. */
export interface DeviceRigOptions {
  readonly profile: DeviceProfile;
  readonly clock: SimulationClock;
  readonly emit: EventSink;
  readonly origin: WallClockOrigin;
  readonly initialState: 'standby' | 'off';
  readonly recordingsDir: string;
  /** The sensor: its frame size, nominal frame interval and capture times (for sizing the buffer's slots). */
  readonly sensor: { readonly width: number; readonly height: number; readonly frameIntervalUs: number; readonly captureUs: readonly number[] };
  /** The microphone's sample clock, or null without audio. */
  readonly audio: RecordingAudioSource | null;
  readonly writingApp: string;
  /** Manifest signing and encryption at rest (src/evidence). */
  readonly protection?: RecordingProtection;
  /** Codec and recording format (default: MJPEG in Matroska, {@link DEFAULT_MEDIA}). */
  readonly media?: CameraMedia;
  /** Called once with the first failed write of a recording file. */
  readonly onWriteFault?: (error: BodycamError) => void;
}

/** One wired device. `device.start()` has not been called yet. */
export interface DeviceRig {
  readonly host: CameraHost;
  readonly device: Device;
  readonly encoder: VideoEncoder;
  readonly outputWidth: number;
  readonly outputHeight: number;
}

/** Builds the host, firmware and encoder of one device. */
export function createDeviceRig(options: DeviceRigOptions): DeviceRig {
  const { profile, sensor } = options;
  const media = options.media ?? DEFAULT_MEDIA;
  const outputWidth = profile.video.width ?? sensor.width;
  const outputHeight = profile.video.height ?? sensor.height;
  // What the host notices on its own time goes to the firmware, built next (it takes the host as its port).
  const host: CameraHost = new CameraHost({
    profile,
    clock: options.clock,
    emit: options.emit,
    reports: (report) => device.report(report),
    origin: options.origin,
    recordingsDir: options.recordingsDir,
    video: { width: outputWidth, height: outputHeight, frameDurationUs: sensor.frameIntervalUs },
    audio: options.audio,
    slotCount: profile.bufferSlots ?? suggestedSlotCount({
      preRecordUs: exactSecondsToUs(profile.preRecordSeconds),
      videoFps: 1_000_000 / Math.max(1, minFrameIntervalUs(sensor.captureUs, sensor.frameIntervalUs)),
      audioChunkUs: options.audio === null ? null : profile.audioChunkMs * 1000,
    }),
    writingApp: options.writingApp,
    format: media.format,
    ...(options.protection === undefined ? {} : { protection: options.protection }),
    ...(options.onWriteFault === undefined ? {} : { onWriteFault: options.onWriteFault }),
  });
  const device = new Device({ profile, clock: options.clock, host, emit: options.emit, initialState: options.initialState });
  const encoder = media.codec.createEncoder({
    profile,
    origin: options.origin,
    sourceWidth: sensor.width,
    sourceHeight: sensor.height,
    outputWidth,
    outputHeight,
    frameDurationUs: sensor.frameIntervalUs,
  });
  return { host, device, encoder, outputWidth, outputHeight };
}

/** The shortest interval over any second of capture times (jittered streams burst), at most the nominal one. */
function minFrameIntervalUs(captureUs: readonly number[], nominalUs: number): number {
  let shortest = nominalUs;
  for (let i = 30; i < captureUs.length; i += 30) {
    const spanUs = (captureUs[i] ?? 0) - (captureUs[i - 30] ?? 0);
    shortest = Math.min(shortest, spanUs / 30);
  }
  return shortest;
}
