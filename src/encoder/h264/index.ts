/** The H.264 codec: libx264 through one ffmpeg process per camera, and the decoder of H.264 sources. */
export { H264_CODEC } from './h264-codec.js';
export { H264Decoder } from './h264-decoder.js';
export { FfmpegPipe, requireFfmpeg } from './ffmpeg-pipe.js';
export { KeyframeClock, h264Level, x264Arguments } from './x264-settings.js';
export type { X264Settings } from './x264-settings.js';
export { rgbToI420 } from './rgb-to-i420.js';
