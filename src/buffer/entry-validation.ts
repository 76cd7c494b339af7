/**
 * Boundary checks of the buffer's public methods: timestamps are safe integers, time never runs
 * backwards, and each kind's fields are consistent. Messages are only built on failure, so the
 * checks cost a few comparisons on the push hot path.
 */
import { assertArgument } from '../errors/index.js';
import type { EntryKind } from './buffer-types.js';

/** Throws unless `value` is a safe integer (timestamps may be negative only before fixture time 0). */
export function assertIntegerUs(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) assertArgument(false, name, 'an integer number of microseconds', value);
}

/** Throws unless `value` is a safe integer >= `min`. */
export function assertIntegerAtLeast(value: number, min: number, name: string, expected: string): void {
  if (!(Number.isSafeInteger(value) && value >= min)) assertArgument(false, name, expected, value);
}

/** Throws unless time `nowUs` is not before `lastNowUs`. */
export function assertNotBefore(nowUs: number, lastNowUs: number, name: string): void {
  if (nowUs < lastNowUs) assertArgument(false, name, `time that never runs backwards (>= ${lastNowUs})`, nowUs);
}

/** Checks one push's arguments against the entry rules and the clock so far (the `last*` values, -Infinity before any). */
export function validatePush(
  kind: EntryKind,
  captureUs: number,
  durationUs: number,
  keyframe: boolean,
  payload: Uint8Array,
  sampleCount: number,
  nowUs: number,
  lastNowUs: number,
  lastVideoCaptureUs: number,
  lastAudioCaptureUs: number,
): void {
  if (kind !== 'video' && kind !== 'audio') assertArgument(false, 'push: kind', '"video" or "audio"', kind);
  assertIntegerUs(nowUs, 'push: nowUs');
  assertNotBefore(nowUs, lastNowUs, 'push: nowUs');
  assertIntegerUs(captureUs, 'push: captureUs');
  if (captureUs > nowUs) assertArgument(false, 'push: captureUs', `a capture time not after nowUs (${nowUs})`, captureUs);
  assertIntegerAtLeast(durationUs, 0, 'push: durationUs', 'a non-negative integer number of microseconds');
  if (!(payload instanceof Uint8Array) || payload.byteLength === 0) assertArgument(false, 'push: payload', 'a non-empty Uint8Array', payload);
  if (typeof keyframe !== 'boolean') assertArgument(false, 'push: keyframe', 'a boolean', keyframe);
  if (kind === 'video') {
    if (captureUs <= lastVideoCaptureUs) {
      assertArgument(false, 'push: captureUs', `video capture times strictly increasing (> ${lastVideoCaptureUs})`, captureUs);
    }
    if (sampleCount !== 0) assertArgument(false, 'push: sampleCount', '0 for a video frame', sampleCount);
  } else {
    if (captureUs <= lastAudioCaptureUs) {
      assertArgument(false, 'push: captureUs', `audio chunk times strictly increasing (> ${lastAudioCaptureUs})`, captureUs);
    }
    if (!keyframe) assertArgument(false, 'push: keyframe', 'true for an audio chunk (audio chunks are always keyframes)', keyframe);
    assertIntegerAtLeast(sampleCount, 0, 'push: sampleCount', 'a non-negative integer sample count');
  }
}
