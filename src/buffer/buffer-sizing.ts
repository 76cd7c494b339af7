/**
 * Helpers around the buffer: sizing its slot ring, and turning its statistics into the
 * `buffer.stats` line of events.jsonl.
 */
import { assertArgument } from '../errors/index.js';
import type { DeviceEventMap } from '../events/index.js';
import type { BufferStats } from './buffer-types.js';

/** Sizing inputs for {@link suggestedSlotCount}. */
export interface SlotSizing {
  readonly preRecordUs: number;
  /** Highest expected video frame rate. */
  readonly videoFps: number;
  /** Audio chunk span; null or 0 without audio. */
  readonly audioChunkUs: number | null;
  /** Held beyond the window: the GOP that `'keyframe-before'` keeps (its longest keyframe interval); default 0. */
  readonly extraUs?: number;
}

/** The longest keyframe interval a device profile allows (contract §9: 0.2 to 10 s). */
export const MAX_KEYFRAME_INTERVAL_US = 10_000_000;

/**
 * Slots for the window (and the extra GOP 'keyframe-before' keeps) plus the same again for what a slow drain may still pin, plus a margin:
 * slots cost ~100 bytes each, so running out of slots before bytes should never be the limit.
 */
export function suggestedSlotCount(sizing: SlotSizing): number {
  const { preRecordUs, videoFps, audioChunkUs } = sizing;
  const extraUs = sizing.extraUs ?? 0;
  assertArgument(Number.isSafeInteger(extraUs) && extraUs >= 0, 'suggestedSlotCount: extraUs', 'a non-negative integer', extraUs);
  assertArgument(Number.isSafeInteger(preRecordUs) && preRecordUs >= 0, 'suggestedSlotCount: preRecordUs', 'a non-negative integer', preRecordUs);
  assertArgument(Number.isFinite(videoFps) && videoFps > 0, 'suggestedSlotCount: videoFps', 'a positive frame rate', videoFps);
  assertArgument(audioChunkUs === null || (Number.isSafeInteger(audioChunkUs) && audioChunkUs >= 0), 'suggestedSlotCount: audioChunkUs', 'null or a non-negative integer', audioChunkUs);
  const perSecond = videoFps + (audioChunkUs ? 1_000_000 / audioChunkUs : 0);
  return Math.ceil((2 * perSecond * (Math.max(preRecordUs, 1_000_000) + extraUs)) / 1_000_000) + 64;
}

/**
 * The smallest byte budget a device with frames of `width` x `height` can honour (issue 14): room
 * for three frames at one byte per pixel: the frame the card is writing, the next frame captured,
 * and the arena's tail that a payload skips when it does not fit before the end (payloads are
 * never split). A JPEG at the device's quality is well under a byte per pixel; with less room than
 * this, frames after a trigger are refused even by a card far faster than the stream.
 */
export function minimumBufferBytes(width: number, height: number): number {
  assertArgument(Number.isSafeInteger(width) && width > 0 && Number.isSafeInteger(height) && height > 0,
    'minimumBufferBytes: width, height', 'positive integers', `${width}x${height}`);
  return 3 * width * height;
}

/** The fields of a `buffer.stats` event (contract §6 events.jsonl) from a stats snapshot. */
export function bufferStatsEventFields(stats: BufferStats): DeviceEventMap['buffer.stats'] {
  return {
    occupancyBytes: stats.occupancyBytes,
    occupancyUs: stats.occupancyUs,
    highWaterBytes: stats.highWaterBytes,
    evictions: stats.evictions.total,
    drops: stats.drops,
    entries: stats.entries,
  };
}
