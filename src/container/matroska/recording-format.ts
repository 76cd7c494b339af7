/**
 * Matroska with MJPEG video and 16-bit PCM audio as a {@link RecordingFormat}: the recorder's
 * default container, behind the container-writer seam (src/media).
 */
import type { ContainerWriter, ContainerWriterOptions, RecordingFormat } from '../../media/index.js';
import type { ByteSink } from '../byte-sink.js';
import { AUDIO_CODEC_ID, VIDEO_CODEC_ID } from './segment-header.js';
import { MatroskaWriter } from './writer.js';

/** The Matroska writer behind the {@link ContainerWriter} interface. */
function createMatroskaWriter(sink: ByteSink, options: ContainerWriterOptions): ContainerWriter {
  const writer = new MatroskaWriter(sink, {
    video: options.video,
    audio: options.audio === null ? null : { sampleRate: options.audio.sampleRate, channels: 1, bitDepth: 16 },
    title: options.title,
    dateUtcMs: options.dateUtcMs,
    writingApp: options.writingApp,
    tags: options.tags,
  });
  return {
    addVideo: (timestampUs, data, type) => writer.addVideoFrame(timestampUs, data, type === 'key'),
    addAudio: (timestampUs, pcmS16le) => writer.addAudio(timestampUs, pcmS16le),
    finalize: (durationUs, chapters) => writer.finalize(durationUs, chapters),
    get stats() {
      return writer.stats;
    },
  };
}

/** MJPEG + PCM in Matroska (`.mkv`, `V_MJPEG`, `A_PCM/INT/LIT`). */
export const MATROSKA_MJPEG_FORMAT: RecordingFormat = Object.freeze({
  name: 'matroska-mjpeg',
  extension: '.mkv',
  videoCodecId: VIDEO_CODEC_ID,
  audioCodecId: AUDIO_CODEC_ID,
  intraOnly: true,
  createWriter: createMatroskaWriter,
});
