/**
 * Frame-rate conversion for a device whose sensor runs at `video.fps` while the fixture was captured
 * at another rate. The rule, exact and documented (docs/encoder.md):
 *
 * - the device captures on its own grid: slot k at `t0 + round(k * 1e6 / fps)`, where t0 is the
 *   fixture's first frame, for every slot before the fixture's end;
 * - slot k shows the latest fixture frame captured at or before its time (sample and hold): a faster
 *   device repeats frames, a slower one drops them;
 * - the output frame's capture time is the slot's time, so the burn-in and the recording follow the
 *   device's clock.
 */
import { BodycamError, assertArgument } from '../errors/index.js';
import type { FrameSource } from './frame-source.js';

/** Which source frame each output slot shows, and the slots' capture times. */
export interface FrameRatePlan {
  readonly captureUs: number[];
  readonly sourceIndex: number[];
}

/** The slot plan of the rule above; pure. */
export function planFrameRate(sourceCaptureUs: readonly number[], endUs: number, fps: number): FrameRatePlan {
  assertArgument(Number.isFinite(fps) && fps > 0 && fps <= 1000, 'video.fps', 'a frame rate above 0 and at most 1000', fps);
  const t0 = sourceCaptureUs[0] ?? 0;
  const captureUs: number[] = [];
  const sourceIndex: number[] = [];
  let latest = 0;
  for (let k = 0; ; k += 1) {
    const slotUs = t0 + Math.round((k * 1_000_000) / fps);
    if (slotUs >= endUs) break;
    while (latest + 1 < sourceCaptureUs.length && (sourceCaptureUs[latest + 1] ?? Infinity) <= slotUs) latest += 1;
    captureUs.push(slotUs);
    sourceIndex.push(latest);
  }
  return { captureUs, sourceIndex };
}

/** `source` as seen by a sensor running at `fps`. */
export function resampleFrameRate(source: FrameSource, fps: number): FrameSource {
  if (source.sourceVideo !== undefined) {
    // Repeating or dropping a coded frame would break the stream's references: not done here.
    throw BodycamError.badInput({ file: source.path, place: 'device profile: video.fps' }, 'no frame-rate conversion of an H.264 source (leave video.fps unset, or import it without --codec copy)', `${fps} fps`);
  }
  const plan = planFrameRate(source.captureUs, source.endUs, fps);
  return {
    ...source,
    frameCount: plan.captureUs.length,
    captureUs: plan.captureUs,
    frameIntervalUs: Math.round(1_000_000 / fps),
    readFrame: (index, target) => source.readFrame(plan.sourceIndex[index] ?? 0, target),
  };
}
