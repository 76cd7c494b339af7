/**
 * Splits a stream of PNG images (ffmpeg's `image2pipe` of a decoder) into whole images: a PNG is
 * its signature, then chunks each after its length, up to IEND. Pure.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Incremental PNG stream splitter. */
export class PngStreamReader {
  private buffer: Uint8Array = new Uint8Array(0);

  /** Adds bytes; returns every image now whole. Throws a RangeError when the stream is not PNG. */
  push(bytes: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer, 0);
    joined.set(bytes, this.buffer.length);
    const images: Uint8Array[] = [];
    let start = 0;
    for (;;) {
      const end = imageEnd(joined, start);
      if (end === null) break;
      images.push(joined.slice(start, end));
      start = end;
    }
    this.buffer = joined.subarray(start);
    return images;
  }
}

/** Where the PNG starting at `start` ends, or null when it is not whole yet. */
function imageEnd(bytes: Uint8Array, start: number): number | null {
  if (bytes.length - start < 8) return null;
  for (let i = 0; i < 8; i += 1) if (bytes[start + i] !== SIGNATURE[i]) throw new RangeError(`a PNG signature at byte ${start} of the decoder's output`);
  let at = start + 8;
  for (;;) {
    if (at + 8 > bytes.length) return null;
    const length = (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
    const type = String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0, bytes[at + 6] ?? 0, bytes[at + 7] ?? 0);
    const next = at + 12 + length;
    if (next > bytes.length) return null;
    if (type === 'IEND') return next;
    at = next;
  }
}
