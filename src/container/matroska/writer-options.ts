/**
 * Options of the Matroska writer, checked once at construction.
 */
import { assertArgument } from '../../errors/index.js';
import type { SegmentHeaderSpec } from './segment-header.js';

/** What to write; see docs/container.md. */
export interface MatroskaWriterOptions {
  /** The video track (always present). `frameDurationUs` becomes DefaultDuration. */
  readonly video: {
    readonly width: number;
    readonly height: number;
    readonly frameDurationUs?: number;
    /** CodecID (default `V_MJPEG`) and CodecPrivate of the video track. */
    readonly codecId?: string;
    readonly codecPrivate?: Uint8Array;
  };
  /** The audio track, or null for none. */
  readonly audio: { readonly sampleRate: number; readonly channels: 1 | 2; readonly bitDepth: 16 } | null;
  /** TimestampScale in ns; default 100 000 (0.1 ms), see docs/architecture.md. */
  readonly timestampScaleNs?: number;
  /** Cluster length to aim for; clusters start on a video keyframe at or after it. Default 1 s. */
  readonly clusterTargetUs?: number;
  readonly title?: string;
  /** DateUTC, from the device clock (never the host clock), Unix milliseconds. */
  readonly dateUtcMs?: number;
  readonly writingApp: string;
  /** Segment-level SimpleTags, written in this order (e.g. `BODYCAM_ORIGIN_US`). */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * How far one track may run ahead of another before held blocks are written anyway; a block
   * arriving later than that is refused. Default 1 s.
   */
  readonly interleaveWindowUs?: number;
  /**
   * How much an audio chunk may overlap the previous one. Default 0. Repair sets one tick, because
   * timestamps read back from a file are rounded to the tick.
   */
  readonly audioToleranceUs?: number;
}

/** Options after defaults and checks. */
export interface ResolvedWriterOptions extends SegmentHeaderSpec {
  readonly clusterTargetUs: number;
  readonly interleaveWindowUs: number;
  readonly audioToleranceUs: number;
}

/** Default TimestampScale: 0.1 ms. */
export const DEFAULT_TIMESTAMP_SCALE_NS = 100_000;
/** Default cluster span. */
export const DEFAULT_CLUSTER_TARGET_US = 1_000_000;
/** Default interleaving window. */
export const DEFAULT_INTERLEAVE_WINDOW_US = 1_000_000;

function positiveInteger(value: unknown, name: string): number {
  assertArgument(typeof value === 'number' && Number.isSafeInteger(value) && value > 0, name, 'a positive integer', value);
  return value as number;
}

/** Applies defaults and throws a usage error naming the first bad option. */
export function resolveWriterOptions(options: MatroskaWriterOptions): ResolvedWriterOptions {
  assertArgument(typeof options === 'object' && options !== null, 'options', 'an options object', options);
  const { video, audio } = options;
  assertArgument(typeof video === 'object' && video !== null, 'options.video', 'a { width, height } object', video);
  positiveInteger(video.width, 'options.video.width');
  positiveInteger(video.height, 'options.video.height');
  if (video.frameDurationUs !== undefined) positiveInteger(video.frameDurationUs, 'options.video.frameDurationUs');
  if (audio !== null) {
    assertArgument(typeof audio === 'object' && audio !== undefined, 'options.audio', 'an { sampleRate, channels, bitDepth } object or null', audio);
    positiveInteger(audio.sampleRate, 'options.audio.sampleRate');
    assertArgument(audio.channels === 1 || audio.channels === 2, 'options.audio.channels', '1 or 2', audio.channels);
    assertArgument(audio.bitDepth === 16, 'options.audio.bitDepth', '16', audio.bitDepth);
  }
  const timestampScaleNs = positiveInteger(options.timestampScaleNs ?? DEFAULT_TIMESTAMP_SCALE_NS, 'options.timestampScaleNs');
  const clusterTargetUs = positiveInteger(options.clusterTargetUs ?? DEFAULT_CLUSTER_TARGET_US, 'options.clusterTargetUs');
  const interleaveWindowUs = positiveInteger(options.interleaveWindowUs ?? DEFAULT_INTERLEAVE_WINDOW_US, 'options.interleaveWindowUs');
  const audioToleranceUs = options.audioToleranceUs ?? 0;
  assertArgument(Number.isSafeInteger(audioToleranceUs) && audioToleranceUs >= 0, 'options.audioToleranceUs', 'a non-negative integer', audioToleranceUs);
  assertArgument(typeof options.writingApp === 'string' && options.writingApp.length > 0, 'options.writingApp', 'a non-empty string', options.writingApp);
  if (options.title !== undefined) assertArgument(typeof options.title === 'string', 'options.title', 'a string', options.title);
  if (options.dateUtcMs !== undefined) {
    assertArgument(Number.isSafeInteger(options.dateUtcMs), 'options.dateUtcMs', 'an integer number of Unix milliseconds', options.dateUtcMs);
  }
  const tags = Object.entries(options.tags ?? {});
  for (const [name, value] of tags) {
    assertArgument(name.length > 0, 'options.tags', 'non-empty tag names', name);
    assertArgument(typeof value === 'string', `options.tags.${name}`, 'a string', value);
  }
  return {
    timestampScaleNs,
    clusterTargetUs,
    interleaveWindowUs,
    audioToleranceUs,
    video: { width: video.width, height: video.height, frameDurationUs: video.frameDurationUs, codecId: video.codecId, codecPrivate: video.codecPrivate },
    audio: audio === null ? null : { sampleRate: audio.sampleRate, channels: audio.channels, bitDepth: audio.bitDepth },
    writingApp: options.writingApp,
    title: options.title,
    dateUtcMs: options.dateUtcMs,
    tags,
  };
}
