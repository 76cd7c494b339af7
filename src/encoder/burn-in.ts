/**
 * The burn-in line every frame carries (wall clock to the second, device id, officer id), as
 * body-worn cameras print it. Pure: it renders text to RGBA with the 5x7 font and caches the
 * rendering per wall-clock second, so it is rendered once per change, not once per frame.
 */
import { assertArgument } from '../errors/index.js';
import type { PixelRect } from '../jpeg/index.js';
import { type RasterText, drawText, rasterizeText } from '../text/index.js';
import { type WallClockOrigin, formatBurnInClock, wallClockSecond } from '../time/index.js';

/** What the burn-in shows and where the clock comes from. */
export interface BurnInOptions {
  readonly origin: WallClockOrigin;
  readonly deviceId: string;
  readonly officerId: string;
}

/** Integer font scale for a frame height: 2 at 360p, 3 at 720p, 5 at 1080p. */
export function burnInScale(frameHeight: number): number {
  return Math.max(1, Math.round(frameHeight / 216));
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
    this.scale = burnInScale(frameHeight);
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
