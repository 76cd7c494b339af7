/**
 * The MCU grid of an interleaved baseline scan (T.81 A.2): how many MCUs, their size in pixels,
 * and which component and Huffman tables each block of an MCU uses. Pure.
 */
import type { BaselineJpeg } from './baseline-jpeg.js';
import { type HuffmanTable, huffmanTable } from './huffman-tables.js';

/** The MCU grid and per-block coding of a scan. */
export interface McuLayout {
  readonly mcusX: number;
  readonly mcusY: number;
  /** MCU size in pixels. */
  readonly mcuWidth: number;
  readonly mcuHeight: number;
  readonly blocksPerMcu: number;
  /** For each block of an MCU: the index of its component in the scan (its DC predictor). */
  readonly blockScanComponent: Uint8Array;
  readonly blockDc: readonly HuffmanTable[];
  readonly blockAc: readonly HuffmanTable[];
  /** For each block of an MCU: the ids (0..3) of its DC and AC tables in the DHT segments. */
  readonly blockDcId: Uint8Array;
  readonly blockAcId: Uint8Array;
  readonly scanComponents: number;
}

/** The layout of `jpeg`'s scan, or a reason it cannot be built (an impossible Huffman table). */
export function mcuLayout(jpeg: BaselineJpeg): McuLayout | string {
  const single = jpeg.scan.length === 1;
  const hMax = single ? 1 : Math.max(...jpeg.components.map((c) => c.h));
  const vMax = single ? 1 : Math.max(...jpeg.components.map((c) => c.v));
  const mcuWidth = 8 * hMax;
  const mcuHeight = 8 * vMax;
  const blockScanComponent: number[] = [];
  const blockDc: HuffmanTable[] = [];
  const blockAc: HuffmanTable[] = [];
  const blockDcId: number[] = [];
  const blockAcId: number[] = [];
  for (const [scanIndex, scanComponent] of jpeg.scan.entries()) {
    const component = jpeg.components[scanComponent.componentIndex];
    const dcSpec = jpeg.dcTables.get(scanComponent.dcTableId);
    const acSpec = jpeg.acTables.get(scanComponent.acTableId);
    if (component === undefined || dcSpec === undefined || acSpec === undefined) return 'a scan component without its tables';
    const dc = huffmanTable(dcSpec);
    const ac = huffmanTable(acSpec);
    if (dc === null || ac === null) return 'a Huffman table whose code counts overflow';
    // A one-component scan codes one block per MCU whatever the sampling factors (A.2.2).
    const blocks = single ? 1 : component.h * component.v;
    for (let i = 0; i < blocks; i += 1) {
      blockScanComponent.push(scanIndex);
      blockDc.push(dc);
      blockAc.push(ac);
      blockDcId.push(scanComponent.dcTableId);
      blockAcId.push(scanComponent.acTableId);
    }
  }
  if (blockScanComponent.length > 10) return `${blockScanComponent.length} blocks per MCU (at most 10)`;
  return {
    mcusX: Math.ceil(jpeg.width / mcuWidth),
    mcusY: Math.ceil(jpeg.height / mcuHeight),
    mcuWidth,
    mcuHeight,
    blocksPerMcu: blockScanComponent.length,
    blockScanComponent: Uint8Array.from(blockScanComponent),
    blockDc,
    blockAc,
    blockDcId: Uint8Array.from(blockDcId),
    blockAcId: Uint8Array.from(blockAcId),
    scanComponents: jpeg.scan.length,
  };
}
