/**
 * The media seams, pure: the encoded packet that travels from codec to buffer to file, the codec
 * interface and the container-writer interface with its format descriptor. Implementations live
 * in their own folders (src/encoder for MJPEG, src/container/matroska for Matroska) and are
 * registered in src/camera/media-registry.ts.
 */
export { EncodedPacket, PACKET_TYPES } from './encoded-packet.js';
export type { PacketType } from './encoded-packet.js';
export type { EncodedSourceVideo, SourceDecodeOrder, PacketResult, VideoEncoder, VideoEncoderSettings, VideoCodec, EncoderPaths } from './video-encoder.js';
export type { ContainerStats, ContainerWriter, ContainerWriterOptions, RecordingChapter, RecordingFormat } from './container-writer.js';
