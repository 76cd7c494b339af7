/**
 * Repair: turns a cut-off or unfinalized MJPEG/PCM Matroska file into a finalized one (Duration,
 * Cues, Segment size) by re-muxing every block of its whole clusters with {@link MatroskaWriter}.
 * Tracks, tags, Info strings and block timestamps (ticks) are kept; the partial tail is dropped.
 * Pure, and idempotent: repairing a repaired file gives the same bytes.
 */
import { BodycamError, isBodycamError } from '../../errors/index.js';
import { MemoryByteSink } from '../memory-byte-sink.js';
import { readMatroska, type MatroskaBlock, type MatroskaFile, type MatroskaTrack } from './reader.js';
import { AUDIO_CODEC_ID, H264_CODEC_ID, VIDEO_CODEC_ID } from './segment-header.js';
import { MatroskaWriter } from './writer.js';
import type { MatroskaWriterOptions } from './writer-options.js';

/** What {@link repairMatroska} produced. */
export interface RepairResult {
  /** The finalized file. */
  readonly bytes: Uint8Array;
  /** Video frames kept. */
  readonly frames: number;
  /** Audio sample frames kept (per channel). */
  readonly audioSamples: number;
  /** Duration written: the input's own when it was finalized, else the end of the last frame or sample. */
  readonly durationUs: number;
  /** Bytes past the last whole element of the input, dropped. */
  readonly droppedBytes: number;
}

/** Options of {@link repairMatroska}. */
export interface RepairOptions {
  /** File name for error messages. */
  readonly file?: string;
}

/** Rewrites `bytes` as a finalized file; throws a bad-input error when there is nothing to keep (no tracks, no whole cluster). */
export function repairMatroska(bytes: Uint8Array, options: RepairOptions = {}): RepairResult {
  const file = readMatroska(bytes, options);
  const location = { file: options.file, place: 'Tracks' };
  const video = file.tracks.find((track) => track.type === 'video');
  const audio = file.tracks.find((track) => track.type === 'audio');
  const knownVideo = video !== undefined && (video.codecId === VIDEO_CODEC_ID || (video.codecId === H264_CODEC_ID && video.codecPrivate !== undefined));
  if (video === undefined || !knownVideo || video.width === undefined || video.height === undefined) {
    throw BodycamError.badInput(location, `a ${VIDEO_CODEC_ID} (or ${H264_CODEC_ID} with its avcC) video track with PixelWidth and PixelHeight`,
      video === undefined ? (file.truncated ? 'a file cut off before its Tracks' : 'no video track') : `codec ${video.codecId}`);
  }
  if (audio !== undefined && (audio.codecId !== AUDIO_CODEC_ID || audio.bitDepth !== 16 || (audio.channels !== 1 && audio.channels !== 2))) {
    throw BodycamError.badInput(location, `an ${AUDIO_CODEC_ID} 16-bit mono or stereo audio track`,
      `codec ${audio.codecId}, ${audio.bitDepth ?? '?'} bits, ${audio.channels ?? '?'} channels`);
  }
  if (file.clusters === 0) {
    // Without a cluster there is nothing to play and no CuePoint to write (Cues need one).
    throw BodycamError.badInput({ file: options.file, place: `byte ${file.validBytes}` }, 'at least one whole Cluster',
      file.truncated ? 'a file cut off before its first whole cluster' : 'no Cluster');
  }
  const writerOptions = writerOptionsFor(file, video, audio);
  const blocks = [...file.blocks].sort((a, b) => a.timestampUs - b.timestampUs); // stable: keeps per-track order
  const sink = new MemoryByteSink(bytes.length + 4096);
  const writer = new MatroskaWriter(sink, writerOptions);
  let frames = 0;
  let audioSamples = 0;
  const bytesPerSampleFrame = 2 * (audio?.channels ?? 1);
  for (const block of blocks) {
    try {
      if (block.trackNumber === video.number) {
        writer.addVideoFrame(block.timestampUs, block.payload, block.keyframe);
        frames += 1;
      } else if (audio !== undefined && block.trackNumber === audio.number) {
        writer.addAudio(block.timestampUs, block.payload);
        audioSamples += block.payload.length / bytesPerSampleFrame;
      }
    } catch (error) {
      throw asBadInput(error, options.file, block);
    }
  }
  const durationUs = repairedDurationUs(file, video, audio, blocks);
  writer.finalize(durationUs);
  return { bytes: sink.toBytes(), frames, audioSamples, durationUs, droppedBytes: bytes.length - file.validBytes };
}

function writerOptionsFor(file: MatroskaFile, video: MatroskaTrack, audio: MatroskaTrack | undefined): MatroskaWriterOptions {
  const scale = file.info.timestampScaleNs;
  const frameDurationUs = video.defaultDurationNs === undefined ? undefined : Math.max(1, Math.round(video.defaultDurationNs / 1000));
  return {
    video: {
      width: video.width ?? 1, height: video.height ?? 1, ...(frameDurationUs === undefined ? {} : { frameDurationUs }),
      // H.264 keeps its codec and avcC: the repaired file is the same stream.
      ...(video.codecId === H264_CODEC_ID ? { codecId: H264_CODEC_ID, ...(video.codecPrivate === undefined ? {} : { codecPrivate: video.codecPrivate }) } : {}),
    },
    audio: audio === undefined ? null : { sampleRate: Math.round(audio.sampleRate ?? 8000), channels: audio.channels === 2 ? 2 : 1, bitDepth: 16 },
    timestampScaleNs: scale,
    writingApp: file.info.writingApp === undefined || file.info.writingApp === '' ? 'unknown' : file.info.writingApp,
    ...(file.info.title === undefined ? {} : { title: file.info.title }),
    ...(file.info.dateUtcMs === undefined ? {} : { dateUtcMs: file.info.dateUtcMs }),
    tags: file.tags,
    // Timestamps read back are rounded to the tick, so audio chunks may seem to overlap by up to one tick.
    audioToleranceUs: Math.ceil(scale / 1000),
  };
}

function repairedDurationUs(file: MatroskaFile, video: MatroskaTrack, audio: MatroskaTrack | undefined, blocks: readonly MatroskaBlock[]): number {
  const videoTimes = blocks.filter((block) => block.trackNumber === video.number).map((block) => block.timestampUs);
  const lastAudio = audio === undefined ? undefined : blocks.filter((block) => block.trackNumber === audio.number).at(-1);
  const lastVideoUs = videoTimes.at(-1);
  let endUs = 0;
  if (lastVideoUs !== undefined) {
    const previous = videoTimes.at(-2);
    const frameUs = video.defaultDurationNs !== undefined ? Math.round(video.defaultDurationNs / 1000) : previous === undefined ? 0 : lastVideoUs - previous;
    endUs = lastVideoUs + frameUs;
  }
  if (lastAudio !== undefined && audio !== undefined) {
    const samples = lastAudio.payload.length / (2 * (audio.channels ?? 1));
    endUs = Math.max(endUs, lastAudio.timestampUs + Math.floor((samples * 1_000_000) / (audio.sampleRate ?? 8000)));
  }
  if (file.finalized && file.info.durationUs !== null) {
    const lastUs = Math.max(lastVideoUs ?? 0, lastAudio?.timestampUs ?? 0);
    return Math.max(file.info.durationUs, lastUs);
  }
  return endUs;
}

function asBadInput(error: unknown, file: string | undefined, block: MatroskaBlock): unknown {
  if (!isBodycamError(error) || error.code !== 'usage') return error;
  return BodycamError.badInput({ file, place: `block of track ${block.trackNumber} at ${block.timestampUs} µs` },
    'blocks with growing timestamps and whole 16-bit sample frames', error.message);
}
