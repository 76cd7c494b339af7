/**
 * RGB to I420 (YUV 4:2:0, BT.601, limited range) in integer arithmetic: the same bytes on every
 * machine, where a conversion inside ffmpeg could take another SIMD path. Each chroma sample is
 * the average of its 2x2 block (edges repeat for odd sizes). Pure.
 */

/** The I420 frame (Y plane, then U, then V) of `rgb` (3 bytes a pixel). */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const chromaWidth = (width + 1) >> 1;
  const chromaHeight = (height + 1) >> 1;
  const out = new Uint8Array(width * height + 2 * chromaWidth * chromaHeight);
  const uOffset = width * height;
  const vOffset = uOffset + chromaWidth * chromaHeight;
  for (let i = 0, p = 0; i < width * height; i += 1, p += 3) {
    const r = rgb[p] ?? 0;
    const g = rgb[p + 1] ?? 0;
    const b = rgb[p + 2] ?? 0;
    out[i] = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
  }
  for (let cy = 0; cy < chromaHeight; cy += 1) {
    const y0 = cy * 2;
    const y1 = Math.min(y0 + 1, height - 1);
    for (let cx = 0; cx < chromaWidth; cx += 1) {
      const x0 = cx * 2;
      const x1 = Math.min(x0 + 1, width - 1);
      const a = (y0 * width + x0) * 3;
      const bb = (y0 * width + x1) * 3;
      const c2 = (y1 * width + x0) * 3;
      const d = (y1 * width + x1) * 3;
      const r = (rgb[a] ?? 0) + (rgb[bb] ?? 0) + (rgb[c2] ?? 0) + (rgb[d] ?? 0);
      const g = (rgb[a + 1] ?? 0) + (rgb[bb + 1] ?? 0) + (rgb[c2 + 1] ?? 0) + (rgb[d + 1] ?? 0);
      const b = (rgb[a + 2] ?? 0) + (rgb[bb + 2] ?? 0) + (rgb[c2 + 2] ?? 0) + (rgb[d + 2] ?? 0);
      // Sums of four: divide by 4 inside the BT.601 coefficients (>> 10 instead of >> 8).
      const c = cy * chromaWidth + cx;
      out[uOffset + c] = ((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128;
      out[vOffset + c] = ((112 * r - 94 * g - 18 * b + 512) >> 10) + 128;
    }
  }
  return out;
}
