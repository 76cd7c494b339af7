/**
 * ISO BMFF (MP4) box headers, pure: the walk every MP4 reader here shares (ISO/IEC 14496-12 §4.2).
 */

/** One box: its four-character type and where it lies. */
export interface BoxHeader {
  readonly type: string;
  /** Offset of the box's first byte. */
  readonly offset: number;
  /** Offset of its payload (after the size, type and any 64-bit size). */
  readonly payload: number;
  /** Offset just past the box. */
  readonly end: number;
}

/**
 * The box starting at `offset`, or null when its header does not fit before `limit`. A size of 0
 * (the box runs to the end) ends at `limit`; the end may lie past `limit` when the box is cut off.
 */
export function readBoxHeader(bytes: Uint8Array, offset: number, limit = bytes.byteLength): BoxHeader | null {
  if (offset + 8 > limit) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size32 = view.getUint32(offset);
  const type = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
  if (size32 === 1) {
    if (offset + 16 > limit) return null;
    const size = Number(view.getBigUint64(offset + 8));
    return { type, offset, payload: offset + 16, end: offset + size };
  }
  return { type, offset, payload: offset + 8, end: size32 === 0 ? limit : offset + size32 };
}

/** The whole boxes inside [from, to), in order; stops at a header that does not fit or a box that overruns. */
export function childBoxes(bytes: Uint8Array, from: number, to: number): BoxHeader[] {
  const boxes: BoxHeader[] = [];
  for (let offset = from; offset < to;) {
    const box = readBoxHeader(bytes, offset, to);
    if (box === null || box.end > to || box.end < box.payload) break;
    boxes.push(box);
    offset = box.end;
  }
  return boxes;
}

/** The first child of type `type` in [from, to), or undefined. */
export function findBox(bytes: Uint8Array, from: number, to: number, type: string): BoxHeader | undefined {
  return childBoxes(bytes, from, to).find((box) => box.type === type);
}

/** A big-endian u32 at `offset`. */
export function u32At(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}
