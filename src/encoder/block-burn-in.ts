/**
 * The burn-in drawn by re-encoding only the blocks under it (the sharp edge of src/jpeg's block
 * splice and coefficient transcode). A sensor frame that already has the device's size and
 * quantisation tables keeps every other block's coefficients (the splice); one at another quality
 * has every other block's coefficients requantised to the device's tables (the transcode). Either
 * way only the MCUs under the burn-in go through pixels: for the splice, a band around them (one
 * MCU of context) decoded, drawn on and encoded by sharp, so they are exactly the whole-frame
 * path's; for the transcode, in JavaScript inside its pass (src/jpeg/redraw-blocks.ts), which
 * saves sharp's two calls a frame (docs/performance.md).
 */
import sharp from 'sharp';
import { type DeviceFormat, type PixelRect, type TranscodeLoop, deviceFormat, finishTranscode, finishTranscodeDrawn, isRedrawableLayout, newTranscodeScratch, planBlockSplice, planTranscode, spliceBlocks } from '../jpeg/index.js';
import type { BurnIn } from './burn-in.js';
import { errorMessage } from '../errors/index.js';

/** JPEG settings of the device's encoder (see frame-encoder.ts). */
export interface DeviceJpegSettings {
  readonly quality: number;
  readonly chromaSubsampling: '4:2:0';
  readonly optimiseCoding: false;
}

/** The outcome: the frame with its burn-in, or why the full decode → encode path must do it. */
export type BlockBurnInResult = { readonly ok: true; readonly jpeg: Uint8Array } | { readonly ok: false; readonly reason: string };

/** The coefficient transcode's buffers, reused frame after frame on this thread (see transcodeBlocks). */
const scratch = newTranscodeScratch();

/**
 * The transcode's requantising loop: WebAssembly by default, the JavaScript reference with
 * BODYCAM_TRANSCODE=js (same bytes; for comparing the two, docs/performance.md).
 */
const loop: TranscodeLoop = process.env['BODYCAM_TRANSCODE'] === 'js' ? 'js' : 'wasm';

/** Burns `burnIn` for `captureUs` into `source` by re-encoding only the blocks it covers. */
export async function burnInBlocks(source: Uint8Array, burnIn: BurnIn, captureUs: number, settings: DeviceJpegSettings): Promise<BlockBurnInResult> {
  const plan = planBlockSplice(source, burnIn.boxAt(captureUs));
  if ('reason' in plan) return { ok: false, reason: plan.reason };
  const encoded = await redrawBand(plan.bandJpeg, plan.band, burnIn, captureUs, settings);
  if (!encoded.ok) return encoded;
  const spliced = spliceBlocks(plan, encoded.jpeg);
  return 'reason' in spliced ? { ok: false, reason: spliced.reason } : { ok: true, jpeg: spliced };
}

/**
 * Makes `source` (a JPEG of the device's size and chroma subsampling, at any quality) the device's
 * frame by requantising its coefficients to the device's tables, with `burnIn` (or none) drawn
 * on the blocks it covers.
 */
export async function transcodeBlocks(source: Uint8Array, burnIn: BurnIn | null, captureUs: number, settings: DeviceJpegSettings): Promise<BlockBurnInResult> {
  const device = await deviceFormatFor(settings);
  if (typeof device === 'string') return { ok: false, reason: device };
  const box = burnIn === null ? null : burnIn.boxAt(captureUs);
  if (isRedrawableLayout(device.layout)) {
    // The device's 4:2:0: the burn-in's MCUs go through pixels inside the transcode, no sharp call.
    // Plan and finish run back to back with no await between them, so one scratch serves every
    // frame of this thread.
    const plan = planTranscode(source, device, box, { bandJpeg: false, scratch, loop });
    if ('reason' in plan) return { ok: false, reason: plan.reason };
    const out = finishTranscodeDrawn(plan, (rgb, region) => burnIn?.drawInto(rgb, 3, captureUs, region));
    return 'reason' in out ? { ok: false, reason: out.reason } : { ok: true, jpeg: out };
  }
  const plan = planTranscode(source, device, box, { loop });
  if ('reason' in plan) return { ok: false, reason: plan.reason };
  let band: Uint8Array | null = null;
  if (plan.bandJpeg !== null && plan.band !== null && burnIn !== null) {
    const encoded = await redrawBand(plan.bandJpeg, plan.band, burnIn, captureUs, settings);
    if (!encoded.ok) return encoded;
    band = encoded.jpeg;
  }
  const out = finishTranscode(plan, band);
  return 'reason' in out ? { ok: false, reason: out.reason } : { ok: true, jpeg: out };
}

/** Decodes a band, draws the burn-in on it and encodes it with the device's settings. */
async function redrawBand(bandJpeg: Uint8Array, region: PixelRect, burnIn: BurnIn, captureUs: number, settings: DeviceJpegSettings): Promise<BlockBurnInResult> {
  let band: Buffer;
  try {
    const decoded = await sharp(bandJpeg, { failOn: 'warning', sequentialRead: true }).raw().toBuffer({ resolveWithObject: true });
    if (decoded.info.channels !== 3) return { ok: false, reason: `the band decodes to ${decoded.info.channels} channels` };
    band = decoded.data;
  } catch (error) {
    return { ok: false, reason: `the band does not decode: ${errorMessage(error)}` };
  }
  burnIn.drawInto(band, 3, captureUs, region);
  try {
    const encoded = await sharp(band, { raw: { width: region.width, height: region.height, channels: 3 } }).jpeg(settings).toBuffer();
    return { ok: true, jpeg: new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength) };
  } catch (error) {
    return { ok: false, reason: `the band does not encode: ${errorMessage(error)}` };
  }
}

const formats = new Map<string, Promise<DeviceFormat | string>>();

/**
 * The device encoder's format for `settings`, learnt from a 16x16 frame sharp encodes with them
 * (once per settings): the headers and tables every frame it encodes carries.
 */
export function deviceFormatFor(settings: DeviceJpegSettings): Promise<DeviceFormat | string> {
  const key = JSON.stringify(settings);
  let format = formats.get(key);
  if (format === undefined) {
    format = sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 128, g: 128, b: 128 } } }).jpeg(settings).toBuffer()
      .then((template) => deviceFormat(new Uint8Array(template.buffer, template.byteOffset, template.byteLength)));
    formats.set(key, format);
  }
  return format;
}
