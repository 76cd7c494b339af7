/**
 * Re-encoding only the blocks an overlay covers. A frame that already has the device's size and
 * quantisation tables does not need decoding and re-encoding as a whole to carry a burn-in: the
 * MCUs under the overlay are decoded, drawn on and encoded again, and every other MCU keeps its
 * quantised coefficients and its code words (no second generation of JPEG loss).
 *
 * Two steps around the caller's codec. {@link planBlockSplice} walks the whole scan (checking
 * every code word) and cuts out the MCUs under the overlay as a JPEG of their own, with one MCU
 * of context on every side, so chroma upsampling at the overlay's edges sees the same neighbours
 * as in the whole frame. The caller decodes that
 * band, draws, and encodes it with the device's settings. {@link spliceBlocks} takes the band's
 * new coefficients for the MCUs the overlay touches and the original ones elsewhere, and writes
 * the frame: its bytes up to the band as they were, then the band entropy-coded with the
 * frame's own Huffman tables. A redrawn block may need a symbol an optimised table lacks; the
 * table then gains it (table-extension.ts), and the few code words that changes are rewritten
 * where the walk noted them. Pure.
 */
import { type BaselineJpeg, readBaselineJpeg } from './baseline-jpeg.js';
import { sameBytes } from './bytes.js';
import { readEntropyData } from './entropy-data.js';
import { decodeScan } from './entropy-decoder.js';
import { mcuLayout } from './mcu-layout.js';
import { type PixelRect, bandGeometry } from './band-geometry.js';
import { type SpliceCut, changesCodeWords, spliceSteps, standaloneJpeg, tablesFor, tablesOf, writeFrame } from './splice-writing.js';

export type { PixelRect } from './band-geometry.js';

/** A frame cut at its band: what {@link spliceBlocks} needs, and the band as a JPEG to decode. */
export interface BlockSplicePlan extends SpliceCut {
  /** The band as a standalone JPEG (the frame's tables, its own DC predictors, no restarts). */
  readonly bandJpeg: Uint8Array;
}

/** Why a frame takes the full decode → encode path instead. */
export interface SpliceRefusal {
  readonly reason: string;
}

/**
 * Walks `source`'s scan and cuts out the band under `requested` (clipped to the frame). Returns
 * a refusal when the frame is not a baseline JPEG the splice handles, the overlay lies outside
 * it, or its scan is corrupt.
 */
export function planBlockSplice(source: Uint8Array, requested: PixelRect): BlockSplicePlan | SpliceRefusal {
  const read = readBaselineJpeg(source);
  if (!read.ok) return { reason: read.reason };
  const { jpeg } = read;
  const layout = mcuLayout(jpeg);
  if (typeof layout === 'string') return { reason: layout };
  const geometry = bandGeometry(layout, jpeg.width, jpeg.height, requested);
  if (geometry === null) return { reason: 'the overlay lies outside the frame' };
  const { overlay, covered, bandMcus, band } = geometry;
  const decodedFromMcu = bandMcus.row * layout.mcusX;
  const spliceFromMcu = covered.firstRow * layout.mcusX + covered.firstColumn;
  const data = readEntropyData(source, jpeg.scanDataStart);
  if (data === null) return { reason: 'the scan has no end marker' };
  const decoded = decodeScan(data, layout, jpeg.restartInterval, decodedFromMcu, spliceFromMcu);
  if (typeof decoded === 'string') return { reason: decoded };
  const cut: SpliceCut = { band, overlay, source, jpeg, layout, data, bandMcus, covered, decodedFromMcu, spliceFromMcu, decoded };
  const bandJpeg = standaloneJpeg(cut);
  if (bandJpeg === null) return { reason: 'the band needs a symbol its Huffman tables cannot take' };
  return { ...cut, bandJpeg };
}

/**
 * Writes the frame with the MCUs that `plan.overlay` touches taken from `encodedBand` (the band
 * decoded, drawn on and encoded again with the same quantisation tables) and all others as they
 * were.
 */
export function spliceBlocks(plan: BlockSplicePlan, encodedBand: Uint8Array): Uint8Array | SpliceRefusal {
  const read = readBaselineJpeg(encodedBand);
  if (!read.ok) return { reason: `the encoded band: ${read.reason}` };
  const mismatch = bandMismatch(plan, read.jpeg);
  if (mismatch !== null) return { reason: mismatch };
  const bandLayout = mcuLayout(read.jpeg);
  if (typeof bandLayout === 'string') return { reason: bandLayout };
  const bandData = readEntropyData(encodedBand, read.jpeg.scanDataStart);
  if (bandData === null) return { reason: 'the encoded band has no end marker' };
  const redrawn = decodeScan(bandData, bandLayout, read.jpeg.restartInterval, 0);
  if (typeof redrawn === 'string') return { reason: `the encoded band: ${redrawn}` };

  const steps = spliceSteps(plan, redrawn.coefficients);
  const fitted = tablesFor(plan, steps, tablesOf(plan.jpeg), plan.decoded.mark.predictors, plan.jpeg.restartInterval);
  if (typeof fitted === 'string') return { reason: fitted };
  // Copied bits would lose restart markers: code words cannot be rewritten across them.
  if (changesCodeWords(fitted.extended) && plan.jpeg.restartInterval > 0) return { reason: 'rewriting code words across restart markers' };
  return writeFrame(plan, steps, fitted.tables, fitted.extended) ?? { reason: 'a block has no code word (a coefficient out of baseline range, or a table without room)' };
}

/** Why the encoded band cannot stand in for the frame's band, or null when it can. */
function bandMismatch(plan: BlockSplicePlan, band: BaselineJpeg): string | null {
  const frame = plan.jpeg;
  if (band.width !== plan.band.width || band.height !== plan.band.height) {
    return `the encoded band is ${band.width}x${band.height}, expected ${plan.band.width}x${plan.band.height}`;
  }
  if (band.components.length !== frame.components.length) return 'the encoded band has other components';
  for (const [i, component] of frame.components.entries()) {
    const other = band.components[i];
    if (other === undefined || other.id !== component.id || other.h !== component.h || other.v !== component.v) {
      return 'the encoded band has other components or chroma subsampling';
    }
    const mine = frame.quantTables.get(component.quantTableId);
    const theirs = band.quantTables.get(other.quantTableId);
    if (mine === undefined || theirs === undefined || !sameBytes(mine, theirs)) return 'the encoded band has other quantisation tables';
  }
  for (const [i, scanComponent] of frame.scan.entries()) {
    if (band.scan[i]?.componentIndex !== scanComponent.componentIndex) return 'the encoded band orders its scan differently';
  }
  return null;
}
