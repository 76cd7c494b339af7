/**
 * The device's frame encoder (the sharp edge): decode the sensor frame, scale it to the device's
 * video size, draw the burn-in, encode JPEG at the profile's quality. Per-frame failures come back
 * as a result with a reason, for the device to log as `frame.drop`; they never stop the replay.
 */
import sharp from 'sharp';
import { assertArgument } from '../errors/index.js';
import type { FrameDropReason } from '../events/index.js';
import { BurnIn, type BurnInOptions } from './burn-in.js';

/** Output settings of the encoder. */
export interface FrameEncoderOptions {
  /** Size of the frames the sensor delivers; a frame of another size is dropped. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Size of the encoded frames. */
  readonly outputWidth: number;
  readonly outputHeight: number;
  /** JPEG quality 1..100. */
  readonly jpegQuality: number;
  /** The burn-in, or `null` for none. */
  readonly burnIn: BurnInOptions | null;
}

/** The outcome of encoding one frame. */
export type EncodeResult =
  | { readonly ok: true; readonly jpeg: Uint8Array }
  | { readonly ok: false; readonly reason: FrameDropReason; readonly detail: string };

/** Encodes frames with sharp; safe to call concurrently (results do not depend on call order). */
export class FrameEncoder {
  readonly burnIn: BurnIn | null;

  constructor(private readonly options: FrameEncoderOptions) {
    for (const key of ['sourceWidth', 'sourceHeight', 'outputWidth', 'outputHeight'] as const) {
      const value = options[key];
      assertArgument(Number.isInteger(value) && value > 0 && value <= 16384, key, 'an integer from 1 to 16384 pixels', value);
    }
    const quality = options.jpegQuality;
    assertArgument(Number.isInteger(quality) && quality >= 1 && quality <= 100, 'jpegQuality', 'an integer from 1 to 100', quality);
    this.burnIn = options.burnIn === null ? null : new BurnIn(options.burnIn, options.outputWidth, options.outputHeight);
  }

  /** Encodes one sensor frame (JPEG or PNG bytes) captured at `captureUs`. */
  async encode(source: Uint8Array, captureUs: number, quality = this.options.jpegQuality): Promise<EncodeResult> {
    const { sourceWidth, sourceHeight, outputWidth, outputHeight } = this.options;
    let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
    try {
      let pipeline = sharp(source, { failOn: 'warning', sequentialRead: true }).removeAlpha().toColourspace('srgb');
      const meta = await sharp(source, { failOn: 'warning' }).metadata();
      if (meta.width !== sourceWidth || meta.height !== sourceHeight) {
        return { ok: false, reason: 'size-mismatch', detail: `expected ${sourceWidth}x${sourceHeight}, found ${meta.width}x${meta.height}` };
      }
      if (outputWidth !== sourceWidth || outputHeight !== sourceHeight) {
        pipeline = pipeline.resize(outputWidth, outputHeight, { fit: 'cover', position: 'centre', kernel: 'lanczos3' });
      }
      decoded = await pipeline.raw().toBuffer({ resolveWithObject: true });
    } catch (error) {
      return { ok: false, reason: 'corrupt', detail: describeSharpError(error) };
    }
    const { data, info } = decoded;
    if (info.channels !== 3) return { ok: false, reason: 'corrupt', detail: `decoded to ${info.channels} channels, expected 3` };
    this.burnIn?.drawInto(data, 3, captureUs);
    try {
      const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
        .jpeg({ quality, chromaSubsampling: '4:2:0' })
        .toBuffer();
      return { ok: true, jpeg: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength) };
    } catch (error) {
      return { ok: false, reason: 'encode-failed', detail: describeSharpError(error) };
    }
  }
}

function describeSharpError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() ?? 'unknown error';
}
