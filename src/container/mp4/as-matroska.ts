/**
 * An MP4 file's tracks and packets in the shape the Matroska reader gives them (tracks with
 * Matroska codec ids, blocks with presentation times in µs), so the H.264 and PCM checks of
 * fixtures and sources read both containers through one path. Pure.
 */
import { AUDIO_CODEC_ID, H264_CODEC_ID } from '../matroska/segment-header.js';
import type { MatroskaBlock, MatroskaTrack } from '../matroska/reader.js';
import type { DemuxedMp4 } from './demux.js';

/** The Matroska view of an MP4: tracks numbered by their MP4 track ids, blocks in decode order, track by track. */
export interface Mp4AsMatroska {
  readonly tracks: readonly MatroskaTrack[];
  readonly blocks: readonly MatroskaBlock[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * H.264 becomes `V_MPEG4/ISO/AVC` with its avcC as CodecPrivate, 16-bit little-endian PCM
 * `A_PCM/INT/LIT`; any other codec keeps mediabunny's name as `mp4:<codec>`, for the caller to
 * refuse by name.
 */
export function mp4AsMatroska(demuxed: DemuxedMp4): Mp4AsMatroska {
  const tracks: MatroskaTrack[] = demuxed.tracks.map((track) => {
    if (track.type === 'video') {
      const h264 = track.codec === 'avc';
      return {
        number: track.id, type: 'video', codecId: h264 ? H264_CODEC_ID : `mp4:${track.codec ?? 'unknown'}`,
        ...(h264 && track.description !== null ? { codecPrivate: track.description } : {}),
        ...(track.width === undefined ? {} : { width: track.width }), ...(track.height === undefined ? {} : { height: track.height }),
      };
    }
    const pcm = track.codec === 'pcm-s16';
    return {
      number: track.id, type: 'audio', codecId: pcm ? AUDIO_CODEC_ID : `mp4:${track.codec ?? 'unknown'}`,
      ...(pcm ? { bitDepth: 16 } : {}),
      ...(track.sampleRate === undefined ? {} : { sampleRate: track.sampleRate }), ...(track.channels === undefined ? {} : { channels: track.channels }),
    };
  });
  const blocks: MatroskaBlock[] = demuxed.tracks.flatMap((track) => track.packets.map((packet) => ({
    trackNumber: track.id, timestampUs: packet.presentationUs, keyframe: packet.keyframe, payload: packet.data,
  })));
  return { tracks, blocks, tags: demuxed.tags };
}
