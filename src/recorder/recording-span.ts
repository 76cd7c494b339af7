/**
 * What one recording holds, as pure logic over buffer entries (no file, no clock): which entries
 * it keeps (from the pre-roll's first frame, from a key frame, before the stop's fence), the slice
 * of each audio chunk inside [first sample, stop) that is not written yet, and the a/v drift of
 * what was written. `Recording` is the file edge around it; this is unit-tested like the buffer.
 */
import type { BufferEntry } from '../buffer/index.js';
import type { PacketType } from '../media/index.js';
import { firstSampleAtOrAfter, nearestSampleIndex, sampleTimeUs, samplesDurationUs } from '../time/index.js';

/** The audio track a recording draws from: the source's sample clock. */
export interface RecordingAudioSource {
  readonly sampleRate: number;
  /** Capture time of the source's sample 0. */
  readonly startUs: number;
  readonly totalSamples: number;
}

/** What to write for one entry, timestamps relative to the recording's origin. */
export type SpanWrite =
  | { readonly kind: 'video'; readonly timestampUs: number; readonly data: Uint8Array; readonly type: PacketType }
  /** `fromSample`: the source sample index of the block's first sample (16-bit mono: 2 bytes a sample). */
  | { readonly kind: 'audio'; readonly timestampUs: number; readonly pcm: Uint8Array; readonly fromSample: number };

/** Where a recording's span begins. */
export interface SpanStart {
  /** Fixture time of timestamp 0 (the pre-roll's first frame, or the trigger). */
  readonly originUs: number;
  /** Seq of the pre-roll's first video frame: video before it is not this recording's. */
  readonly firstFrameSeq: number;
  readonly audio: RecordingAudioSource | null;
  /** Fixture time where the audio begins (first frame with pre-record audio, else the trigger). */
  readonly audioFromUs: number;
  /** Keep the keyframes' capture times (a GOP codec's manifest gives them; MJPEG's would be every frame). */
  readonly trackKeyframes?: boolean;
}

/** One recording's span; see the module comment. */
export class RecordingSpan {
  /** Video frames taken, and the first and last one's capture time. */
  frames = 0;
  firstFrameUs: number | null = null;
  lastFrameUs: number | null = null;
  /** Samples written, from {@link audioFirstSample}. */
  audioWritten = 0;
  /** Largest gap between an audio block's timestamp and the time its sample count gives. */
  maxDriftUs = 0;
  /** Capture times of the keyframes taken, in order, when tracked (else empty). */
  readonly keyframesUs: number[] = [];
  /** The first sample the recording holds (source sample index). */
  readonly audioFirstSample: number;
  private audioEndSample: number;
  private audioCoveredTo: number;
  private fenceSeq: number | null = null;

  constructor(private readonly start: SpanStart) {
    const { audio } = start;
    this.audioFirstSample = audio === null ? 0 : firstSampleAtOrAfter(audio.startUs, start.audioFromUs, audio.sampleRate);
    this.audioEndSample = audio === null ? 0 : audio.totalSamples;
    this.audioCoveredTo = this.audioFirstSample;
  }

  /** Stops at `atUs`: video from `fenceSeq` on is not held; audio ends at the first sample at or after `atUs`. */
  stopAt(atUs: number, fenceSeq: number): void {
    this.fenceSeq = fenceSeq;
    const { audio } = this.start;
    if (audio !== null) this.audioEndSample = Math.min(audio.totalSamples, firstSampleAtOrAfter(audio.startUs, atUs, audio.sampleRate));
  }

  /** True once the audio up to the stop is in the buffer (`pushedToSample`: end of what was pushed). */
  audioCoveredBy(pushedToSample: number): boolean {
    return this.start.audio === null || pushedToSample >= this.audioEndSample;
  }

  /** True when an audio chunk captured at `captureUs` with `sampleCount` samples reaches the stop. */
  chunkReachesStop(captureUs: number, sampleCount: number): boolean {
    return this.chunkFirstSample(captureUs) + sampleCount >= this.audioEndSample;
  }

  /** A video entry before the pre-roll's first frame or after the stop's fence. */
  outsideSpan(entry: BufferEntry): boolean {
    return (this.fenceSeq !== null && entry.seq >= this.fenceSeq) || entry.seq < this.start.firstFrameSeq;
  }

  /** Entries this recording does not hold: consumed without costing write time. */
  readonly skips = (entry: BufferEntry): boolean => {
    if (entry.kind === 'video') {
      return this.outsideSpan(entry) || (this.frames === 0 && !entry.keyframe);
    }
    return this.audioSlice(entry) === null;
  };

  /** Takes one entry {@link skips} let through; returns what to write. */
  take(entry: BufferEntry): SpanWrite | null {
    if (entry.kind === 'video') {
      this.frames += 1;
      this.firstFrameUs ??= entry.captureUs;
      this.lastFrameUs = entry.captureUs;
      if (entry.keyframe && this.start.trackKeyframes === true) this.keyframesUs.push(entry.captureUs);
      return { kind: 'video', timestampUs: entry.captureUs - this.start.originUs, data: entry.payload, type: entry.keyframe ? 'key' : 'delta' };
    }
    const audio = this.start.audio;
    const slice = this.audioSlice(entry);
    if (audio === null || slice === null) return null;
    const chunkFirst = this.chunkFirstSample(entry.captureUs);
    const pcm = entry.payload.subarray((slice.from - chunkFirst) * 2, (slice.to - chunkFirst) * 2);
    const timestampUs = sampleTimeUs(audio.startUs, slice.from, audio.sampleRate) - this.start.originUs;
    // Drift: the block's timestamp against the first sample's time plus the samples written so far.
    const byCountUs = sampleTimeUs(audio.startUs, this.audioFirstSample, audio.sampleRate) - this.start.originUs
      + samplesDurationUs(this.audioWritten, audio.sampleRate);
    if (this.audioWritten > 0 || slice.from === this.audioFirstSample) this.maxDriftUs = Math.max(this.maxDriftUs, Math.abs(timestampUs - byCountUs));
    this.audioWritten += slice.to - slice.from;
    this.audioCoveredTo = slice.to;
    return { kind: 'audio', timestampUs, pcm, fromSample: slice.from };
  }

  /** The samples [from, to) of an audio chunk inside the span and not written yet, or null when none are. */
  private audioSlice(entry: BufferEntry): { from: number; to: number } | null {
    return this.audioSliceOf(entry.captureUs, entry.sampleCount);
  }

  /**
   * The samples [from, to) of the chunk captured at `captureUs` with `sampleCount` samples that
   * this span would write (inside it, not written yet), or null: what the span loses if the chunk
   * never reaches it.
   */
  audioSliceOf(captureUs: number, sampleCount: number): { from: number; to: number } | null {
    if (this.start.audio === null) return null;
    const first = this.chunkFirstSample(captureUs);
    const from = Math.max(first, this.audioFirstSample, this.audioCoveredTo);
    const to = Math.min(first + sampleCount, this.audioEndSample);
    return to <= from ? null : { from, to };
  }

  /** Capture time of source sample `index` (0 without audio). */
  sampleUs(index: number): number {
    const { audio } = this.start;
    return audio === null ? 0 : sampleTimeUs(audio.startUs, index, audio.sampleRate);
  }

  private chunkFirstSample(captureUs: number): number {
    const { audio } = this.start;
    return audio === null ? 0 : nearestSampleIndex(audio.startUs, captureUs, audio.sampleRate);
  }
}
