/**
 * Matroska with H.264 video (`V_MPEG4/ISO/AVC`, CodecPrivate: the avcC) and 16-bit PCM audio as a
 * {@link RecordingFormat}: the same clusters, cues and crash-tolerant layout as the MJPEG format.
 *
 * The avcC is built from the SPS and PPS of the recording's first key packet (an encoder's IDR
 * carries them in-band), or is the one the encoder knew beforehand (a passthrough); so the header
 * is written when the first video packet arrives, and audio that comes before it waits. A key
 * packet whose in-band SPS/PPS differ from the header's is refused: one avcC describes the file.
 */
import type { ContainerStats, ContainerWriter, ContainerWriterOptions, RecordingFormat } from '../../media/index.js';
import { RecordingAvcConfig } from '../../media/h264/index.js';
import type { ByteSink } from '../byte-sink.js';
import { AUDIO_CODEC_ID, H264_CODEC_ID } from './segment-header.js';
import { MatroskaWriter } from './writer.js';

const NO_STATS: ContainerStats = Object.freeze({ videoFramesWritten: 0, audioSamplesWritten: 0, lastVideoWrittenUs: null });

function createH264MatroskaWriter(sink: ByteSink, options: ContainerWriterOptions): ContainerWriter {
  let writer: MatroskaWriter | null = null;
  const known = options.video.decoderConfig ?? null;
  const avc = new RecordingAvcConfig(known);
  const waitingAudio: [number, Uint8Array][] = [];

  const open = (avcC: Uint8Array | null): MatroskaWriter => {
    const opened = new MatroskaWriter(sink, {
      video: {
        width: options.video.width, height: options.video.height, frameDurationUs: options.video.frameDurationUs,
        codecId: H264_CODEC_ID, ...(avcC === null ? {} : { codecPrivate: avcC }),
      },
      audio: options.audio === null ? null : { sampleRate: options.audio.sampleRate, channels: 1, bitDepth: 16 },
      title: options.title,
      dateUtcMs: options.dateUtcMs,
      writingApp: options.writingApp,
      tags: options.tags,
    });
    writer = opened;
    for (const [timestampUs, pcm] of waitingAudio.splice(0)) opened.addAudio(timestampUs, pcm);
    return opened;
  };

  return {
    addVideo: (timestampUs, data, type) => {
      const avcC = avc.accept(timestampUs, data, type);
      const target = writer ?? open(avcC);
      target.addVideoFrame(timestampUs, data, type === 'key');
    },
    addAudio: (timestampUs, pcm) => {
      if (writer === null) waitingAudio.push([timestampUs, pcm.slice()]);
      else writer.addAudio(timestampUs, pcm);
    },
    finalize: (durationUs, chapters) => (writer ?? open(known)).finalize(durationUs, chapters),
    get stats() {
      return writer === null ? NO_STATS : (writer as MatroskaWriter).stats;
    },
  };
}

/** H.264 + PCM in Matroska (`.mkv`, `V_MPEG4/ISO/AVC`, `A_PCM/INT/LIT`). */
export const MATROSKA_H264_FORMAT: RecordingFormat = Object.freeze({
  name: 'matroska-h264',
  extension: '.mkv',
  videoCodecId: H264_CODEC_ID,
  audioCodecId: AUDIO_CODEC_ID,
  createWriter: createH264MatroskaWriter,
});
