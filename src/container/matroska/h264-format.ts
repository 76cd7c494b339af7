/**
 * Matroska with H.264 video (`V_MPEG4/ISO/AVC`, CodecPrivate: the avcC) and 16-bit PCM audio as a
 * {@link RecordingFormat}: the same clusters, cues and crash-tolerant layout as the MJPEG format.
 *
 * The avcC is built from the SPS and PPS of the recording's first key packet (an encoder's IDR
 * carries them in-band), or is the one the encoder knew beforehand (a passthrough); so the header
 * is written when the first video packet arrives, and audio that comes before it waits. A key
 * packet whose in-band SPS/PPS differ from the header's is refused: one avcC describes the file.
 */
import { BodycamError } from '../../errors/index.js';
import type { ContainerStats, ContainerWriter, ContainerWriterOptions, RecordingFormat } from '../../media/index.js';
import { type AvcConfig, buildAvcC, parameterSets, parseAvcC, sameBytes, splitLengthPrefixed } from '../../media/h264/index.js';
import type { ByteSink } from '../byte-sink.js';
import { AUDIO_CODEC_ID, H264_CODEC_ID } from './segment-header.js';
import { MatroskaWriter } from './writer.js';

const NO_STATS: ContainerStats = Object.freeze({ videoFramesWritten: 0, audioSamplesWritten: 0, lastVideoWrittenUs: null });

function createH264MatroskaWriter(sink: ByteSink, options: ContainerWriterOptions): ContainerWriter {
  let writer: MatroskaWriter | null = null;
  let config: AvcConfig | null = null;
  const known = options.video.decoderConfig ?? null;
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
      const units = splitLengthPrefixed(data, config?.lengthSize ?? (known === null ? 4 : parseAvcC(known).lengthSize));
      const inBand = parameterSets(units);
      let target = writer;
      if (target === null) {
        if (type !== 'key') throw BodycamError.runtime(`an H.264 recording must begin with a key frame; the first frame (at ${timestampUs} µs) is a delta frame`);
        const avcC = inBand.sps.length > 0 && inBand.pps.length > 0 ? buildAvcC(inBand.sps, inBand.pps, 4) : known;
        if (avcC === null) throw BodycamError.runtime(`the first key frame of an H.264 recording (at ${timestampUs} µs) carries no SPS/PPS and the encoder gave no avcC`);
        config = parseAvcC(avcC);
        target = open(avcC);
      } else if (config !== null && (changed(inBand.sps, config.sps) || changed(inBand.pps, config.pps))) {
        throw BodycamError.runtime(`the H.264 stream changed its SPS/PPS at ${timestampUs} µs into the recording; one recording holds one stream configuration`);
      }
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

function changed(inBand: readonly Uint8Array[], known: readonly Uint8Array[]): boolean {
  return !inBand.every((unit) => known.some((other) => sameBytes(unit, other)));
}

/** H.264 + PCM in Matroska (`.mkv`, `V_MPEG4/ISO/AVC`, `A_PCM/INT/LIT`). */
export const MATROSKA_H264_FORMAT: RecordingFormat = Object.freeze({
  name: 'matroska-h264',
  extension: '.mkv',
  videoCodecId: H264_CODEC_ID,
  audioCodecId: AUDIO_CODEC_ID,
  createWriter: createH264MatroskaWriter,
});
