/**
 * Fragmented MP4 with H.264 video and 16-bit PCM audio as a {@link RecordingFormat} (contract §9,
 * `"recording": {"container": "mp4"}`): the same seam as Matroska, the same synchronous calls.
 *
 * mediabunny muxes (src/container/mp4/fmp4-muxer.ts) on a worker thread of its own, called
 * synchronously (sync-muxer.ts); each call's bytes go to the recording's sink before the call
 * returns, so a power cut leaves exactly the fragments written before it, as with Matroska's
 * clusters. The stats count what whole fragments (`moof` + `mdat`) hold. This module is an I/O
 * edge of the container folder: it starts the worker.
 */
import { BodycamError } from '../../errors/index.js';
import type { ContainerStats, ContainerWriter, ContainerWriterOptions, RecordingFormat } from '../../media/index.js';
import { RecordingAvcConfig } from '../../media/h264/index.js';
import type { ByteSink } from '../byte-sink.js';
import { readBoxHeader } from './boxes.js';
import type { PositionedWrite } from './fmp4-muxer.js';
import { readMoof } from './fragments.js';
import { SyncFmp4Muxer } from './sync-muxer.js';

/** The MP4 sample entry of the video track (the manifest's `video.codec`). */
export const MP4_VIDEO_CODEC_ID = 'avc1';
/** The MP4 sample entry of the audio track: integer PCM (ISO/IEC 23003-5), little-endian 16-bit. */
export const MP4_AUDIO_CODEC_ID = 'ipcm';
/** Track ids as mediabunny numbers them: video first, then audio. */
const VIDEO_TRACK_ID = 1;
const AUDIO_TRACK_ID = 2;

/**
 * Writes the muxer's bytes to the sink and counts the samples of each whole fragment that goes
 * out: what a file cut off now would hold.
 */
class FragmentLedger {
  private nextBoxAt = 0;
  videoFramesWritten = 0;
  audioSamplesWritten = 0;
  private readonly videoTimesUs: number[] = [];
  private readonly audioChunkSamples: number[] = [];
  private audioChunksWritten = 0;

  constructor(private readonly sink: ByteSink) {}

  noteVideo(timestampUs: number): void {
    this.videoTimesUs.push(timestampUs);
  }

  noteAudio(samples: number): void {
    this.audioChunkSamples.push(samples);
  }

  get lastVideoWrittenUs(): number | null {
    return this.videoFramesWritten === 0 ? null : this.videoTimesUs[this.videoFramesWritten - 1]!;
  }

  apply(writes: readonly PositionedWrite[]): void {
    for (const write of writes) {
      if (write.position === this.sink.position) this.sink.write(write.data);
      else if (write.position + write.data.byteLength <= this.sink.position) this.sink.patch(write.position, write.data);
      else throw BodycamError.runtime(`the MP4 muxer wrote at byte ${write.position} of a file of ${this.sink.position} bytes`);
      this.scan(write);
    }
  }

  /** Walks the top-level boxes that start inside `write`; each `moof` puts its samples in the file. */
  private scan(write: PositionedWrite): void {
    const end = write.position + write.data.byteLength;
    while (this.nextBoxAt >= write.position && this.nextBoxAt < end) {
      const box = readBoxHeader(write.data, this.nextBoxAt - write.position);
      if (box === null) throw BodycamError.runtime(`the MP4 muxer split a box header at byte ${this.nextBoxAt}`);
      if (box.type === 'moof') {
        if (box.end > write.data.byteLength) throw BodycamError.runtime(`the MP4 muxer split a moof box at byte ${this.nextBoxAt}`);
        for (const run of readMoof(write.data, box).runs) {
          if (run.trackId === VIDEO_TRACK_ID) this.videoFramesWritten += run.sampleSizes.length;
          if (run.trackId === AUDIO_TRACK_ID) {
            for (let i = 0; i < run.sampleSizes.length; i += 1) this.audioSamplesWritten += this.audioChunkSamples[this.audioChunksWritten++] ?? 0;
          }
        }
      }
      this.nextBoxAt = write.position + box.end;
    }
  }
}

function createMp4Writer(sink: ByteSink, options: ContainerWriterOptions): ContainerWriter {
  const muxer = new SyncFmp4Muxer();
  const ledger = new FragmentLedger(sink);
  const avc = new RecordingAvcConfig(options.video.decoderConfig ?? null);
  let lastVideoUs: number | null = null;
  const call = (request: Parameters<SyncFmp4Muxer['call']>[0]): void => ledger.apply(muxer.call(request));
  // Packets are posted without waiting; the bytes reach the sink in the same order, so the file is
  // the same. A drain step waits for the worker only when the packets posted may have closed a
  // fragment: mediabunny writes (in a fragmented file) only when it finalizes a fragment, and it
  // does that only on reaching a video keyframe after the open fragment's first frame (its
  // `keyFrameQueuedEverywhere`). Until such a key is posted, the worker's answers carry no bytes.
  let lastKeyIndex = -1;
  let videoPosted = 0;
  const mayHaveWritten = (): boolean => lastKeyIndex > ledger.videoFramesWritten;
  const flush = (): void => {
    if (muxer.pending) ledger.apply(muxer.flush());
  };
  let closed = false;
  call({
    op: 'open',
    options: {
      video: { width: options.video.width, height: options.video.height, frameDurationUs: options.video.frameDurationUs },
      audio: options.audio,
      title: options.title,
      dateUtcMs: options.dateUtcMs,
      tags: { ...options.tags, BODYCAM_WRITING_APP: options.writingApp },
    },
  });

  return {
    addVideo: (timestampUs, data, type) => {
      if (lastVideoUs !== null && timestampUs <= lastVideoUs) {
        throw BodycamError.usage(`timestampUs: expected a video timestamp strictly after the previous frame's ${lastVideoUs} µs, got ${timestampUs}`);
      }
      const avcC = avc.accept(timestampUs, data, type);
      lastVideoUs = timestampUs;
      ledger.noteVideo(timestampUs);
      if (type === 'key') lastKeyIndex = videoPosted;
      videoPosted += 1;
      muxer.post({ op: 'video', timestampUs, data, key: type === 'key', avcC });
    },
    addAudio: (timestampUs, pcm) => {
      ledger.noteAudio(pcm.byteLength / 2);
      muxer.post({ op: 'audio', timestampUs, pcm });
    },
    flush: () => {
      if (mayHaveWritten()) flush();
    },
    finalize: () => {
      // Markers are not written as chapters: mediabunny's MP4 muxer writes none (docs/container.md).
      call({ op: 'finalize' });
      closed = true;
      muxer.close();
    },
    close: () => {
      // Closing as it stands (a cut-off or failed run): what was posted still reaches the file, as
      // each packet's bytes did when every call waited. (The recorder flushes every drain step, so
      // there is nothing left here in practice; a flush that threw took every answer with it.)
      if (!closed) flush();
      closed = true;
      muxer.close();
    },
    get stats(): ContainerStats {
      // Exact whatever the step-level guess: every posted packet is answered first.
      flush();
      return { videoFramesWritten: ledger.videoFramesWritten, audioSamplesWritten: ledger.audioSamplesWritten, lastVideoWrittenUs: ledger.lastVideoWrittenUs };
    },
  };
}

/** H.264 + PCM in fragmented MP4 (`.mp4`, `avc1`, `ipcm`). */
export const MP4_H264_FORMAT: RecordingFormat = Object.freeze({
  name: 'mp4-h264',
  extension: '.mp4',
  videoCodecId: MP4_VIDEO_CODEC_ID,
  audioCodecId: MP4_AUDIO_CODEC_ID,
  createWriter: createMp4Writer,
});
