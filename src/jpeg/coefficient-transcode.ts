/**
 * A frame from another encoder, at another quality, made into the device's JPEG without going
 * through pixels: its scan is Huffman-decoded, every quantised coefficient requantised from the
 * source's quantisation tables to the device's (requantise.ts), and coded again with the
 * device's Huffman tables under the device's headers (device-format.ts). The frame needs the
 * device's size and chroma subsampling; everything else (tables, restart markers, component ids)
 * may differ.
 *
 * The burn-in's MCUs alone go through pixels, as in the block splice: {@link planTranscode}
 * codes the frame up to the first MCU the overlay covers, decodes the rest, and cuts out the
 * band around the overlay (one MCU of context on every side) as a JPEG of the source's
 * coefficients and quantisation tables, so a decoder gives exactly the pixels it gives for the
 * whole frame there. The caller decodes the band, draws, and encodes it with the device's
 * settings; {@link finishTranscode} codes the covered MCUs from that band, the others
 * requantised. Or, without a band JPEG, {@link finishTranscodeDrawn} takes the covered MCUs
 * through pixels itself (redraw-blocks.ts) and the caller only draws. Pure.
 */
import { type BaselineJpeg, readBaselineJpeg } from './baseline-jpeg.js';
import { type BandGeometry, type PixelRect, bandGeometry, isCoveredMcu } from './band-geometry.js';
import { sameBytes } from './bytes.js';
import { type EntropyData, readEntropyData } from './entropy-data.js';
import { BLOCK_SIZE, type Reader, decodeMcus, decodeScan, newReader, restart, scanEnd, walkMcus } from './entropy-decoder.js';
import { EntropyWriter } from './entropy-encoder.js';
import { type DeviceFormat, deviceHeader } from './device-format.js';
import { type McuLayout, mcuLayout } from './mcu-layout.js';
import { type DrawRgb, isRedrawableLayout, redrawCovered } from './redraw-blocks.js';
import { type TranscodeTables, codeStoredMcus, transcodeMcus } from './requantise.js';
import { codeStoredMcusWasm, decodeMcusWasm, transcodeMcusWasm, walkMcusWasm } from './wasm-transcode.js';

/** Why a frame takes the full decode → encode path instead. */
export interface TranscodeRefusal {
  readonly reason: string;
}

/** A frame transcoded up to its band, waiting for the band drawn on (see {@link finishTranscode}). */
export interface TranscodePlan {
  /** Where the band lies in the frame, in pixels; null without an overlay. */
  readonly band: PixelRect | null;
  /** The band as a standalone JPEG of the source's coefficients; null without an overlay. */
  readonly bandJpeg: Uint8Array | null;
  /** @internal The work in progress; a plan is finished once. */
  readonly work: TranscodeWork;
}

interface TranscodeWork {
  readonly device: DeviceFormat;
  readonly layout: McuLayout;
  readonly tables: TranscodeTables;
  readonly writer: EntropyWriter;
  readonly devicePredictors: Int32Array;
  readonly geometry: BandGeometry | null;
  /** The first MCU not yet coded: the first covered one, or the end. */
  readonly splitMcu: number;
  /** The source's scan, and its reader where MCU `splitMcu` starts. */
  readonly data: EntropyData;
  readonly restartInterval: number;
  readonly reader: Reader;
  /** The band's source coefficients (null without an overlay), and the source's quantisation table of each component. */
  readonly bandStore: Int16Array | null;
  readonly sourceQuant: readonly Uint8Array[];
  readonly frame: { readonly width: number; readonly height: number };
  /** The loops over the scan (requantising, coding stored blocks, decoding the band, walking past the rest): WebAssembly's, or the JavaScript references they match byte for byte. */
  readonly transcodeMcus: typeof transcodeMcus;
  readonly codeStoredMcus: typeof codeStoredMcus;
  readonly decodeMcus: typeof decodeMcus;
  readonly walkMcus: typeof walkMcus;
  finished: boolean;
}

/**
 * Which requantising loop runs: `wasm` (the default; wasm-transcode.ts) or `js`, the reference it
 * matches byte for byte (requantise.ts), for tests and comparisons.
 */
export type TranscodeLoop = 'wasm' | 'js';

/**
 * Buffers a caller keeps from one transcode to the next (one at a time: a plan holds them until
 * it is finished), so a worker that transcodes frame after frame does not allocate the unstuffed
 * scan and the band's coefficients (~300 KB a 720p frame) anew each time. Grown when a frame
 * needs more.
 */
export interface TranscodeScratch {
  scan: Uint8Array;
  band: Int16Array;
}

/** Empty scratch buffers for {@link planTranscode}. */
export function newTranscodeScratch(): TranscodeScratch {
  return { scan: new Uint8Array(0), band: new Int16Array(0) };
}

const EOI = Uint8Array.of(0xff, 0xd9);
const APP2_ICC = 0xe2;
const APP14_ADOBE = 0xee;

/**
 * Transcodes `source` up to the overlay `requested` (null: none, and the frame is then complete
 * after {@link finishTranscode} with no band). Returns a refusal when the frame is not one the
 * transcode handles (other sampling, colour transform, corrupt scan) or a coefficient has no
 * baseline code after requantising.
 */
export function planTranscode(
  source: Uint8Array, device: DeviceFormat, requested: PixelRect | null,
  options: { readonly bandJpeg?: boolean; readonly scratch?: TranscodeScratch; readonly loop?: TranscodeLoop } = {},
): TranscodePlan | TranscodeRefusal {
  const read = readBaselineJpeg(source);
  if (!read.ok) return { reason: read.reason };
  const { jpeg } = read;
  const unlike = differsFromDevice(jpeg, device);
  if (unlike !== null) return { reason: unlike };
  const layout = mcuLayout(jpeg);
  if (typeof layout === 'string') return { reason: layout };
  const tables = transcodeTables(jpeg, layout, device);
  if (typeof tables === 'string') return { reason: tables };
  const { scratch } = options;
  if (scratch !== undefined && scratch.scan.length < source.length + 8) scratch.scan = new Uint8Array(source.length + (source.length >> 2) + 8);
  const data = readEntropyData(source, jpeg.scanDataStart, scratch?.scan);
  if (data === null) return { reason: 'the scan has no end marker' };
  const geometry = requested === null ? null : bandGeometry(layout, jpeg.width, jpeg.height, requested);
  if (requested !== null && geometry === null) return { reason: 'the overlay lies outside the frame' };
  const total = layout.mcusX * layout.mcusY;
  const splitMcu = geometry === null ? total : geometry.covered.firstRow * layout.mcusX + geometry.covered.firstColumn;
  const mcuSize = layout.blocksPerMcu * BLOCK_SIZE;
  const writer = new EntropyWriter(source.length + 65_536);
  writer.raw(deviceHeader(device, jpeg.width, jpeg.height));
  const reader = newReader();
  const bandStore = geometry === null ? null : bandStoreFor(geometry.bandMcus.rows * geometry.bandMcus.columns * mcuSize, scratch);
  const sourceQuant = jpeg.components.map((component) => jpeg.quantTables.get(component.quantTableId) ?? new Uint8Array(64));
  const work: TranscodeWork = {
    device, layout, tables, writer, devicePredictors: new Int32Array(4), geometry, splitMcu,
    data, restartInterval: jpeg.restartInterval, reader, bandStore, sourceQuant, frame: { width: jpeg.width, height: jpeg.height },
    transcodeMcus: options.loop === 'js' ? transcodeMcus : transcodeMcusWasm,
    codeStoredMcus: options.loop === 'js' ? codeStoredMcus : codeStoredMcusWasm,
    decodeMcus: options.loop === 'js' ? decodeMcus : decodeMcusWasm,
    walkMcus: options.loop === 'js' ? walkMcus : walkMcusWasm, finished: false,
  };
  const coded = codeUpTo(data, jpeg.restartInterval, reader, work, bandStore);
  if (coded !== null) return { reason: coded };
  // The rest is read twice: now for the band's coefficients and to check it to its end, and
  // again when it is coded (finishTranscode), from this reader's state.
  const { pos, acc, bits, restarts } = reader;
  const predictors = reader.predictors.slice();
  const tailed = readTail(data, jpeg.restartInterval, reader, work, bandStore);
  if (tailed !== null) return { reason: tailed };
  Object.assign(reader, { pos, acc, bits, restarts });
  reader.predictors.set(predictors);
  if (geometry === null || bandStore === null) return { band: null, bandJpeg: null, work };
  return { band: geometry.band, bandJpeg: options.bandJpeg === false ? null : bandJpegOf(source, jpeg, device, geometry, bandStore), work };
}

/**
 * The device's frame: the MCUs the overlay covers coded from `encodedBand` (the band decoded,
 * drawn on and encoded with the device's settings; null when the plan has no band), the rest
 * requantised.
 */
export function finishTranscode(plan: TranscodePlan, encodedBand: Uint8Array | null): Uint8Array | TranscodeRefusal {
  const { work } = plan;
  if (work.finished) return { reason: 'the transcode was already finished' };
  let redrawn: Int16Array | null = null;
  if (work.geometry !== null) {
    if (encodedBand === null) return finished(work, { reason: 'the band drawn on is missing' });
    const decoded = redrawnCoefficients(encodedBand, work.geometry, work.device);
    if (typeof decoded === 'string') return finished(work, { reason: decoded });
    redrawn = decoded;
  }
  return codeTail(work, redrawn);
}

/**
 * The device's frame, the MCUs the overlay covers taken through pixels here (redraw-blocks.ts)
 * and drawn on by `draw`, the rest requantised: {@link finishTranscode} without a band JPEG and
 * an encoder. Refuses a layout other than 4:2:0 in 16x16 MCUs (the caller then uses the band JPEG).
 */
export function finishTranscodeDrawn(plan: TranscodePlan, draw: DrawRgb): Uint8Array | TranscodeRefusal {
  const { work } = plan;
  if (work.finished) return { reason: 'the transcode was already finished' };
  let redrawn: Int16Array | null = null;
  if (work.geometry !== null && work.bandStore !== null) {
    if (!isRedrawableLayout(work.layout)) return finished(work, { reason: 'a layout other than 4:2:0 cannot be redrawn here' });
    redrawn = redrawCovered(work.bandStore, work.geometry, work.frame, work.sourceQuant, work.device.quantTables, draw);
  }
  return codeTail(work, redrawn);
}

/** `size` zeroed coefficients for the band (decodeMcus writes only the nonzero ones): from `scratch` when given. */
function bandStoreFor(size: number, scratch: TranscodeScratch | undefined): Int16Array {
  if (scratch === undefined) return new Int16Array(size);
  if (scratch.band.length < size) scratch.band = new Int16Array(size + (size >> 2));
  const band = scratch.band.subarray(0, size);
  band.fill(0);
  return band;
}

function finished(work: TranscodeWork, refusal: TranscodeRefusal): TranscodeRefusal {
  work.finished = true;
  return refusal;
}

/** Codes MCUs from the first covered one to the end: covered ones from `redrawn` (device-quantised, band layout), the rest requantised. */
function codeTail(work: TranscodeWork, redrawn: Int16Array | null): Uint8Array | TranscodeRefusal {
  work.finished = true;
  const { layout, writer, geometry, splitMcu, tables } = work;
  const total = layout.mcusX * layout.mcusY;
  if (geometry !== null && redrawn !== null) {
    const mcuSize = layout.blocksPerMcu * BLOCK_SIZE;
    const { covered, bandMcus } = geometry;
    const { data, reader, restartInterval } = work;
    for (let mcu = splitMcu; mcu < total;) {
      if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
        const problem = restart(data, reader, mcu);
        if (problem !== null) return { reason: problem };
      }
      if (isCoveredMcu(covered, layout.mcusX, mcu)) {
        // The source's bits are passed over; the blocks come from the band drawn on, already at
        // the device's quantisation, and lie one after another along a row of the band.
        let end = Math.floor(mcu / layout.mcusX) * layout.mcusX + covered.lastColumn + 1;
        if (restartInterval > 0) end = Math.min(end, (Math.floor(mcu / restartInterval) + 1) * restartInterval);
        const base = ((Math.floor(mcu / layout.mcusX) - bandMcus.row) * bandMcus.columns + (mcu % layout.mcusX) - bandMcus.column) * mcuSize;
        const problem = work.walkMcus(data, layout, reader, end - mcu)
          ?? work.codeStoredMcus(redrawn, base, end - mcu, false, writer, work.devicePredictors, tables);
        if (problem !== null) return { reason: problem };
        mcu = end;
        continue;
      }
      let end = Math.min(total, nextCoveredMcu(mcu, layout, geometry));
      if (restartInterval > 0) end = Math.min(end, (Math.floor(mcu / restartInterval) + 1) * restartInterval);
      const problem = work.transcodeMcus(data, reader, writer, work.devicePredictors, tables, end - mcu);
      if (problem !== null) return { reason: problem };
      mcu = end;
    }
  }
  writer.padToByte();
  writer.raw(EOI);
  return writer.result();
}

/** Why `jpeg` cannot be transcoded into `device`'s format, or null when it can. */
function differsFromDevice(jpeg: BaselineJpeg, device: DeviceFormat): string | null {
  const target = device.jpeg.components;
  if (jpeg.components.length !== target.length) return `${jpeg.components.length} components, the device writes ${target.length}`;
  for (const [i, component] of jpeg.components.entries()) {
    const other = target[i];
    if (other === undefined || other.h !== component.h || other.v !== component.v) return 'chroma subsampling other than the device\'s';
  }
  if (jpeg.scan.some((component, i) => component.componentIndex !== i)) return 'a scan in another order than its frame header';
  // How a decoder makes pixels of these depends on more than the coefficients: the full path decides.
  if (jpeg.appMarkers.includes(APP2_ICC)) return 'an ICC profile';
  if (jpeg.appMarkers.includes(APP14_ADOBE)) return 'an Adobe colour transform marker';
  if (jpeg.components.length === 3 && jpeg.components.map((c) => c.id).join() === '82,71,66') return 'RGB components';
  return null;
}

/** The per-block decoding, requantising and coding tables of a frame of `jpeg` into `device`'s format. */
function transcodeTables(jpeg: BaselineJpeg, layout: McuLayout, device: DeviceFormat): TranscodeTables | string {
  const ratio: Float64Array[] = [];
  for (let b = 0; b < layout.blocksPerMcu; b += 1) {
    const component = layout.blockScanComponent[b] ?? 0;
    const from = jpeg.quantTables.get(jpeg.components[component]?.quantTableId ?? -1);
    const to = device.quantTables[component];
    if (from === undefined || to === undefined) return 'a component without its quantisation table';
    if (from.includes(0) || to.includes(0)) return 'a quantisation table with a zero step';
    ratio.push(Float64Array.from(from, (q, k) => q / (to[k] ?? 1)));
  }
  return {
    blocksPerMcu: layout.blocksPerMcu,
    component: layout.blockScanComponent,
    dcTable: layout.blockDc,
    acTable: layout.blockAc,
    ratio,
    dcCode: device.dcCodes.map((codes) => codes.codes),
    dcLength: device.dcCodes.map((codes) => codes.lengths),
    acCode: device.acCodes.map((codes) => codes.codes),
    acLength: device.acCodes.map((codes) => codes.lengths),
  };
}

/** The first MCU of the band at or after `mcu` (which is not in it); Infinity when none. */
function nextBandMcu(mcu: number, layout: McuLayout, geometry: BandGeometry | null): number {
  if (geometry === null) return Infinity;
  const { row, column, rows, columns } = geometry.bandMcus;
  const mcuRow = Math.floor(mcu / layout.mcusX);
  if (mcuRow < row) return row * layout.mcusX + column;
  if (mcuRow >= row + rows) return Infinity;
  if (mcu % layout.mcusX < column) return mcuRow * layout.mcusX + column;
  return mcuRow + 1 < row + rows ? (mcuRow + 1) * layout.mcusX + column : Infinity;
}

/** The first MCU the overlay covers at or after `mcu` (which it does not cover); Infinity when none. */
function nextCoveredMcu(mcu: number, layout: McuLayout, geometry: BandGeometry): number {
  const { firstRow, lastRow, firstColumn } = geometry.covered;
  const mcuRow = Math.floor(mcu / layout.mcusX);
  if (mcuRow < firstRow) return firstRow * layout.mcusX + firstColumn;
  if (mcuRow > lastRow) return Infinity;
  if (mcu % layout.mcusX < firstColumn) return mcuRow * layout.mcusX + firstColumn;
  return mcuRow + 1 <= lastRow ? (mcuRow + 1) * layout.mcusX + firstColumn : Infinity;
}

/** Where MCU `mcu` stands in the band (raster order), or -1 when outside it. */
function inBand(mcu: number, layout: McuLayout, geometry: BandGeometry | null): number {
  if (geometry === null) return -1;
  const { row, column, rows, columns } = geometry.bandMcus;
  const r = Math.floor(mcu / layout.mcusX) - row;
  const c = (mcu % layout.mcusX) - column;
  return r >= 0 && r < rows && c >= 0 && c < columns ? r * columns + c : -1;
}

/**
 * Codes MCUs [0, splitMcu): requantised in one pass, but for the band's MCUs, which are decoded
 * into `bandStore` (their source coefficients, for the band's JPEG) and coded from there.
 */
function codeUpTo(data: EntropyData, restartInterval: number, reader: Reader, work: TranscodeWork, bandStore: Int16Array | null): string | null {
  const { layout, geometry, splitMcu, tables, writer, devicePredictors } = work;
  const mcuSize = layout.blocksPerMcu * BLOCK_SIZE;
  const bandBits = new Int32Array(bandStore === null ? 0 : bandStore.length / mcuSize + 1);
  for (let mcu = 0; mcu < splitMcu;) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      const problem = restart(data, reader, mcu);
      if (problem !== null) return problem;
    }
    const index = bandStore === null ? -1 : inBand(mcu, layout, geometry);
    if (index >= 0 && bandStore !== null) {
      const problem = work.decodeMcus(data, layout, reader, mcu, mcu + 1, mcu - index, bandStore, bandBits)
        ?? work.codeStoredMcus(bandStore, index * mcuSize, 1, true, writer, devicePredictors, tables);
      if (problem !== null) return problem;
      mcu += 1;
      continue;
    }
    let end = Math.min(splitMcu, nextBandMcu(mcu, layout, geometry));
    if (restartInterval > 0) end = Math.min(end, (Math.floor(mcu / restartInterval) + 1) * restartInterval);
    const problem = work.transcodeMcus(data, reader, writer, devicePredictors, tables, end - mcu);
    if (problem !== null) return problem;
    mcu = end;
  }
  return null;
}

/**
 * Reads MCUs [splitMcu, end): the band's decoded into `bandStore`, the others walked over, and
 * checks the scan's end.
 */
function readTail(data: EntropyData, restartInterval: number, reader: Reader, work: TranscodeWork, bandStore: Int16Array | null): string | null {
  const { layout, geometry, splitMcu } = work;
  const total = layout.mcusX * layout.mcusY;
  const bandBits = new Int32Array(bandStore === null ? 0 : bandStore.length / (layout.blocksPerMcu * BLOCK_SIZE) + 1);
  for (let mcu = splitMcu; mcu < total;) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      const problem = restart(data, reader, mcu);
      if (problem !== null) return problem;
    }
    const index = bandStore === null ? -1 : inBand(mcu, layout, geometry);
    let end = index >= 0 ? mcu + 1 : Math.min(total, nextBandMcu(mcu, layout, geometry));
    if (restartInterval > 0) end = Math.min(end, (Math.floor(mcu / restartInterval) + 1) * restartInterval);
    const problem = index >= 0 && bandStore !== null
      ? work.decodeMcus(data, layout, reader, mcu, end, mcu - index, bandStore, bandBits)
      : work.walkMcus(data, layout, reader, end - mcu);
    if (problem !== null) return problem;
    mcu = end;
  }
  return scanEnd(data, reader);
}

/**
 * The band as a JPEG of its own: the source's quantisation tables and components, the band's
 * size, and its source coefficients coded with the device's Huffman tables (which code every
 * baseline value), from DC predictors of zero, without restart markers.
 */
function bandJpegOf(source: Uint8Array, jpeg: BaselineJpeg, device: DeviceFormat, geometry: BandGeometry, bandStore: Int16Array): Uint8Array {
  const { band, bandMcus } = geometry;
  const n = jpeg.components.length;
  const frameHeader = [0xff, jpeg.frameMarker, 0, 8 + 3 * n, 8, band.height >> 8, band.height & 0xff, band.width >> 8, band.width & 0xff, n];
  for (const c of jpeg.components) frameHeader.push(c.id, (c.h << 4) | c.v, c.quantTableId);
  const scanHeader = [0xff, 0xda, 0, 6 + 2 * n, n];
  for (const [i, c] of jpeg.components.entries()) {
    const tables = device.jpeg.scan[i];
    scanHeader.push(c.id, ((tables?.dcTableId ?? 0) << 4) | (tables?.acTableId ?? 0));
  }
  scanHeader.push(0, 63, 0);
  const writer = new EntropyWriter(bandStore.length * 2 + 4096);
  writer.raw(Uint8Array.of(0xff, 0xd8));
  for (const range of jpeg.dqtSegments) writer.raw(source.subarray(range.start, range.end));
  writer.raw(Uint8Array.from(frameHeader));
  for (const range of device.jpeg.dhtSegments) writer.raw(device.header.subarray(range.start, range.end));
  writer.raw(Uint8Array.from(scanHeader));
  const predictors = new Int32Array(4);
  const blocks = bandMcus.rows * bandMcus.columns * device.layout.blocksPerMcu;
  for (let i = 0; i < blocks; i += 1) {
    const b = i % device.layout.blocksPerMcu;
    const component = device.layout.blockScanComponent[b] ?? 0;
    const dc = bandStore[i * BLOCK_SIZE] ?? 0;
    // Source coefficients are baseline values, which the device's standard tables all code.
    writer.block(bandStore, i * BLOCK_SIZE, dc - (predictors[component] ?? 0), device.dcCodes[b]!, device.acCodes[b]!);
    predictors[component] = dc;
  }
  writer.padToByte();
  writer.raw(EOI);
  return writer.result().slice();
}

/** The coefficients of the band drawn on and encoded by the caller, or why they cannot stand in. */
function redrawnCoefficients(encoded: Uint8Array, geometry: BandGeometry, device: DeviceFormat): Int16Array | string {
  const read = readBaselineJpeg(encoded);
  if (!read.ok) return `the encoded band: ${read.reason}`;
  const band = read.jpeg;
  if (band.width !== geometry.band.width || band.height !== geometry.band.height) {
    return `the encoded band is ${band.width}x${band.height}, expected ${geometry.band.width}x${geometry.band.height}`;
  }
  const target = device.jpeg.components;
  if (band.components.length !== target.length) return 'the encoded band has other components';
  for (const [i, component] of band.components.entries()) {
    const other = target[i];
    const table = band.quantTables.get(component.quantTableId);
    const deviceTable = device.quantTables[i];
    if (other === undefined || other.h !== component.h || other.v !== component.v) return 'the encoded band has other chroma subsampling';
    if (table === undefined || deviceTable === undefined || !sameBytes(table, deviceTable)) return 'the encoded band has other quantisation tables than the device';
  }
  if (band.scan.some((component, i) => component.componentIndex !== i)) return 'the encoded band orders its scan differently';
  const layout = mcuLayout(band);
  if (typeof layout === 'string') return `the encoded band: ${layout}`;
  const data = readEntropyData(encoded, band.scanDataStart);
  if (data === null) return 'the encoded band has no end marker';
  const decoded = decodeScan(data, layout, band.restartInterval, 0);
  return typeof decoded === 'string' ? `the encoded band: ${decoded}` : decoded.coefficients;
}
