export { MatroskaWriter } from './writer.js';
export { MATROSKA_MJPEG_FORMAT } from './recording-format.js';
export { MATROSKA_H264_FORMAT } from './h264-format.js';
export type { MatroskaWriterStats } from './writer.js';
export {
  DEFAULT_TIMESTAMP_SCALE_NS, DEFAULT_CLUSTER_TARGET_US, DEFAULT_INTERLEAVE_WINDOW_US,
} from './writer-options.js';
export type { MatroskaWriterOptions } from './writer-options.js';
export {
  VIDEO_TRACK_NUMBER, AUDIO_TRACK_NUMBER, VIDEO_CODEC_ID, H264_CODEC_ID, AUDIO_CODEC_ID, MUXING_APP,
} from './segment-header.js';
export { MAX_RELATIVE_TICKS } from './cluster.js';
export { readMatroska } from './reader.js';
export type { MatroskaFile, MatroskaTrack, MatroskaBlock, ReadMatroskaOptions } from './reader.js';
export { repairMatroska } from './repair.js';
export type { RepairResult, RepairOptions } from './repair.js';
export { encodeChapters, validateChapters } from './chapters.js';
export type { MatroskaChapter } from './chapters.js';
