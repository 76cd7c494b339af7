/**
 * The pre-roll rule (contract §4) evaluated on the live slot ring, in one pass over the held
 * entries, with the buffer's {@link LossMarks} to say honestly why a pre-roll is short.
 * {@link preRollFor} states the same rule over a plain array; the property tests hold them equal.
 */
import type { PreRollLimit, PreRollRequest, PreRollSelection, PreRollStart } from './buffer-types.js';
import type { LossMarks } from './loss-ledger.js';
import { NO_SEQ, type SlotTable } from './slot-table.js';

/**
 * Selects the pre-roll for `request` among the entries held in `[tailSeq, headSeq)`.
 * Bounds on the first frame: the window start `T - preRecordUs`, the trim bound, the boot bound
 * (the buffer holds nothing captured before it filled), and the end of any audio evicted for
 * capacity (the pre-roll's audio must be complete). The first frame is the earliest held video
 * keyframe at or after all of them; with `'keyframe-before'`, the keyframe of the GOP holding the
 * first held frame at or after the bound, when that keyframe is earlier and the trim bound and
 * the lost audio allow it.
 */
export function selectFromSlots(
  slots: SlotTable,
  tailSeq: number,
  headSeq: number,
  marks: LossMarks,
  preRecordUs: number,
  request: PreRollRequest,
  preRollStart: PreRollStart = 'keyframe-after',
  openKeySeq: number = NO_SEQ,
): PreRollSelection {
  const windowStartUs = request.triggerUs - preRecordUs;
  const trimBoundUs = request.overlap === 'trim' && request.previousLastFrameUs !== null ? request.previousLastFrameUs + 1 : -Infinity;
  const bootBoundUs = marks.filledSinceUs ?? Infinity;
  const boundUs = Math.max(windowStartUs, trimBoundUs, bootBoundUs);
  const audioBoundUs = Math.max(boundUs, marks.capacityEvictedAudioEndUs);
  const before = preRollStart === 'keyframe-before';

  let firstVideo = NO_SEQ;
  let firstKeyAtBound = NO_SEQ;
  let start = NO_SEQ;
  /** The latest held keyframe before the bound: the GOP the window's first held frame may belong to. */
  let keyBeforeBound = NO_SEQ;
  let earlyKey = false;
  for (let seq = tailSeq; seq < headSeq; seq += 1) {
    const slot = slots.slotOf(seq);
    if (!slots.isVideo(slot)) continue;
    const captureUs = slots.captureUs[slot]!;
    if (captureUs < boundUs) {
      if (slots.keyframe[slot] === 1) keyBeforeBound = seq;
      continue;
    }
    if (firstVideo === NO_SEQ) {
      firstVideo = seq;
      // An orphan P-frame's keyframe is gone: the latest keyframe held before it is another GOP's.
      if (before && slots.keyframe[slot] !== 1 && slots.orphan[slot] !== 1 && keyBeforeBound !== NO_SEQ) {
        const keyUs = slots.captureUs[slots.slotOf(keyBeforeBound)]!;
        if (keyUs >= trimBoundUs && keyUs >= marks.capacityEvictedAudioEndUs) {
          start = keyBeforeBound;
          earlyKey = true;
          break;
        }
      }
    }
    if (slots.keyframe[slot] !== 1) continue;
    if (firstKeyAtBound === NO_SEQ) firstKeyAtBound = seq;
    if (captureUs >= audioBoundUs) {
      start = seq;
      break;
    }
  }

  // No frame of the window held yet: with 'keyframe-before' the next frame, a P-frame of the open
  // GOP, needs that GOP's keyframe (held: "before" never lets an open GOP go by time).
  if (before && firstVideo === NO_SEQ && openKeySeq !== NO_SEQ) {
    const keyUs = slots.captureUs[slots.slotOf(openKeySeq)]!;
    if (keyUs >= trimBoundUs && keyUs >= marks.capacityEvictedAudioEndUs) {
      start = openKeySeq;
      earlyKey = true;
    }
  }

  // Frames in [bound, first frame) that the pre-roll does not get: lost to capacity, or skipped for a keyframe.
  const startSlot = start === NO_SEQ ? -1 : slots.slotOf(start);
  const capacityDropMarkUs = startSlot === -1 ? marks.capacityDropUs : slots.capacityDropMarkUs[startSlot]!;
  const gopDropMarkUs = startSlot === -1 ? marks.gopDropUs : slots.gopDropMarkUs[startSlot]!;
  const evictedInWindow = marks.capacityEvictedVideoUs >= boundUs;
  const lostToCapacity = evictedInWindow || capacityDropMarkUs >= boundUs || start !== firstKeyAtBound;
  const skippedForGop = marks.timeEvictedVideoUs >= boundUs || gopDropMarkUs >= boundUs || firstVideo !== start;
  // Capacity evicts whole GOPs oldest first: when the last GOP it evicted began before the bound,
  // every frame it took from the window was that one GOP's, the GOP "before" wanted to start with.
  const straddlingGopOnly = evictedInWindow && marks.capacityEvictedKeyUs < boundUs && capacityDropMarkUs < boundUs && start === firstKeyAtBound;
  const limitedBy: PreRollLimit = earlyKey
    ? null
    : lostToCapacity
      ? (before && straddlingGopOnly ? 'keyframe-evicted' : 'bytes')
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
