/**
 * The burn-in line every frame carries (wall clock to the second, device id, officer id), as
 * body-worn cameras print it. Pure: it renders text to RGBA with the 5x7 font and caches the
 * rendering per wall-clock second, so it is rendered once per change, not once per frame.
 */
import { assertArgument } from '../errors/index.js';
import type { PixelRect } from '../jpeg/index.js';
import { type RasterText, drawText, measureText, rasterizeText } from '../text/index.js';
import { type WallClockOrigin, formatBurnInClock, wallClockSecond } from '../time/index.js';

/** What the burn-in shows and where the clock comes from. */
export interface BurnInOptions {
  readonly origin: WallClockOrigin;
  readonly deviceId: string;
  readonly officerId: string;
}

/** The largest font scale the text renderer draws. */
export const MAX_BURN_IN_SCALE = 64;

/**
 * Integer font scale for a frame: 2 at 360p, 3 at 720p, 5 at 1080p by the height; smaller when
 * the line (`textWidth` pixels at scale 1, plus a margin of 2 a side) would not fit the width;
 * never above the renderer's 64 nor below 1 (a frame too small for even that shows what fits).
 */
export function burnInScale(frameHeight: number, frameWidth = Number.POSITIVE_INFINITY, textWidth = 0): number {
  const byHeight = Math.round(frameHeight / 216);
  const byWidth = textWidth > 0 ? Math.floor(frameWidth / (textWidth + 2)) : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(MAX_BURN_IN_SCALE, byHeight, byWidth));
}

/** Renders and places the burn-in for one output size. */
export class BurnIn {
  readonly scale: number;
  private cachedSecond = Number.NaN;
  private cachedText: RasterText | null = null;
  private renders = 0;

  constructor(
    private readonly options: BurnInOptions,
    private readonly frameWidth: number,
    private readonly frameHeight: number,
  ) {
    assertArgument(Number.isInteger(frameWidth) && frameWidth > 0, 'frameWidth', 'a positive integer', frameWidth);
    assertArgument(Number.isInteger(frameHeight) && frameHeight > 0, 'frameHeight', 'a positive integer', frameHeight);
    // Every wall-clock text has the same length (fixed-width fields), so the one at t = 0 sizes them all.
    this.scale = burnInScale(frameHeight, frameWidth, measureText(this.textAt(0), 1).width);
  }

  /** The text shown at fixture time `captureUs`. */
  textAt(captureUs: number): string {
    return `${formatBurnInClock(this.options.origin, captureUs)}  ${this.options.deviceId}  ${this.options.officerId}`;
  }

  /** The rendered overlay for `captureUs`; re-rendered only when the wall-clock second changes. */
  overlayAt(captureUs: number): RasterText {
    const second = wallClockSecond(this.options.origin, captureUs);
    if (this.cachedText === null || second !== this.cachedSecond) {
      this.cachedText = rasterizeText(this.textAt(captureUs), { scale: this.scale, background: [0, 0, 0, 170] });
      this.cachedSecond = second;
      this.renders += 1;
    }
    return this.cachedText;
  }

  /** How many times the text was rendered (for tests and benchmarks). */
  get renderCount(): number {
    return this.renders;
  }

  /** Where the burn-in for `captureUs` lies in the frame: bottom left, a margin from the edges. */
  boxAt(captureUs: number): PixelRect {
    const overlay = this.overlayAt(captureUs);
    const margin = this.scale * 2;
    return { left: margin, top: this.frameHeight - overlay.height - margin, width: overlay.width, height: overlay.height };
  }

  /**
   * Draws the burn-in for `captureUs` into raw RGB(A) pixels: the whole frame, or the part of it
   * that `region` says (its width and place in the frame; the band a block splice decodes).
   */
  drawInto(pixels: Uint8Array, channels: 3 | 4, captureUs: number, region: { readonly left: number; readonly top: number; readonly width: number } = { left: 0, top: 0, width: this.frameWidth }): void {
    const box = this.boxAt(captureUs);
    const rows = Math.floor(pixels.length / (region.width * channels));
    drawText(pixels, region.width, rows, channels, this.overlayAt(captureUs), box.left - region.left, box.top - region.top);
  }
}
