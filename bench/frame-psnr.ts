/**
 * The quality of the coefficient transcode against the whole-frame path: the same frames made
 * the device's by both (FrameEncoder with `spliceBurnIn` on and off, on this thread), decoded by
 * sharp, compared as RGB: PSNR in dB over all three channels.
 */
import sharp from 'sharp';
import { FrameEncoder } from '../src/encoder/index.js';
import { parseWallClock } from '../src/time/index.js';

/** PSNR of two decoded RGB frames of the same size, in dB (Infinity when equal). */
export function psnrDb(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`frames of ${a.length} and ${b.length} bytes`);
  let squared = 0;
  for (let i = 0; i < a.length; i += 1) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    squared += difference * difference;
  }
  return squared === 0 ? Infinity : 10 * Math.log10((255 * 255 * a.length) / squared);
}

/** What {@link transcodePsnr} measured. */
export interface TranscodePsnr {
  readonly frames: number;
  readonly minDb: number;
  readonly meanDb: number;
  /** The paths the fast encoder took (all `requantised` for frames from another encoder). */
  readonly paths: { readonly passthrough: number; readonly blocks: number; readonly requantised: number; readonly frame: number };
  /** Bytes of the fast path's frames against the whole-frame path's. */
  readonly bytesRatio: number;
}

/** Encodes `frames` (JPEGs of `width` x `height`) both ways with the burn-in on, at `quality`. */
export async function transcodePsnr(frames: readonly Uint8Array[], width: number, height: number, quality: number): Promise<TranscodePsnr> {
  const burnIn = { origin: parseWallClock('2026-11-22T14:00:00+01:00'), deviceId: 'DRD-BC-0001', officerId: 'H-0001' };
  const options = { sourceWidth: width, sourceHeight: height, outputWidth: width, outputHeight: height, jpegQuality: quality, burnIn, passthrough: true };
  const fast = new FrameEncoder(options);
  const whole = new FrameEncoder({ ...options, spliceBurnIn: false });
  const values: number[] = [];
  let fastBytes = 0;
  let wholeBytes = 0;
  for (const [index, frame] of frames.entries()) {
    const captureUs = index * 1_000_000;
    const [a, b] = await Promise.all([fast.encode(frame, captureUs), whole.encode(frame, captureUs)]);
    if (!a.ok || !b.ok) throw new Error(`frame ${index} did not encode`);
    fastBytes += a.jpeg.length;
    wholeBytes += b.jpeg.length;
    const [pixelsA, pixelsB] = await Promise.all([sharp(a.jpeg, { failOn: 'warning' }).raw().toBuffer(), sharp(b.jpeg, { failOn: 'warning' }).raw().toBuffer()]);
    values.push(psnrDb(pixelsA, pixelsB));
  }
  const round = (value: number): number => Number(value.toFixed(2));
  return {
    frames: values.length,
    minDb: round(Math.min(...values)),
    meanDb: round(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)),
    paths: { ...fast.paths },
    bytesRatio: Number((fastBytes / Math.max(1, wholeBytes)).toFixed(3)),
  };
}
