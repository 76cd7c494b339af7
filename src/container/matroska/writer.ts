/**
 * The Matroska writer of the recorder: MJPEG video (`V_MJPEG`) and 16-bit PCM audio
 * (`A_PCM/INT/LIT`) in an append-only, crash-tolerant layout (docs/container.md):
 *
 * - the Segment is written with an unknown size, then each Cluster in one `sink.write` with its
 *   size known, so a file cut off anywhere plays up to its last whole cluster;
 * - `finalize` appends the Cues and the Chapters (the markers), and patches Duration, the SeekHead
 *   and the Segment size in place. Markers are known only as they happen, so chapters can only be
 *   written at the end: a file cut off before finalize has none (it still plays; the markers are in
 *   the event log and the manifest).
 *
 * Pure: no clock, no randomness, no I/O beyond the given {@link ByteSink}; the same calls give
 * the same bytes. Timestamps are checked at the boundary (integer µs, growing per track).
 */
import { BodycamError, assertArgument, describeValue } from '../../errors/index.js';
import { isMicroseconds } from '../../time/index.js';
import { MatroskaId, encodeVint } from '../ebml/index.js';
import type { ByteSink } from '../byte-sink.js';
import { encodeCluster, encodeCues, MAX_RELATIVE_TICKS, type CueEntry, type MuxBlock } from './cluster.js';
import { type MatroskaChapter, encodeChapters, validateChapters } from './chapters.js';
import { BlockInterleaver, type QueuedBlock } from './interleaver.js';
import {
  AUDIO_TRACK_NUMBER, VIDEO_TRACK_NUMBER, SEGMENT_SIZE_LENGTH, buildSegmentHeader, encodeDurationElement, encodeSeekRegion,
  type SeekEntry,
} from './segment-header.js';
import { resolveWriterOptions, type MatroskaWriterOptions, type ResolvedWriterOptions } from './writer-options.js';

/** Counters of a {@link MatroskaWriter}; "written" means handed to the sink. */
export interface MatroskaWriterStats {
  readonly clustersWritten: number;
  readonly videoFramesWritten: number;
  readonly audioSamplesWritten: number;
  readonly bytesWritten: number;
  /** Video frames accepted but not yet in the sink (interleaver queue and the open cluster). */
  readonly framesPending: number;
  /** Audio samples accepted but not yet in the sink. */
  readonly audioSamplesPending: number;
  readonly cuePoints: number;
  readonly finalized: boolean;
  /** Timestamp (µs from the origin) of the last video frame handed to the sink; null before the first. */
  readonly lastVideoWrittenUs: number | null;
}

interface OpenCluster {
  readonly ticks: number;
  readonly firstUs: number;
  readonly blocks: MuxBlock[];
  hasVideo: boolean;
  videoFrames: number;
  lastVideoUs: number | null;
  audioSamples: number;
}

/** Writes one Matroska file to a {@link ByteSink}. */
export class MatroskaWriter {
  private readonly options: ResolvedWriterOptions;
  private readonly segmentDataOffset: number;
  private readonly segmentSizeOffset: number;
  private readonly seekRegionOffset: number;
  private readonly durationOffset: number;
  private readonly seekEntries: readonly SeekEntry[];
  private readonly interleaver: BlockInterleaver;
  private readonly startPosition: number;
  private cluster: OpenCluster | null = null;
  /** Clusters that begin with a video keyframe, and clusters that begin with audio (cues of audio-only files). */
  private readonly videoCues: CueEntry[] = [];
  private readonly audioCues: CueEntry[] = [];
  private lastVideoUs = -1;
  private lastVideoTicks = -1;
  private lastAudioUs = -1;
  private audioEndUs = 0;
  private lastEmittedUs = -1;
  private queuedVideoFrames = 0;
  private queuedAudioSamples = 0;
  private counts = { clusters: 0, videoFrames: 0, audioSamples: 0, cuePoints: 0 };
  private lastVideoWrittenUs: number | null = null;
  private finalized = false;

  /** Writes the header (EBML header, Segment start, SeekHead, Info, Tracks, Tags) to `sink` at once. */
  constructor(private readonly sink: ByteSink, options: MatroskaWriterOptions) {
    this.options = resolveWriterOptions(options);
    const layout = buildSegmentHeader(this.options);
    this.startPosition = sink.position;
    sink.write(layout.bytes);
    this.segmentDataOffset = this.startPosition + layout.segmentDataOffset;
    this.segmentSizeOffset = this.startPosition + layout.segmentSizeOffset;
    this.seekRegionOffset = this.startPosition + layout.seekRegionOffset;
    this.durationOffset = this.startPosition + layout.durationOffset;
    this.seekEntries = layout.seekEntries;
    const tracks = this.options.audio === null ? [VIDEO_TRACK_NUMBER] : [VIDEO_TRACK_NUMBER, AUDIO_TRACK_NUMBER];
    this.interleaver = new BlockInterleaver(tracks, this.options.interleaveWindowUs);
  }

  /** Counters, as of now. */
  get stats(): MatroskaWriterStats {
    const open = this.cluster;
    return {
      clustersWritten: this.counts.clusters,
      videoFramesWritten: this.counts.videoFrames,
      audioSamplesWritten: this.counts.audioSamples,
      bytesWritten: this.sink.position - this.startPosition,
      framesPending: this.queuedVideoFrames + (open?.videoFrames ?? 0),
      audioSamplesPending: this.queuedAudioSamples + (open?.audioSamples ?? 0),
      cuePoints: this.counts.cuePoints,
      finalized: this.finalized,
      lastVideoWrittenUs: this.lastVideoWrittenUs,
    };
  }

  /**
   * Adds one JPEG frame. `timestampUs` is relative to the file origin, an integer, and strictly
   * after the previous frame by at least one tick. The payload is copied: callers may reuse it.
   */
  addVideoFrame(timestampUs: number, jpeg: Uint8Array, keyframe: boolean): void {
    this.assertOpen('addVideoFrame');
    assertArgument(isMicroseconds(timestampUs), 'timestampUs', 'a non-negative integer number of microseconds', timestampUs);
    assertArgument(timestampUs > this.lastVideoUs, 'timestampUs',
      `a video timestamp strictly after the previous frame's ${this.lastVideoUs} µs`, timestampUs);
    const ticks = this.toTicks(timestampUs);
    assertArgument(ticks > this.lastVideoTicks, 'timestampUs',
      `a video timestamp at least one tick (${this.options.timestampScaleNs / 1000} µs) after the previous frame's ${this.lastVideoUs} µs`, timestampUs);
    assertArgument(jpeg instanceof Uint8Array && jpeg.length > 0, 'jpeg', 'a non-empty Uint8Array', jpeg);
    assertArgument(typeof keyframe === 'boolean', 'keyframe', 'a boolean', keyframe);
    this.assertNotLate(timestampUs, 'video frame');
    this.lastVideoUs = timestampUs;
    this.lastVideoTicks = ticks;
    this.queuedVideoFrames += 1;
    this.interleaver.push({ trackNumber: VIDEO_TRACK_NUMBER, timestampUs, ticks, keyframe, payload: jpeg.slice(), audioSamples: 0 });
    this.emit(this.interleaver.takeReady());
  }

  /**
   * Adds a chunk of interleaved signed 16-bit little-endian PCM whose first sample is at
   * `timestampUs`. It must start at or after the end of the previous chunk (end = start +
   * floor(samples · 1e6 / sampleRate)). The payload is copied.
   */
  addAudio(timestampUs: number, pcmS16le: Uint8Array): void {
    this.assertOpen('addAudio');
    const audio = this.options.audio;
    if (audio === null) throw BodycamError.usage('addAudio: this writer was created with audio: null; expected no audio chunks');
    assertArgument(isMicroseconds(timestampUs), 'timestampUs', 'a non-negative integer number of microseconds', timestampUs);
    const frameBytes = 2 * audio.channels;
    assertArgument(pcmS16le instanceof Uint8Array && pcmS16le.length > 0 && pcmS16le.length % frameBytes === 0, 'pcmS16le',
      `a non-empty Uint8Array of whole ${audio.channels}-channel 16-bit sample frames (a multiple of ${frameBytes} bytes)`, pcmS16le);
    if (this.lastAudioUs >= 0) {
      assertArgument(timestampUs + this.options.audioToleranceUs >= this.audioEndUs, 'timestampUs',
        `an audio timestamp at or after ${this.audioEndUs} µs, where the previous chunk (from ${this.lastAudioUs} µs) ends`, timestampUs);
    }
    this.assertNotLate(timestampUs, 'audio chunk');
    const samples = pcmS16le.length / frameBytes;
    this.lastAudioUs = timestampUs;
    this.audioEndUs = timestampUs + Math.floor((samples * 1_000_000) / audio.sampleRate);
    this.queuedAudioSamples += samples;
    this.interleaver.push({
      trackNumber: AUDIO_TRACK_NUMBER, timestampUs, ticks: this.toTicks(timestampUs), keyframe: true, payload: pcmS16le.slice(), audioSamples: samples,
    });
    this.emit(this.interleaver.takeReady());
  }

  /**
   * Ends the file: writes every held block and the last cluster, appends the Cues and the
   * `chapters` (none: no Chapters element), then patches Duration, the SeekHead and the Segment
   * size. `durationUs` must reach the last timestamp; chapters lie within it, in order.
   */
  finalize(durationUs: number, chapters: readonly MatroskaChapter[] = []): void {
    this.assertOpen('finalize');
    assertArgument(isMicroseconds(durationUs), 'durationUs', 'a non-negative integer number of microseconds', durationUs);
    const lastUs = Math.max(this.lastVideoUs, this.lastAudioUs);
    assertArgument(durationUs >= lastUs, 'durationUs', `a duration of at least the last timestamp, ${lastUs} µs`, durationUs);
    validateChapters(chapters, durationUs);
    this.emit(this.interleaver.takeAll());
    this.flushCluster();
    // A recording that got no block at all (every frame after the trigger lost, and counted so)
    // still gets one Cluster, empty (blocks are optional in a Cluster): players and ffprobe refuse
    // a Segment that has none, and the manifest's file must open.
    if (this.counts.clusters === 0) {
      this.sink.writeParts(encodeCluster(0, []).parts);
      this.counts.clusters = 1;
    }
    const seekEntries = [...this.seekEntries];
    const cues = this.videoCues.length > 0 ? this.videoCues : this.audioCues;
    if (cues.length > 0) {
      seekEntries.push({ id: MatroskaId.Cues, segmentPosition: this.sink.position - this.segmentDataOffset });
      this.sink.write(encodeCues(cues));
      this.counts.cuePoints = cues.length;
    }
    if (chapters.length > 0) {
      seekEntries.push({ id: MatroskaId.Chapters, segmentPosition: this.sink.position - this.segmentDataOffset });
      this.sink.write(encodeChapters(chapters));
    }
    this.sink.patch(this.durationOffset, encodeDurationElement((durationUs * 1000) / this.options.timestampScaleNs));
    this.sink.patch(this.seekRegionOffset, encodeSeekRegion(seekEntries));
    this.sink.patch(this.segmentSizeOffset, encodeVint(this.sink.position - this.segmentDataOffset, SEGMENT_SIZE_LENGTH));
    this.finalized = true;
  }

  private toTicks(timestampUs: number): number {
    return Math.round((timestampUs * 1000) / this.options.timestampScaleNs);
  }

  private assertOpen(method: string): void {
    if (this.finalized) throw BodycamError.usage(`${method}: the writer is finalized; expected no calls after finalize()`);
  }

  private assertNotLate(timestampUs: number, what: string): void {
    if (timestampUs < this.lastEmittedUs) {
      throw BodycamError.usage(`timestampUs: a ${what} at ${describeValue(timestampUs)} µs arrived after blocks up to ${this.lastEmittedUs} µs `
        + `were written; expected tracks to be fed within ${this.options.interleaveWindowUs} µs of each other`);
    }
  }

  private emit(blocks: readonly QueuedBlock[]): void {
    for (const block of blocks) {
      if (block.trackNumber === VIDEO_TRACK_NUMBER) this.queuedVideoFrames -= 1;
      this.queuedAudioSamples -= block.audioSamples;
      if (this.needsNewCluster(block)) this.flushCluster();
      const cluster = this.cluster ?? this.openCluster(block);
      cluster.blocks.push(block);
      if (block.trackNumber === VIDEO_TRACK_NUMBER) {
        cluster.hasVideo = true;
        cluster.videoFrames += 1;
        cluster.lastVideoUs = block.timestampUs;
      }
      cluster.audioSamples += block.audioSamples;
      this.lastEmittedUs = block.timestampUs;
    }
  }

  /** A new cluster starts when the int16 relative timestamp would overflow, or after the target span on a keyframe. */
  private needsNewCluster(block: QueuedBlock): boolean {
    const cluster = this.cluster;
    if (cluster === null) return false;
    if (block.ticks - cluster.ticks > MAX_RELATIVE_TICKS) return true;
    if (block.timestampUs - cluster.firstUs < this.options.clusterTargetUs) return false;
    const isVideoKeyframe = block.trackNumber === VIDEO_TRACK_NUMBER && block.keyframe;
    return isVideoKeyframe || !cluster.hasVideo;
  }

  private openCluster(block: QueuedBlock): OpenCluster {
    this.cluster = { ticks: block.ticks, firstUs: block.timestampUs, blocks: [], hasVideo: false, videoFrames: 0, lastVideoUs: null, audioSamples: 0 };
    return this.cluster;
  }

  private flushCluster(): void {
    const cluster = this.cluster;
    if (cluster === null) return;
    const encoded = encodeCluster(cluster.ticks, cluster.blocks);
    const first = cluster.blocks[0];
    if (first !== undefined) {
      const cue: CueEntry = {
        ticks: cluster.ticks,
        trackNumber: first.trackNumber,
        clusterSegmentPosition: this.sink.position - this.segmentDataOffset,
        relativePosition: encoded.firstBlockRelativePosition,
      };
      if (first.trackNumber === VIDEO_TRACK_NUMBER && first.keyframe) this.videoCues.push(cue);
      else if (first.trackNumber === AUDIO_TRACK_NUMBER) this.audioCues.push(cue);
    }
    this.sink.writeParts(encoded.parts);
    this.counts.clusters += 1;
    this.counts.videoFrames += cluster.videoFrames;
    if (cluster.lastVideoUs !== null) this.lastVideoWrittenUs = cluster.lastVideoUs;
    this.counts.audioSamples += cluster.audioSamples;
    this.cluster = null;
  }
}
