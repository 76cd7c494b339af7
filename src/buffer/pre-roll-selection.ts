/**
 * The pre-roll rule (contract §4) evaluated on the live slot ring, in one pass over the held
 * entries. The buffer keeps a few running marks of what it lost since the last clear, so it can say
 * honestly why a pre-roll is short without keeping a history of every frame.
 * {@link preRollFor} states the same rule over a plain array; the property tests hold them equal.
 */
import type { PreRollLimit, PreRollRequest, PreRollSelection } from './buffer-types.js';
import { NO_SEQ, type SlotTable } from './slot-table.js';

/** What the buffer remembers about the frames it no longer holds (since construction or the last clear). */
export interface LossMarks {
  /** Capture time of the first push since the last clear; null when there was none. */
  readonly filledSinceUs: number | null;
  /** Latest capture of a video frame evicted for capacity (bytes or slots); -Infinity when none. */
  readonly capacityEvictedVideoUs: number;
  /** Latest end of an audio chunk evicted for capacity; -Infinity when none. */
  readonly capacityEvictedAudioEndUs: number;
  /** Latest capture of a video frame evicted by time (a P-frame of a GOP whose keyframe left the window). */
  readonly timeEvictedVideoUs: number;
  /** Latest capture of a video frame dropped for capacity (overflow, too large, or its GOP lost to capacity). */
  readonly capacityDropUs: number;
  /** Latest capture of a P-frame rejected for a GOP reason (its keyframe left by time, or never seen). */
  readonly gopDropUs: number;
}

/**
 * Selects the pre-roll for `request` among the entries held in `[tailSeq, headSeq)`.
 * Bounds on the first frame: the window start `T - preRecordUs`, the trim bound, the boot bound
 * (the buffer holds nothing captured before it filled), and the end of any audio evicted for
 * capacity (the pre-roll's audio must be complete). The first frame is the earliest held video
 * keyframe at or after all of them.
 */
export function selectFromSlots(
  slots: SlotTable,
  tailSeq: number,
  headSeq: number,
  marks: LossMarks,
  preRecordUs: number,
  request: PreRollRequest,
): PreRollSelection {
  const windowStartUs = request.triggerUs - preRecordUs;
  const trimBoundUs = request.overlap === 'trim' && request.previousLastFrameUs !== null ? request.previousLastFrameUs + 1 : -Infinity;
  const bootBoundUs = marks.filledSinceUs ?? Infinity;
  const boundUs = Math.max(windowStartUs, trimBoundUs, bootBoundUs);
  const audioBoundUs = Math.max(boundUs, marks.capacityEvictedAudioEndUs);

  let firstVideo = NO_SEQ;
  let firstKeyAtBound = NO_SEQ;
  let start = NO_SEQ;
  for (let seq = tailSeq; seq < headSeq; seq += 1) {
    const slot = slots.slotOf(seq);
    if (!slots.isVideo(slot)) continue;
    const captureUs = slots.captureUs[slot]!;
    if (captureUs < boundUs) continue;
    if (firstVideo === NO_SEQ) firstVideo = seq;
    if (slots.keyframe[slot] !== 1) continue;
    if (firstKeyAtBound === NO_SEQ) firstKeyAtBound = seq;
    if (captureUs >= audioBoundUs) {
      start = seq;
      break;
    }
  }

  // Frames in [bound, first frame) that the pre-roll does not get: lost to capacity, or skipped for a keyframe.
  const startSlot = start === NO_SEQ ? -1 : slots.slotOf(start);
  const capacityDropMarkUs = startSlot === -1 ? marks.capacityDropUs : slots.capacityDropMarkUs[startSlot]!;
  const gopDropMarkUs = startSlot === -1 ? marks.gopDropUs : slots.gopDropMarkUs[startSlot]!;
  const lostToCapacity = marks.capacityEvictedVideoUs >= boundUs || capacityDropMarkUs >= boundUs || start !== firstKeyAtBound;
  const skippedForGop = marks.timeEvictedVideoUs >= boundUs || gopDropMarkUs >= boundUs || firstVideo !== start;
  const limitedBy: PreRollLimit = lostToCapacity
    ? 'bytes'
    : skippedForGop
      ? 'gop'
      : boundLimit(windowStartUs, trimBoundUs, bootBoundUs);

  if (start === NO_SEQ) {
    return { startSeq: null, firstFrameSeq: null, firstFrameUs: null, requestedUs: preRecordUs, actualUs: 0, limitedBy };
  }
  const firstFrameUs = slots.captureUs[startSlot]!;
  let startSeq = start;
  for (let seq = tailSeq; seq < start; seq += 1) {
    const slot = slots.slotOf(seq);
    if (!slots.isVideo(slot) && slots.endUs(slot) > firstFrameUs) {
      startSeq = seq;
      break;
    }
  }
  return {
    startSeq,
    firstFrameSeq: start,
    firstFrameUs,
    requestedUs: preRecordUs,
    actualUs: Math.max(0, request.triggerUs - firstFrameUs),
    limitedBy,
  };
}

/** Trim or boot, whichever bound is later (trim on a tie), when either cuts into the window. */
function boundLimit(windowStartUs: number, trimBoundUs: number, bootBoundUs: number): PreRollLimit {
  const trims = trimBoundUs > windowStartUs;
  const boots = bootBoundUs > windowStartUs;
  if (trims && (!boots || trimBoundUs >= bootBoundUs)) return 'trim';
  return boots ? 'boot' : null;
}
