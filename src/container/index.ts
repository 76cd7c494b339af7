export { concatBytes } from './bytes.js';
export type { ByteSink } from './byte-sink.js';
export { MemoryByteSink } from './memory-byte-sink.js';
export { FileByteSink } from './file-sink.js';
export type { FileByteSinkOptions } from './file-sink.js';
export { closeFile, createFile, writeAllAt } from './fd-io.js';
export { MP4_H264_FORMAT, MP4_VIDEO_CODEC_ID, MP4_AUDIO_CODEC_ID } from './mp4/recording-format.js';
export { readFragmentedMp4, readMoof } from './mp4/fragments.js';
export { isMp4, readMp4 } from './mp4/read-mp4.js';
export { repairFragmentedMp4 } from './mp4/repair-mp4.js';
export type { Mp4RepairResult, Mp4CutFragment } from './mp4/repair-mp4.js';
export { demuxMp4, unitsToUs } from './mp4/demux.js';
export type { DemuxedMp4, DemuxedTrack, DemuxedPacket } from './mp4/demux.js';
export type { Mp4Layout, Mp4Fragment, Mp4Track, Mp4TrackRun } from './mp4/fragments.js';
export {
  MatroskaWriter, MATROSKA_MJPEG_FORMAT, MATROSKA_H264_FORMAT, H264_CODEC_ID, DEFAULT_TIMESTAMP_SCALE_NS, DEFAULT_CLUSTER_TARGET_US, DEFAULT_INTERLEAVE_WINDOW_US,
  VIDEO_TRACK_NUMBER, AUDIO_TRACK_NUMBER, VIDEO_CODEC_ID, AUDIO_CODEC_ID, MUXING_APP, MAX_RELATIVE_TICKS,
  readMatroska, repairMatroska,
} from './matroska/index.js';
export type {
  MatroskaWriterOptions, MatroskaWriterStats, MatroskaChapter, MatroskaFile, MatroskaTrack, MatroskaBlock, ReadMatroskaOptions, RepairResult, RepairOptions,
} from './matroska/index.js';
