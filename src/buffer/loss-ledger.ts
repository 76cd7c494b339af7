/**
 * What the buffer remembers about the frames it no longer holds, since construction or the last
 * clear: a few running marks instead of a history of every frame. They let the pre-roll selection
 * say honestly why a pre-roll is short (see `selectFromSlots`).
 */

/** The marks, read-only. -Infinity means "none". */
export interface LossMarks {
  /** Capture time of the first push since the last clear; null when there was none. */
  readonly filledSinceUs: number | null;
  /** Latest capture of a video frame evicted for capacity (bytes or slots). */
  readonly capacityEvictedVideoUs: number;
  /** Capture of the keyframe of the latest GOP evicted for capacity (its frames are all <= capacityEvictedVideoUs). */
  readonly capacityEvictedKeyUs: number;
  /** Latest end of an audio chunk evicted for capacity. */
  readonly capacityEvictedAudioEndUs: number;
  /** Latest capture of a video frame evicted by time (a P-frame of a GOP whose keyframe left the window). */
  readonly timeEvictedVideoUs: number;
  /** Latest capture of a video frame dropped for capacity (overflow, too large, or its GOP lost to capacity). */
  readonly capacityDropUs: number;
  /** Latest capture of a P-frame rejected for a GOP reason (its keyframe left by time, or never seen). */
  readonly gopDropUs: number;
}

/** The buffer's mutable ledger of losses. */
export class LossLedger implements LossMarks {
  filledSinceUs: number | null = null;
  capacityEvictedVideoUs = -Infinity;
  capacityEvictedKeyUs = -Infinity;
  capacityEvictedAudioEndUs = -Infinity;
  timeEvictedVideoUs = -Infinity;
  capacityDropUs = -Infinity;
  gopDropUs = -Infinity;

  /** Power cycle: nothing before the next push counts any more. */
  reset(): void {
    this.filledSinceUs = null;
    this.capacityEvictedVideoUs = -Infinity;
    this.capacityEvictedKeyUs = -Infinity;
    this.capacityEvictedAudioEndUs = -Infinity;
    this.timeEvictedVideoUs = -Infinity;
    this.capacityDropUs = -Infinity;
    this.gopDropUs = -Infinity;
  }
}
