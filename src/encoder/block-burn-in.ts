/**
 * The burn-in drawn by re-encoding only the blocks under it (the sharp edge of src/jpeg's block
 * splice): for a sensor frame that already has the device's size and quantisation tables, decode
 * the MCUs under the burn-in (with one MCU of context around them), draw, encode them with the
 * device's settings, and splice them into the frame. Every other block keeps its coefficients.
 */
import sharp from 'sharp';
import { planBlockSplice, spliceBlocks } from '../jpeg/index.js';
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

/** Burns `burnIn` for `captureUs` into `source` by re-encoding only the blocks it covers. */
export async function burnInBlocks(source: Uint8Array, burnIn: BurnIn, captureUs: number, settings: DeviceJpegSettings): Promise<BlockBurnInResult> {
  const plan = planBlockSplice(source, burnIn.boxAt(captureUs));
  if ('reason' in plan) return { ok: false, reason: plan.reason };
  let band: Buffer;
  try {
    const decoded = await sharp(plan.bandJpeg, { failOn: 'warning', sequentialRead: true }).raw().toBuffer({ resolveWithObject: true });
    if (decoded.info.channels !== 3) return { ok: false, reason: `the band decodes to ${decoded.info.channels} channels` };
    band = decoded.data;
  } catch (error) {
    return { ok: false, reason: `the band does not decode: ${errorMessage(error)}` };
  }
  burnIn.drawInto(band, 3, captureUs, plan.band);
  let encoded: Buffer;
  try {
    encoded = await sharp(band, { raw: { width: plan.band.width, height: plan.band.height, channels: 3 } }).jpeg(settings).toBuffer();
  } catch (error) {
    return { ok: false, reason: `the band does not encode: ${errorMessage(error)}` };
  }
  const spliced = spliceBlocks(plan, encoded);
  return 'reason' in spliced ? { ok: false, reason: spliced.reason } : { ok: true, jpeg: spliced };
}
