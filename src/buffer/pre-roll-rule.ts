/**
 * The pre-roll rule of contract §4 (and §9 for keyframes) as a pure function over a plain array: every push since the
 * last clear, each with its fate. It is the readable statement of the rule and the reference model
 * the buffer's tests compare {@link PreRecordBuffer.selectPreRoll} against.
 */
import { assertArgument } from '../errors/index.js';
import type { EntryKind, OverlapPolicy, PreRollLimit, PreRollSelection, PreRollStart } from './buffer-types.js';

/** What became of a pushed entry. */
export type HistoryFate =
  | 'held'
  /** Evicted because it left the window (with its GOP). */
  | 'evicted-time'
  /** Evicted to make room (bytes or slots), with its GOP. */
  | 'evicted-capacity'
  /** Never stored: the arena overflowed, it was too large, or its GOP's keyframe was lost to capacity. */
  | 'dropped-capacity'
  /** Never stored: a P-frame whose keyframe left by time or was never pushed since the last clear. */
  | 'dropped-gop';

/** One push attempt since the last clear, in push order. */
export interface PreRollHistoryEntry {
  /** Its seq if it was stored, else null. */
  readonly seq: number | null;
  readonly kind: EntryKind;
  readonly captureUs: number;
  readonly durationUs: number;
  readonly keyframe: boolean;
  readonly fate: HistoryFate;
  /** Video that was stored: capture time of its GOP's keyframe (its own for a keyframe). Else absent. */
  readonly gopKeyUs?: number;
}

/** The trigger and the buffer's window. */
export interface PreRollRuleRequest {
  readonly triggerUs: number;
  readonly preRecordUs: number;
  readonly overlap: OverlapPolicy;
  readonly previousLastFrameUs: number | null;
  /** Contract §9 (default `'keyframe-after'`, the buffer's default). */
  readonly start?: PreRollStart;
}

const CAPACITY_FATES: ReadonlySet<HistoryFate> = new Set(['evicted-capacity', 'dropped-capacity']);

/**
 * The pre-roll a trigger gets, given everything pushed since the last clear.
 *
 * - The window starts at `W = T - preRecordUs`. It is cut later by the trim bound (overlap 'trim':
 *   after the previous recording's last frame) and by the boot bound (the first push since the
 *   last clear: nothing earlier was ever buffered). Call the latest of these `B`.
 * - Audio evicted for capacity pushes the start past its end, so the pre-roll's audio is whole.
 * - `'keyframe-before'`: take the earliest held video frame captured >= B (none yet: the next
 *   frame, of the open GOP, once the stream has shown P-frames since the last clear). When its GOP's keyframe is held and earlier than B, yet after the trim
 *   bound and the end of the audio lost to capacity, the pre-roll starts there, a little longer
 *   than asked, and nothing limited it. Otherwise, as 'keyframe-after'.
 * - `'keyframe-after'`: the pre-roll starts at the earliest held video keyframe with capture >= B
 *   and >= the end of the audio lost to capacity.
 * - `limitedBy` explains the video frames captured in `[B, first frame)` that the pre-roll does
 *   not get: 'bytes' if any was lost to capacity (or skipped for lost audio), except that with
 *   'keyframe-before' it is 'keyframe-evicted' when every one so lost was evicted with a GOP whose
 *   keyframe is before B (the GOP reaching into the window); else 'gop' (skipped to reach a
 *   keyframe); with none, 'trim' or 'boot' when that bound cut into the window, the later bound
 *   winning (trim on a tie); else null.
 */
export function preRollFor(history: readonly PreRollHistoryEntry[], request: PreRollRuleRequest): PreRollSelection {
  const { triggerUs, preRecordUs, overlap, previousLastFrameUs } = request;
  assertArgument(Number.isSafeInteger(triggerUs), 'preRollFor: triggerUs', 'an integer number of microseconds', triggerUs);
  assertArgument(Number.isSafeInteger(preRecordUs) && preRecordUs >= 0, 'preRollFor: preRecordUs', 'a non-negative integer', preRecordUs);
  const windowStartUs = triggerUs - preRecordUs;
  const trimBoundUs = overlap === 'trim' && previousLastFrameUs !== null ? previousLastFrameUs + 1 : -Infinity;
  const bootBoundUs = history[0]?.captureUs ?? Infinity;
  const boundUs = Math.max(windowStartUs, trimBoundUs, bootBoundUs);
  const lostAudioEndUs = history
    .filter((e) => e.kind === 'audio' && e.fate === 'evicted-capacity')
    .reduce((latest, e) => Math.max(latest, e.captureUs + e.durationUs), -Infinity);

  const heldVideo = history.filter((e) => e.kind === 'video' && e.fate === 'held');
  const before = request.start === 'keyframe-before';
  const firstInWindow = heldVideo.find((e) => e.captureUs >= boundUs);
  // No frame of the window captured yet: in a stream with P-frames the next one joins the open GOP
  // (the last keyframe pushed, still held). A stream of keyframes only (MJPEG) keeps section 4's rule.
  const lastKeyPushed = history.filter((e) => e.kind === 'video' && e.keyframe).at(-1);
  const hasGops = history.some((e) => e.kind === 'video' && !e.keyframe);
  const openKey = hasGops && lastKeyPushed?.fate === 'held' ? lastKeyPushed : undefined;
  const windowKey = firstInWindow === undefined ? openKey : heldVideo.find((e) => e.keyframe && e.captureUs === firstInWindow.gopKeyUs);
  const earlyKey = before && windowKey !== undefined && windowKey.captureUs < boundUs && windowKey.captureUs >= trimBoundUs && windowKey.captureUs >= lostAudioEndUs
    ? windowKey : undefined;
  const first = earlyKey ?? heldVideo.find((e) => e.keyframe && e.captureUs >= boundUs && e.captureUs >= lostAudioEndUs);
  const firstKeyAtBound = heldVideo.find((e) => e.keyframe && e.captureUs >= boundUs);
  const missing = history.filter(
    (e) => e.kind === 'video' && e.captureUs >= boundUs && (first === undefined || e.captureUs < first.captureUs),
  );
  const lostToCapacity = missing.filter((e) => CAPACITY_FATES.has(e.fate));
  let limitedBy: PreRollLimit;
  if (earlyKey !== undefined) limitedBy = null;
  else if (first !== firstKeyAtBound || lostToCapacity.length > 0) {
    const straddlingGopOnly = first === firstKeyAtBound
      && lostToCapacity.every((e) => e.fate === 'evicted-capacity' && e.gopKeyUs !== undefined && e.gopKeyUs < boundUs);
    limitedBy = before && straddlingGopOnly ? 'keyframe-evicted' : 'bytes';
  } else if (missing.length > 0) limitedBy = 'gop';
  else if (trimBoundUs > windowStartUs && trimBoundUs >= bootBoundUs) limitedBy = 'trim';
  else if (bootBoundUs > windowStartUs) limitedBy = 'boot';
  else limitedBy = null;

  if (first === undefined || first.seq === null) {
    return { startSeq: null, firstFrameSeq: null, firstFrameUs: null, requestedUs: preRecordUs, actualUs: 0, limitedBy };
  }
  const coveringAudio = history.filter(
    (e) => e.kind === 'audio' && e.fate === 'held' && e.seq !== null && e.captureUs + e.durationUs > first.captureUs,
  );
  const startSeq = coveringAudio.reduce((earliest, e) => Math.min(earliest, e.seq as number), first.seq);
  return {
    startSeq,
    firstFrameSeq: first.seq,
    firstFrameUs: first.captureUs,
    requestedUs: preRecordUs,
    actualUs: Math.max(0, triggerUs - first.captureUs),
    limitedBy,
  };
}
