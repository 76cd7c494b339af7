export { FrameEncoder, JPEG_SETTINGS, MIN_CAPPED_QUALITY } from './frame-encoder.js';
export type { FrameEncoderOptions, EncodeResult } from './frame-encoder.js';
export { BurnIn, burnInScale } from './burn-in.js';
export type { BurnInOptions } from './burn-in.js';
export { AudioChunker, pcmBytes } from './audio-chunks.js';
export type { AudioChunk, PcmTrack } from './audio-chunks.js';
export { jpegQualityOf, readQuantTables, ijgTable } from './jpeg-quality.js';
export { encodeWavMono16, writeWavMono16, sampleToWavFloat } from './wav-file.js';
