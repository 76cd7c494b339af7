/**
 * The device's frame encoder (the sharp edge): decode the sensor frame, scale it to the device's
 * video size, draw the burn-in, encode JPEG at the profile's quality. Per-frame failures come back
 * as a result with a reason, for the device to log as `frame.drop`; they never stop the replay.
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { assertArgument, errorMessage } from '../errors/index.js';
import type { FrameDropReason } from '../events/index.js';
import { checkFrame } from '../fixture/index.js';
import { type BlockBurnInResult, burnInBlocks, transcodeBlocks } from './block-burn-in.js';
import { type BlockBurnInJob, type PooledBurnInResult, burnInBlocksOnWorker } from './block-burn-in-pool.js';
import { BurnIn, type BurnInOptions } from './burn-in.js';
import type { FrameCache } from './frame-cache.js';
import { jpegQualityOf } from '../jpeg/index.js';

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
  /**
   * Let a sensor frame through untouched when nothing would change it: no burn-in, the same size,
   * and a JPEG whose quantisation tables are exactly those of `jpegQuality` (see src/jpeg/jpeg-quality.ts).
   * Such a frame is checked structurally (header, size, end-of-image marker) instead of decoded.
   * With the burn-in on, such a frame has only the blocks under the burn-in encoded again
   * (block-burn-in.ts); its scan is walked and checked whole.
   */
  readonly passthrough?: boolean;
  /**
   * Bitrate cap as a byte budget per frame (`maxBitrateKbps` over the frame interval), or null.
   * A frame over it is re-encoded at the highest quality that fits (a binary search, never below
   * {@link MIN_CAPPED_QUALITY}); each frame is decided alone, so results don't depend on order.
   */
  readonly maxFrameBytes?: number | null;
  /**
   * With `passthrough`, for a frame at the device's size: keep its coefficients (default true).
   * At the device's quality only the burn-in's blocks are encoded again (the block splice); at
   * another quality (and the device's chroma subsampling) every coefficient is requantised to the
   * device's tables and only the burn-in's blocks go through pixels (the coefficient transcode).
   * False: every such frame is decoded and encoded whole.
   */
  readonly spliceBurnIn?: boolean;
  /**
   * Splice burn-ins on worker threads (block-burn-in-pool.ts) rather than on the caller's thread.
   * The frames are the same either way.
   */
  readonly blockWorkers?: boolean;
  /**
   * Encoded frames kept on disk by content (frame-cache.ts): a frame encoded before with the same
   * bytes, capture time and settings is taken from it. Passed-through frames are never cached.
   * The frames are the same with and without it.
   */
  readonly frameCache?: FrameCache | null;
}

/** The lowest quality the bitrate cap goes down to. */
export const MIN_CAPPED_QUALITY = 5;

/** The outcome of encoding one frame. */
export type EncodeResult =
  | {
    readonly ok: true; readonly jpeg: Uint8Array; /** quality used (lower than asked when the bitrate cap applied) */ readonly quality?: number;
    /**
     * Given when `jpeg` lies in a buffer lent by the splice workers' pool (block-burn-in-pool.ts):
     * call it once `jpeg` is no longer read, and the buffer carries another frame. Optional: a
     * buffer never released is never reused.
     */
    readonly release?: () => void;
  }
  | { readonly ok: false; readonly reason: FrameDropReason; readonly detail: string };

// Every frame is a new input: libvips' operation cache would only hold memory and never hit.
sharp.cache(false);

/** Encodes frames with sharp; safe to call concurrently (results do not depend on call order). */
export class FrameEncoder {
  readonly burnIn: BurnIn | null;
  /**
   * How many frames took each path: untouched, only the burn-in's blocks encoded again, their
   * coefficients requantised (and the burn-in's blocks encoded again), decoded and encoded whole,
   * or taken from the frame cache (made by one of the three before).
   */
  readonly paths = { passthrough: 0, blocks: 0, requantised: 0, frame: 0, cached: 0 };
  /** True when frames of this encoder may pass through untouched (see {@link FrameEncoderOptions.passthrough}). */
  readonly passesThrough: boolean;
  /** True when a frame at the device's size and quality has only the burn-in's blocks encoded again. */
  readonly splicesBurnIn: boolean;
  /**
   * How many frames the replay should have in flight: 2 per core when frames are decoded whole
   * (each holds a raw frame of megabytes), 4 per core when they keep their coefficients (each
   * holds only its JPEG, and its time is mostly waiting: for a worker, then for sharp's band).
   */
  readonly framesInFlight: number;
  /** What a splicing worker needs to know of this encoder (when it splices). */
  private readonly blockJob: BlockBurnInJob | null;
  /** The same for frames at another quality, whose coefficients are requantised (when it keeps coefficients). */
  private readonly transcodeJob: BlockBurnInJob | null;

  constructor(private readonly options: FrameEncoderOptions) {
    for (const key of ['sourceWidth', 'sourceHeight', 'outputWidth', 'outputHeight'] as const) {
      const value = options[key];
      assertArgument(Number.isInteger(value) && value > 0 && value <= 16384, key, 'an integer from 1 to 16384 pixels', value);
    }
    const quality = options.jpegQuality;
    assertArgument(Number.isInteger(quality) && quality >= 1 && quality <= 100, 'jpegQuality', 'an integer from 1 to 100', quality);
    this.burnIn = options.burnIn === null ? null : new BurnIn(options.burnIn, options.outputWidth, options.outputHeight);
    // A frame the device would not scale or cap may keep its coded bits: all of them, or all but the burn-in's.
    const keepsBits = options.passthrough === true && (options.maxFrameBytes ?? null) === null
      && options.outputWidth === options.sourceWidth && options.outputHeight === options.sourceHeight;
    this.passesThrough = keepsBits && options.burnIn === null;
    this.splicesBurnIn = keepsBits && options.burnIn !== null && options.spliceBurnIn !== false;
    const job = { burnIn: options.burnIn, width: options.outputWidth, height: options.outputHeight, settings: { quality, ...JPEG_SETTINGS } };
    this.blockJob = this.splicesBurnIn ? { path: 'splice', ...job } : null;
    this.transcodeJob = keepsBits && options.spliceBurnIn !== false ? { path: 'transcode', ...job } : null;
    this.framesInFlight = Math.max(2, availableParallelism() * (this.transcodeJob !== null ? 4 : 2));
  }

  /** Encodes one sensor frame (JPEG or PNG bytes) captured at `captureUs`. */
  async encode(source: Uint8Array, captureUs: number, quality = this.options.jpegQuality): Promise<EncodeResult> {
    const { sourceWidth, sourceHeight } = this.options;
    const defect = checkFrame(source, { width: sourceWidth, height: sourceHeight });
    if (defect !== null) return { ok: false, reason: defect.reason, detail: defect.detail };
    // Only a JPEG has coefficients to keep: a PNG would be copied to a worker to be refused there
    // (a 4K PNG is ~25 MB, held in the worker's heap until it collects; docs/performance.md).
    const keepsCoefficients = quality === this.options.jpegQuality && isJpeg(source)
      && (this.passesThrough || this.splicesBurnIn || this.transcodeJob !== null);
    const deviceQuality = keepsCoefficients && jpegQualityOf(source) === quality;
    if (this.passesThrough && deviceQuality) {
      this.paths.passthrough += 1;
      return { ok: true, jpeg: source };
    }
    const cache = this.options.frameCache ?? null;
    if (cache === null) return this.encodeFrame(source, captureUs, quality, keepsCoefficients, deviceQuality).then((done) => done.result);
    const key = cache.keyOf(source, captureUs, quality, this.cacheSettings);
    const hit = cache.get(key);
    if (hit !== null) {
      this.paths.cached += 1;
      return { ok: true, jpeg: hit.jpeg, quality: hit.quality };
    }
    const done = await this.encodeFrame(source, captureUs, quality, keepsCoefficients, deviceQuality);
    if (done.result.ok && done.path !== null) cache.put(key, { jpeg: done.result.jpeg, path: done.path, quality: done.result.quality ?? quality });
    return done.result;
  }

  /** What a cached frame's bytes depend on among this encoder's options. */
  private get cacheSettings(): unknown {
    const { sourceWidth, sourceHeight, outputWidth, outputHeight, jpegQuality, burnIn, passthrough, maxFrameBytes, spliceBurnIn } = this.options;
    return { sourceWidth, sourceHeight, outputWidth, outputHeight, jpegQuality, burnIn, passthrough, maxFrameBytes, spliceBurnIn, jpeg: JPEG_SETTINGS };
  }

  /** Encodes a frame that does not pass through: by its blocks, its requantised coefficients, or whole; and which. */
  private async encodeFrame(source: Uint8Array, captureUs: number, quality: number, keepsCoefficients: boolean, deviceQuality: boolean): Promise<{ result: EncodeResult; path: 'blocks' | 'requantised' | 'frame' | null }> {
    if (this.blockJob !== null && deviceQuality) {
      const spliced = await this.onWorkerOrHere(source, captureUs, this.blockJob);
      if (spliced.ok) {
        this.paths.blocks += 1;
        return { result: { ok: true, jpeg: spliced.jpeg, quality, ...releaseOf(spliced) }, path: 'blocks' };
      }
      // Not a frame the splice handles: the transcode may (restart markers and a table that must change code words).
    }
    if (this.transcodeJob !== null && keepsCoefficients) {
      const transcoded = await this.onWorkerOrHere(source, captureUs, this.transcodeJob);
      if (transcoded.ok) {
        this.paths.requantised += 1;
        return { result: { ok: true, jpeg: transcoded.jpeg, quality, ...releaseOf(transcoded) }, path: 'requantised' };
      }
      // Not a frame the transcode handles (or a corrupt one): the full path decodes it and says why.
    }
    this.paths.frame += 1;
    return { result: await this.encodeWhole(source, captureUs, quality), path: 'frame' };
  }

  /** Decodes the frame, scales it, draws the burn-in and encodes it (under the byte budget, if any). */
  private async encodeWhole(source: Uint8Array, captureUs: number, quality: number): Promise<EncodeResult> {
    const { sourceWidth, sourceHeight, outputWidth, outputHeight } = this.options;
    if (outputWidth === sourceWidth && outputHeight === sourceHeight && (this.options.maxFrameBytes ?? null) === null) {
      return this.encodeStreamed(source, captureUs, quality);
    }
    let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
    try {
      let pipeline = sharp(source, { failOn: 'warning', sequentialRead: true }).removeAlpha().toColourspace('srgb');
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
    const raw = { width: info.width, height: info.height, channels: 3 as const };
    try {
      let jpeg = await encodeRaw(data, raw, quality);
      const budget = this.options.maxFrameBytes ?? null;
      if (budget === null || jpeg.byteLength <= budget) return { ok: true, jpeg, quality };
      // Binary search for the highest quality below `quality` that fits the budget.
      let low = MIN_CAPPED_QUALITY;
      let high = quality - 1;
      let best: { jpeg: Uint8Array; quality: number } | null = null;
      while (low <= high) {
        const mid = Math.floor((low + high) / 2);
        const attempt = await encodeRaw(data, raw, mid);
        if (attempt.byteLength <= budget) {
          best = { jpeg: attempt, quality: mid };
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      if (best === null) {
        jpeg = await encodeRaw(data, raw, MIN_CAPPED_QUALITY);
        return { ok: true, jpeg, quality: MIN_CAPPED_QUALITY };
      }
      return { ok: true, jpeg: best.jpeg, quality: best.quality };
    } catch (error) {
      return { ok: false, reason: 'encode-failed', detail: describeSharpError(error) };
    }
  }

  /**
   * {@link encodeWhole} for a frame at the device's size with no byte budget, without ever holding
   * the decoded frame: libvips decodes the burn-in's box alone, the burn-in is drawn into it, and
   * one streaming pipeline decodes the frame, lays the box over it and encodes the JPEG. The bytes
   * are the same as decoding, drawing and encoding the whole frame (test/encoder/png-frames.test.ts),
   * but a decoded frame (25 MB at 4096x2025) is no longer a Buffer that lives until V8 collects it:
   * several of them used to wait for a collection, and a PNG clip at the largest size went over
   * its memory bound (issue 14, docs/performance.md). The box costs a second decode of the rows
   * down to it.
   */
  private async encodeStreamed(source: Uint8Array, captureUs: number, quality: number): Promise<EncodeResult> {
    const { outputWidth: width, outputHeight: height } = this.options;
    const decode = (): ReturnType<typeof sharp> => sharp(source, { failOn: 'warning', sequentialRead: true }).removeAlpha().toColourspace('srgb');
    let pipeline = decode();
    const box = this.burnIn?.boxAt(captureUs) ?? null;
    const left = Math.max(0, box?.left ?? 0);
    const top = Math.max(0, box?.top ?? 0);
    const right = Math.min(width, (box?.left ?? 0) + (box?.width ?? 0));
    const bottom = Math.min(height, (box?.top ?? 0) + (box?.height ?? 0));
    if (this.burnIn !== null && right > left && bottom > top) {
      const region = { left, top, width: right - left, height: bottom - top };
      let patch: { data: Buffer; info: { channels: number } };
      try {
        patch = await decode().extract(region).raw().toBuffer({ resolveWithObject: true });
      } catch (error) {
        return { ok: false, reason: 'corrupt', detail: describeSharpError(error) };
      }
      if (patch.info.channels !== 3) return { ok: false, reason: 'corrupt', detail: `decoded to ${patch.info.channels} channels, expected 3` };
      this.burnIn.drawInto(patch.data, 3, captureUs, region);
      pipeline = pipeline.composite([{ input: patch.data, raw: { width: region.width, height: region.height, channels: 3 }, left, top }]);
    }
    try {
      const jpeg = await pipeline.jpeg({ quality, ...JPEG_SETTINGS }).toBuffer();
      return { ok: true, jpeg: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength), quality };
    } catch (error) {
      // The decode runs inside this pipeline: a frame that does not decode fails here.
      return { ok: false, reason: 'corrupt', detail: describeSharpError(error) };
    }
  }

  /** Runs a block job on a worker thread when this encoder uses them and one takes it, else on this thread. */
  private async onWorkerOrHere(source: Uint8Array, captureUs: number, job: BlockBurnInJob): Promise<PooledBurnInResult> {
    const onWorker = this.options.blockWorkers === true ? await burnInBlocksOnWorker(source, captureUs, job) : null;
    if (onWorker !== null) return onWorker;
    if (job.path === 'transcode') return transcodeBlocks(source, this.burnIn, captureUs, job.settings);
    return this.burnIn === null ? { ok: false, reason: 'a splice without a burn-in' } : burnInBlocks(source, this.burnIn, captureUs, job.settings);
  }
}

/**
 * JPEG settings of the device's encoder: baseline, 4:2:0, and the standard Huffman tables (as
 * hardware encoders use) rather than optimised ones: optimising more than doubles the encode time
 * for 7 % smaller frames (docs/performance.md).
 */
export const JPEG_SETTINGS = { chromaSubsampling: '4:2:0', optimiseCoding: false } as const;

async function encodeRaw(data: Buffer, raw: { width: number; height: number; channels: 3 }, quality: number): Promise<Uint8Array> {
  const jpeg = await sharp(data, { raw }).jpeg({ quality, ...JPEG_SETTINGS }).toBuffer();
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}

/** A pooled result's `release`, as fields to spread into an {@link EncodeResult}. */
function releaseOf(result: PooledBurnInResult): { release?: () => void } {
  return result.release === undefined ? {} : { release: result.release };
}

/** True when `bytes` start as a JPEG does (SOI, then a marker). */
function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function describeSharpError(error: unknown): string {
  const message = errorMessage(error);
  return message.split('\n')[0]?.trim() ?? 'unknown error';
}
