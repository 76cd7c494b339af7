/**
 * The one place codecs and recording formats are registered. A new codec (H.264) is its own
 * folder implementing VideoCodec plus one line here; a new container (MP4) is its own folder
 * implementing RecordingFormat plus one line here. The camera takes its media from here.
 */
import { MATROSKA_H264_FORMAT, MATROSKA_MJPEG_FORMAT, MP4_H264_FORMAT } from '../container/index.js';
import type { DeviceProfile } from '../device/index.js';
import { BodycamError } from '../errors/index.js';
import { MJPEG_CODEC } from '../encoder/index.js';
import { H264_CODEC } from '../encoder/h264/index.js';
import type { RecordingFormat, VideoCodec } from '../media/index.js';

/** The codecs a camera can encode with, by name. */
export const VIDEO_CODECS: Readonly<Record<string, VideoCodec>> = Object.freeze({ [MJPEG_CODEC.name]: MJPEG_CODEC, [H264_CODEC.name]: H264_CODEC });

/** The formats a camera can record in, by name. */
export const RECORDING_FORMATS: Readonly<Record<string, RecordingFormat>> = Object.freeze({
  [MATROSKA_MJPEG_FORMAT.name]: MATROSKA_MJPEG_FORMAT,
  [MATROSKA_H264_FORMAT.name]: MATROSKA_H264_FORMAT,
  [MP4_H264_FORMAT.name]: MP4_H264_FORMAT,
});

/** A camera's codec and recording format. */
export interface CameraMedia {
  readonly codec: VideoCodec;
  readonly format: RecordingFormat;
}

/** What a camera records with unless told otherwise: MJPEG in Matroska. */
export const DEFAULT_MEDIA: CameraMedia = Object.freeze({ codec: MJPEG_CODEC, format: MATROSKA_MJPEG_FORMAT });

/** H.264 in Matroska (contract §9). */
export const H264_MEDIA: CameraMedia = Object.freeze({ codec: H264_CODEC, format: MATROSKA_H264_FORMAT });

/** H.264 in fragmented MP4 (contract §9, `"recording": {"container": "mp4"}`). */
export const H264_MP4_MEDIA: CameraMedia = Object.freeze({ codec: H264_CODEC, format: MP4_H264_FORMAT });

/**
 * Refuses a profile whose container cannot carry its codec (MP4 is for H.264 only) with the
 * one-line bad-input error of contract §8, naming `file` (the config or scenario that set it).
 */
export function assertRecordingContainer(profile: DeviceProfile, file: string | null): void {
  if (profile.recording.container === 'mp4' && profile.video.codec !== 'h264') {
    throw BodycamError.badInput({ ...(file === null ? {} : { file }), place: 'recording.container' },
      `"matroska" for video.codec "${profile.video.codec}" (an MP4 recording is H.264 only: set video.codec "h264")`, '"mp4"');
  }
}

/** What the device profile asks for: its `video.codec`, in its `recording.container`. */
export function mediaForProfile(profile: DeviceProfile): CameraMedia {
  assertRecordingContainer(profile, null);
  if (profile.video.codec !== 'h264') return DEFAULT_MEDIA;
  return profile.recording.container === 'mp4' ? H264_MP4_MEDIA : H264_MEDIA;
}
