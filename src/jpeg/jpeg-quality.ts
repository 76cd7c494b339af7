/**
 * Recognises the IJG quality setting a JPEG was encoded with, from its quantisation tables. libjpeg
 * (and sharp's default) scale the standard Annex K tables by quality; an exact match of both tables
 * gives the quality. Used to decide whether a fixture's frames can pass through without re-encoding.
 * Pure.
 */
import { sameBytes } from './bytes.js';

// JPEG Annex K tables in zigzag order, as they appear in a DQT segment.
const LUMINANCE = [
  16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
  56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
];
const CHROMINANCE = [
  17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** The table libjpeg's `jpeg_set_quality(quality, force_baseline=TRUE)` writes. */
export function ijgTable(base: readonly number[], quality: number): number[] {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  return base.map((value) => Math.min(255, Math.max(1, Math.floor((value * scale + 50) / 100))));
}

/** The 8-bit quantisation tables of a JPEG by table id (zigzag order), read from its DQT segments. */
export function readQuantTables(jpeg: Uint8Array): Map<number, number[]> {
  const tables = new Map<number, number[]>();
  let offset = 2;
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return tables;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) break;
    const marker = jpeg[offset + 1] ?? 0;
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image: tables come before
    const length = ((jpeg[offset + 2] ?? 0) << 8) | (jpeg[offset + 3] ?? 0);
    if (marker === 0xdb) {
      let p = offset + 4;
      while (p < offset + 2 + length) {
        const info = jpeg[p] ?? 0;
        const precision = info >> 4;
        const id = info & 0x0f;
        if (precision !== 0) return new Map(); // 16-bit tables are never IJG-scaled baseline
        tables.set(id, Array.from(jpeg.subarray(p + 1, p + 65)));
        p += 65;
      }
    }
    offset += 2 + length;
  }
  return tables;
}

/** The IJG quality (1..100) whose tables match exactly, or null (another encoder, custom tables). */
export function jpegQualityOf(jpeg: Uint8Array): number | null {
  // Frames from one encoder share their DQT segments: remember the last answer by those bytes.
  const dqt = dqtBytes(jpeg);
  if (dqt !== null && lastDqt !== null && sameBytes(dqt, lastDqt)) return lastQuality;
  const quality = qualityFromTables(jpeg);
  if (dqt !== null) {
    lastDqt = dqt.slice();
    lastQuality = quality;
  }
  return quality;
}

let lastDqt: Uint8Array | null = null;
let lastQuality: number | null = null;

/** The bytes of a JPEG's DQT segments up to its first scan (a view), or null when it has none. */
function dqtBytes(jpeg: Uint8Array): Uint8Array | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let first = -1;
  let end = -1;
  for (let offset = 2; offset + 4 <= jpeg.length && jpeg[offset] === 0xff;) {
    const marker = jpeg[offset + 1] ?? 0;
    if (marker === 0xda || marker === 0xd9) break;
    const next = offset + 2 + (((jpeg[offset + 2] ?? 0) << 8) | (jpeg[offset + 3] ?? 0));
    if (marker === 0xdb) {
      // libjpeg writes its DQT segments back to back; split ones are not memoised (full comparison).
      if (first >= 0 && end !== offset) return null;
      if (first < 0) first = offset;
      end = next;
    }
    offset = next;
  }
  return first < 0 ? null : jpeg.subarray(first, Math.min(end, jpeg.length));
}

function qualityFromTables(jpeg: Uint8Array): number | null {
  const tables = readQuantTables(jpeg);
  const luminance = tables.get(0);
  if (luminance === undefined) return null;
  const chrominance = tables.get(1);
  for (let quality = 100; quality >= 1; quality -= 1) {
    if (!sameTable(ijgTable(LUMINANCE, quality), luminance)) continue;
    if (chrominance === undefined || sameTable(ijgTable(CHROMINANCE, quality), chrominance)) return quality;
  }
  return null;
}

function sameTable(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
