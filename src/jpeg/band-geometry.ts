/**
 * Where an overlay lies in a frame's MCU grid: the MCUs it covers, and the band around them (one
 * MCU of context on every side, where the frame has it) that is decoded to pixels, drawn on and
 * encoded again. Shared by the block splice and the coefficient transcode. Pure.
 */
import type { McuLayout } from './mcu-layout.js';

/** A rectangle in pixels. */
export interface PixelRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The overlay in MCUs (inclusive). */
export interface CoveredMcus {
  readonly firstRow: number;
  readonly lastRow: number;
  readonly firstColumn: number;
  readonly lastColumn: number;
}

/** The band in MCUs: its first row and column, how many of each. */
export interface BandMcus {
  readonly row: number;
  readonly column: number;
  readonly rows: number;
  readonly columns: number;
}

/** An overlay placed on a frame's MCU grid. */
export interface BandGeometry {
  /** The overlay clipped to the frame. */
  readonly overlay: PixelRect;
  readonly covered: CoveredMcus;
  readonly bandMcus: BandMcus;
  /** Where the band lies in the frame, in pixels. */
  readonly band: PixelRect;
}

/** The band around `requested` (clipped to the frame), or null when it lies outside the frame. */
export function bandGeometry(layout: McuLayout, width: number, height: number, requested: PixelRect): BandGeometry | null {
  const overlay = clipToFrame(requested, width, height);
  if (overlay === null) return null;
  const covered = {
    firstRow: Math.floor(overlay.top / layout.mcuHeight),
    lastRow: Math.floor((overlay.top + overlay.height - 1) / layout.mcuHeight),
    firstColumn: Math.floor(overlay.left / layout.mcuWidth),
    lastColumn: Math.floor((overlay.left + overlay.width - 1) / layout.mcuWidth),
  };
  const row = Math.max(0, covered.firstRow - 1);
  const lastRow = Math.min(layout.mcusY - 1, covered.lastRow + 1);
  const column = Math.max(0, covered.firstColumn - 1);
  const columns = Math.min(layout.mcusX - 1, covered.lastColumn + 1) - column + 1;
  const left = column * layout.mcuWidth;
  const top = row * layout.mcuHeight;
  const band = {
    left, top,
    width: Math.min(width, (column + columns) * layout.mcuWidth) - left,
    height: Math.min(height, (lastRow + 1) * layout.mcuHeight) - top,
  };
  return { overlay, covered, bandMcus: { row, column, rows: lastRow - row + 1, columns }, band };
}

/** Whether MCU `mcu` of a grid `mcusX` wide is one the overlay covers. */
export function isCoveredMcu(covered: CoveredMcus, mcusX: number, mcu: number): boolean {
  const row = Math.floor(mcu / mcusX);
  const column = mcu % mcusX;
  return row >= covered.firstRow && row <= covered.lastRow && column >= covered.firstColumn && column <= covered.lastColumn;
}

function clipToFrame(rect: PixelRect, width: number, height: number): PixelRect | null {
  const left = Math.max(0, Math.floor(rect.left));
  const top = Math.max(0, Math.floor(rect.top));
  const right = Math.min(width, Math.ceil(rect.left + rect.width));
  const bottom = Math.min(height, Math.ceil(rect.top + rect.height));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}
