/**
 * RGB to I420 (YUV 4:2:0, BT.601, limited range) in integer arithmetic: the same bytes on every
 * machine, where a conversion inside ffmpeg could take another SIMD path. Each chroma sample is
 * the average of its 2x2 block (edges repeat for odd sizes). Pure. The loops index typed arrays
 * directly (no `?? 0` per read): this runs on every pixel of every frame (docs/performance.md).
 */

/** The I420 frame (Y plane, then U, then V) of `rgb` (3 bytes a pixel). */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const chromaWidth = (width + 1) >> 1;
  const chromaHeight = (height + 1) >> 1;
  const lumaBytes = width * height;
  const out = new Uint8Array(lumaBytes + 2 * chromaWidth * chromaHeight);
  // Every index is inside the frame: the `!` only tells the checker so.
  const px = rgb;
  for (let i = 0, p = 0; i < lumaBytes; i += 1, p += 3) {
    out[i] = ((66 * px[p]! + 129 * px[p + 1]! + 25 * px[p + 2]! + 128) >> 8) + 16;
  }
  const uOffset = lumaBytes;
  const vOffset = uOffset + chromaWidth * chromaHeight;
  for (let cy = 0; cy < chromaHeight; cy += 1) {
    const row0 = cy * 2 * width * 3;
    const row1 = Math.min(cy * 2 + 1, height - 1) * width * 3;
    for (let cx = 0; cx < chromaWidth; cx += 1) {
      const x0 = cx * 6;
      const x1 = Math.min(cx * 2 + 1, width - 1) * 3;
      const a = row0 + x0;
      const b = row0 + x1;
      const c = row1 + x0;
      const d = row1 + x1;
      const r = px[a]! + px[b]! + px[c]! + px[d]!;
      const g = px[a + 1]! + px[b + 1]! + px[c + 1]! + px[d + 1]!;
      const bl = px[a + 2]! + px[b + 2]! + px[c + 2]! + px[d + 2]!;
      // Sums of four: divide by 4 inside the BT.601 coefficients (>> 10 instead of >> 8).
      const at = cy * chromaWidth + cx;
      out[uOffset + at] = ((-38 * r - 74 * g + 112 * bl + 512) >> 10) + 128;
      out[vOffset + at] = ((112 * r - 94 * g - 18 * bl + 512) >> 10) + 128;
    }
  }
  return out;
}
