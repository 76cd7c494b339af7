/**
 * How many frames a replay encodes at once. More than one keeps both cores busy; each costs
 * memory while in flight (its coded bytes, its decoded pixels at 3 bytes each, and a second
 * buffer when scaled), and the device's bound is `bufferBytes` + 200 MB of RSS. So large frames
 * get fewer at once: 4 (2 per core) for 1080p, 3 for a 4K JPEG, 1 for a 4K PNG
 * (docs/performance.md, "Frame sizes").
 */

/** Memory for frames in flight, in bytes: within the 200 MB above the buffer, next to Node and sharp (~90 MB). */
export const IN_FLIGHT_FRAME_BYTES = 96 * 1024 * 1024;

/** Estimated bytes one frame holds while it is encoded. Pure. */
export function frameWorkBytes(frame: { readonly width: number; readonly height: number; readonly format: 'jpeg' | 'png' | 'h264' },
  output: { readonly width: number; readonly height: number }): number {
  const decoded = 3 * frame.width * frame.height;
  const scaled = output.width === frame.width && output.height === frame.height ? 0 : 3 * output.width * output.height;
  // A PNG (lossless) may be as large as its pixels, and its decode holds about as much again until
  // V8 collects it; a JPEG is well under one byte a pixel.
  // An H.264 frame is decoded to a stored PNG first (h264-decoder.ts): as large as a PNG frame.
  const coded = frame.format === 'jpeg' ? frame.width * frame.height : 2 * decoded;
  return decoded + scaled + coded;
}

/** Frames encoded at once: `preferred` (2 per core), fewer when they would not fit {@link IN_FLIGHT_FRAME_BYTES}; at least 1. Pure. */
export function encodeConcurrencyFor(preferred: number, workBytes: number): number {
  return Math.max(1, Math.min(preferred, Math.floor(IN_FLIGHT_FRAME_BYTES / Math.max(1, workBytes))));
}
