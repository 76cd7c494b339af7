/**
 * The one place codecs and recording formats are registered. A new codec (H.264) is its own
 * folder implementing VideoCodec plus one line here; a new container (MP4) is its own folder
 * implementing RecordingFormat plus one line here. The camera takes its media from here.
 */
import { MATROSKA_H264_FORMAT, MATROSKA_MJPEG_FORMAT } from '../container/index.js';
import type { DeviceProfile } from '../device/index.js';
import { MJPEG_CODEC } from '../encoder/index.js';
import { H264_CODEC } from '../encoder/h264/index.js';
import type { RecordingFormat, VideoCodec } from '../media/index.js';

/** The codecs a camera can encode with, by name. */
export const VIDEO_CODECS: Readonly<Record<string, VideoCodec>> = Object.freeze({ [MJPEG_CODEC.name]: MJPEG_CODEC, [H264_CODEC.name]: H264_CODEC });

/** The formats a camera can record in, by name. */
export const RECORDING_FORMATS: Readonly<Record<string, RecordingFormat>> = Object.freeze({
  [MATROSKA_MJPEG_FORMAT.name]: MATROSKA_MJPEG_FORMAT,
  [MATROSKA_H264_FORMAT.name]: MATROSKA_H264_FORMAT,
});

/** A camera's codec and recording format. */
export interface CameraMedia {
  readonly codec: VideoCodec;
  readonly format: RecordingFormat;
}

/** What a camera records with unless told otherwise: MJPEG in Matroska. */
export const DEFAULT_MEDIA: CameraMedia = Object.freeze({ codec: MJPEG_CODEC, format: MATROSKA_MJPEG_FORMAT });

/** What the device profile asks for: its `video.codec`, in the Matroska format that carries it. */
export function mediaForProfile(profile: DeviceProfile): CameraMedia {
  return profile.video.codec === 'h264' ? H264_MEDIA : DEFAULT_MEDIA;
}

/** H.264 in Matroska (contract §9). */
export const H264_MEDIA: CameraMedia = Object.freeze({ codec: H264_CODEC, format: MATROSKA_H264_FORMAT });
