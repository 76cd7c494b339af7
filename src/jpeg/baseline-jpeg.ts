/**
 * The structure of a baseline JPEG, read from its marker segments up to the first scan: what the
 * entropy coder needs (components, sampling, Huffman tables, restart interval, scan order) and
 * where the entropy-coded data starts. Pure; no pixel is decoded. Anything the block splice does
 * not handle (progressive or arithmetic coding, 12-bit samples, several scans) comes back as a
 * reason, so the caller can take the full decode → encode path instead.
 */

/** One colour component of the frame (SOF). */
export interface FrameComponent {
  readonly id: number;
  /** Horizontal and vertical sampling factors (1..4). */
  readonly h: number;
  readonly v: number;
  readonly quantTableId: number;
}

/** A Huffman table as a DHT segment holds it: code counts per length 1..16, then the symbols. */
export interface HuffmanSpec {
  readonly counts: Uint8Array;
  readonly symbols: Uint8Array;
}

/** A component of the scan, by its index into {@link BaselineJpeg.components}. */
export interface ScanComponent {
  readonly componentIndex: number;
  readonly dcTableId: number;
  readonly acTableId: number;
}

/** A byte range [start, end) of the file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** A baseline, Huffman-coded, 8-bit JPEG with one interleaved scan of all its components. */
export interface BaselineJpeg {
  /** The SOF marker code: 0xC0 (baseline) or 0xC1 (extended sequential, Huffman). */
  readonly frameMarker: number;
  readonly width: number;
  readonly height: number;
  readonly components: readonly FrameComponent[];
  readonly dcTables: ReadonlyMap<number, HuffmanSpec>;
  readonly acTables: ReadonlyMap<number, HuffmanSpec>;
  /** MCUs per restart interval; 0 when the file has no restart markers. */
  readonly restartInterval: number;
  readonly scan: readonly ScanComponent[];
  /** The 64 quantisation values (zigzag order) of each table id, as the DQT segments hold them. */
  readonly quantTables: ReadonlyMap<number, Uint8Array>;
  /** Whole marker segments (marker included) of the DQT, DHT and SOS, for writing a new file. */
  readonly dqtSegments: readonly ByteRange[];
  readonly dhtSegments: readonly ByteRange[];
  readonly sosSegment: ByteRange;
  /** First byte of the entropy-coded data (after the SOS segment). */
  readonly scanDataStart: number;
  /** The APPn markers before the scan (0xE0..0xEF), in file order: APP2 (ICC) and APP14 (Adobe) change how a decoder makes pixels. */
  readonly appMarkers: readonly number[];
  /** Where the frame header (SOF) segment starts, marker included. */
  readonly sofOffset: number;
}

/** The outcome of {@link readBaselineJpeg}: the structure, or why it is not one the splice handles. */
export type BaselineJpegRead = { readonly ok: true; readonly jpeg: BaselineJpeg } | { readonly ok: false; readonly reason: string };

const SOF_BASELINE = 0xc0;
const SOF_EXTENDED_HUFFMAN = 0xc1;
const DHT = 0xc4;
const DQT = 0xdb;
const DRI = 0xdd;
const SOS = 0xda;
const EOI = 0xd9;
const COM = 0xfe;

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function fail(reason: string): BaselineJpegRead {
  return { ok: false, reason };
}

/** Reads the structure of `bytes` up to its first scan. */
export function readBaselineJpeg(bytes: Uint8Array): BaselineJpegRead {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return fail('not a JPEG (no start-of-image marker)');
  let frame: { frameMarker: number; width: number; height: number; components: FrameComponent[]; sofOffset: number } | null = null;
  const appMarkers: number[] = [];
  const dcTables = new Map<number, HuffmanSpec>();
  const acTables = new Map<number, HuffmanSpec>();
  const quantTables = new Map<number, Uint8Array>();
  const dqtSegments: ByteRange[] = [];
  const dhtSegments: ByteRange[] = [];
  let restartInterval = 0;
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return fail(`expected a marker at byte ${pos}`);
    const marker = bytes[pos + 1] ?? 0;
    if (marker === 0xff) { pos += 1; continue; } // fill byte
    if (marker === EOI) return fail('end of image before any scan');
    const length = u16(bytes, pos + 2);
    const body = pos + 4;
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) return fail(`segment 0xFF${marker.toString(16)} at byte ${pos} runs past the file`);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== DHT && marker !== 0xc8 && marker !== 0xcc) {
      if (frame !== null) return fail(`a second frame header at byte ${pos}`);
      if (marker !== SOF_BASELINE && marker !== SOF_EXTENDED_HUFFMAN) return fail(`frame type 0xFF${marker.toString(16)} (only baseline sequential Huffman)`);
      if (bytes[body] !== 8) return fail(`${bytes[body] ?? 0}-bit samples (only 8)`);
      const count = bytes[body + 5] ?? 0;
      if (count < 1 || count > 4 || length !== 8 + 3 * count) return fail(`frame header with ${count} components`);
      const components: FrameComponent[] = [];
      for (let i = 0; i < count; i += 1) {
        const at = body + 6 + 3 * i;
        const sampling = bytes[at + 1] ?? 0;
        const h = sampling >> 4;
        const v = sampling & 15;
        if (h < 1 || h > 4 || v < 1 || v > 4) return fail(`sampling factors ${h}x${v}`);
        components.push({ id: bytes[at] ?? 0, h, v, quantTableId: bytes[at + 2] ?? 0 });
      }
      frame = { frameMarker: marker, height: u16(bytes, body + 1), width: u16(bytes, body + 3), components, sofOffset: pos };
      if (frame.width === 0 || frame.height === 0) return fail('a frame of zero width or height');
    } else if (marker === DHT) {
      dhtSegments.push({ start: pos, end });
      for (let at = body; at < end;) {
        const classAndId = bytes[at] ?? 0;
        const counts = bytes.subarray(at + 1, at + 17);
        let total = 0;
        for (const count of counts) total += count;
        if (at + 17 + total > end || total > 256) return fail(`Huffman table at byte ${at} runs past its segment`);
        const spec = { counts, symbols: bytes.subarray(at + 17, at + 17 + total) };
        (classAndId >> 4 === 0 ? dcTables : acTables).set(classAndId & 15, spec);
        at += 17 + total;
      }
    } else if (marker === DQT) {
      dqtSegments.push({ start: pos, end });
      for (let at = body; at < end;) {
        const precisionAndId = bytes[at] ?? 0;
        if (precisionAndId >> 4 !== 0) return fail('16-bit quantisation tables');
        if (at + 65 > end) return fail(`quantisation table at byte ${at} runs past its segment`);
        quantTables.set(precisionAndId & 15, bytes.subarray(at + 1, at + 65));
        at += 65;
      }
    } else if (marker === DRI) {
      if (length !== 4) return fail(`a restart interval segment of ${length} bytes at byte ${pos}`);
      restartInterval = u16(bytes, body);
    } else if (marker === SOS) {
      if (frame === null) return fail('a scan before the frame header');
      const count = bytes[body] ?? 0;
      if (count !== frame.components.length) return fail(`a scan of ${count} of ${frame.components.length} components (only one interleaved scan)`);
      if (length !== 6 + 2 * count) return fail(`scan header of ${length} bytes`);
      const scan: ScanComponent[] = [];
      for (let i = 0; i < count; i += 1) {
        const id = bytes[body + 1 + 2 * i];
        const tables = bytes[body + 2 + 2 * i] ?? 0;
        const componentIndex = frame.components.findIndex((component) => component.id === id);
        if (componentIndex < 0 || scan.some((s) => s.componentIndex === componentIndex)) return fail(`scan component ${id ?? -1} not in the frame`);
        const dcTableId = tables >> 4;
        const acTableId = tables & 15;
        if (!dcTables.has(dcTableId) || !acTables.has(acTableId)) return fail(`scan uses Huffman tables ${dcTableId}/${acTableId} not defined before it`);
        scan.push({ componentIndex, dcTableId, acTableId });
      }
      const spectral = [bytes[end - 3], bytes[end - 2], bytes[end - 1]];
      if (spectral[0] !== 0 || spectral[1] !== 63 || spectral[2] !== 0) return fail('a scan that is not sequential (Ss, Se, Ah/Al)');
      for (const component of frame.components) {
        if (!quantTables.has(component.quantTableId)) return fail(`quantisation table ${component.quantTableId} not defined`);
      }
      return {
        ok: true,
        jpeg: {
          ...frame, dcTables, acTables, restartInterval, scan, quantTables, dqtSegments, dhtSegments,
          sosSegment: { start: pos, end }, scanDataStart: end, appMarkers,
        },
      };
    } else if (marker >= 0xe0 && marker <= 0xef) {
      appMarkers.push(marker);
    } else if (marker !== COM) {
      // APPn and comments are all a decoder skips; anything else is not for the splice to judge.
      return fail(`marker 0xFF${marker.toString(16)} at byte ${pos}`);
    }
    pos = end;
  }
  return fail('the headers end before any scan');
}
