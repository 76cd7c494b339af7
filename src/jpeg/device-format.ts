/**
 * The device encoder's JPEG format, learnt from one frame it wrote (a template): its headers
 * (quantisation and Huffman tables, sampling, component ids), so a frame transcoded in the DCT
 * domain carries exactly the headers the device's encoder writes, with only the size changed.
 * Pure.
 */
import { type BaselineJpeg, readBaselineJpeg } from './baseline-jpeg.js';
import { type HuffmanCodes, huffmanTable } from './huffman-tables.js';
import { type McuLayout, mcuLayout } from './mcu-layout.js';

/** What the device's encoder writes, by a frame it encoded. */
export interface DeviceFormat {
  /** The template's bytes from its start-of-image to its scan data. */
  readonly header: Uint8Array;
  readonly jpeg: BaselineJpeg;
  readonly layout: McuLayout;
  /** Code words of each block of an MCU. */
  readonly dcCodes: readonly HuffmanCodes[];
  readonly acCodes: readonly HuffmanCodes[];
  /** The quantisation table (zigzag order) of each frame component. */
  readonly quantTables: readonly Uint8Array[];
}

/**
 * The format of `template` (a JPEG the device's encoder wrote, of any size), or why it cannot
 * serve: not baseline, restart markers, or a scan whose components are not in frame order.
 */
export function deviceFormat(template: Uint8Array): DeviceFormat | string {
  const read = readBaselineJpeg(template);
  if (!read.ok) return `the device template: ${read.reason}`;
  const { jpeg } = read;
  if (jpeg.restartInterval !== 0) return 'the device template has restart markers';
  if (jpeg.scan.some((component, i) => component.componentIndex !== i)) return 'the device template orders its scan differently from its frame';
  const layout = mcuLayout(jpeg);
  if (typeof layout === 'string') return `the device template: ${layout}`;
  const quantTables: Uint8Array[] = [];
  for (const component of jpeg.components) {
    const table = jpeg.quantTables.get(component.quantTableId);
    if (table === undefined) return 'the device template lacks a quantisation table';
    quantTables.push(table);
  }
  const codes = (spec: Parameters<typeof huffmanTable>[0] | undefined): HuffmanCodes | null => (spec === undefined ? null : huffmanTable(spec)?.encode ?? null);
  const dcCodes: HuffmanCodes[] = [];
  const acCodes: HuffmanCodes[] = [];
  for (let b = 0; b < layout.blocksPerMcu; b += 1) {
    const dc = codes(jpeg.dcTables.get(layout.blockDcId[b] ?? 0));
    const ac = codes(jpeg.acTables.get(layout.blockAcId[b] ?? 0));
    if (dc === null || ac === null) return 'the device template lacks a Huffman table';
    dcCodes.push(dc);
    acCodes.push(ac);
  }
  return { header: template.subarray(0, jpeg.scanDataStart), jpeg, layout, dcCodes, acCodes, quantTables };
}

/** The device's headers for a frame of `width` x `height`: the template's, with its size. */
export function deviceHeader(format: DeviceFormat, width: number, height: number): Uint8Array {
  const header = format.header.slice();
  const at = format.jpeg.sofOffset + 5; // marker (2), length (2), precision (1), then height and width
  header[at] = height >> 8;
  header[at + 1] = height & 0xff;
  header[at + 2] = width >> 8;
  header[at + 3] = width & 0xff;
  return header;
}
