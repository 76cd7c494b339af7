/**
 * The one place codecs and recording formats are registered. A new codec (H.264) is its own
 * folder implementing VideoCodec plus one line here; a new container (MP4) is its own folder
 * implementing RecordingFormat plus one line here. The camera takes its media from here.
 */
import { MATROSKA_MJPEG_FORMAT } from '../container/index.js';
import { MJPEG_CODEC } from '../encoder/index.js';
import type { RecordingFormat, VideoCodec } from '../media/index.js';

/** The codecs a camera can encode with, by name. */
export const VIDEO_CODECS: Readonly<Record<string, VideoCodec>> = Object.freeze({ [MJPEG_CODEC.name]: MJPEG_CODEC });

/** The formats a camera can record in, by name. */
export const RECORDING_FORMATS: Readonly<Record<string, RecordingFormat>> = Object.freeze({ [MATROSKA_MJPEG_FORMAT.name]: MATROSKA_MJPEG_FORMAT });

/** A camera's codec and recording format. */
export interface CameraMedia {
  readonly codec: VideoCodec;
  readonly format: RecordingFormat;
}

/** What a camera records with unless told otherwise: MJPEG in Matroska. */
export const DEFAULT_MEDIA: CameraMedia = Object.freeze({ codec: MJPEG_CODEC, format: MATROSKA_MJPEG_FORMAT });
