/**
 * The 8x8 inverse and forward DCTs of a JPEG block in floating point, by the Arai–Agui–Nakajima
 * factorisation that libjpeg's `jidctflt.c` / `jfdctflt.c` use (5 multiplies per 8 samples
 * instead of 64). Written here because the coefficient transcode (coefficient-transcode.ts) takes
 * the burn-in's few hundred blocks through pixels inside its own pass, and sharp (libvips) gives
 * no access to coefficients: calling it for a band of ~1 000 blocks cost ~2.5 ms a frame, most of
 * it per-call overhead (docs/performance.md). No well-kept JavaScript library exposes the DCT of
 * one block. test/jpeg/block-dct.test.ts checks both against the T.81 A.3.3 definitions. Pure.
 *
 * Scaling: AAN leaves a factor `AAN_SCALE[u] · AAN_SCALE[v]` on coefficient (u, v) and 8 on the
 * whole; {@link dequantiseScales} and {@link quantiseScales} fold those into the tables, as
 * libjpeg does, so the transforms themselves multiply by nothing else.
 */

/** Natural (row-major) index of each zigzag index (T.81 Figure A.6). */
export const ZIGZAG_TO_NATURAL = Uint8Array.of(
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
);

/** `cos(k·π/16)·√2` for k = 1..7, 1 for k = 0: the AAN output scale of each frequency. */
const AAN_SCALE = Float64Array.of(1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379);

/**
 * Per natural index: what a quantised coefficient is multiplied by before {@link inverseDct}
 * (the step with AAN's scale folded in). `quant` is in zigzag order, as a DQT segment holds it.
 */
export function dequantiseScales(quant: Uint8Array): Float64Array {
  const scales = new Float64Array(64);
  for (let k = 0; k < 64; k += 1) {
    const n = ZIGZAG_TO_NATURAL[k]!;
    scales[n] = quant[k]! * AAN_SCALE[n >> 3]! * AAN_SCALE[n & 7]!;
  }
  return scales;
}

/** Per natural index: what a {@link forwardDct} output is multiplied by to give the coefficient over its step (zigzag `quant`). */
export function quantiseScales(quant: Uint8Array): Float64Array {
  const scales = new Float64Array(64);
  for (let k = 0; k < 64; k += 1) {
    const n = ZIGZAG_TO_NATURAL[k]!;
    scales[n] = 1 / (quant[k]! * AAN_SCALE[n >> 3]! * AAN_SCALE[n & 7]! * 8);
  }
  return scales;
}

/**
 * In place: `block` (natural order, dequantised by {@link dequantiseScales}) becomes 8 times the
 * samples (level shift not added).
 */
export function inverseDct(block: Float64Array): void {
  for (let pass = 0; pass < 2; pass += 1) {
    // Pass 0 works down the columns, pass 1 along the rows: `stride` apart, `step` between lines.
    const stride = pass === 0 ? 8 : 1;
    const step = pass === 0 ? 1 : 8;
    for (let line = 0; line < 8; line += 1) {
      const o = line * step;
      let tmp0 = block[o]!;
      if (pass === 0 && block[o + 8] === 0 && block[o + 16] === 0 && block[o + 24] === 0 && block[o + 32] === 0
        && block[o + 40] === 0 && block[o + 48] === 0 && block[o + 56] === 0) {
        // A column of DC only (most of them, after quantisation): it is constant (jidctflt.c).
        for (let r = 8; r < 64; r += 8) block[o + r] = tmp0;
        continue;
      }
      let tmp1 = block[o + 2 * stride]!;
      let tmp2 = block[o + 4 * stride]!;
      let tmp3 = block[o + 6 * stride]!;
      let tmp10 = tmp0 + tmp2;
      let tmp11 = tmp0 - tmp2;
      let tmp13 = tmp1 + tmp3;
      let tmp12 = (tmp1 - tmp3) * 1.414213562 - tmp13;
      tmp0 = tmp10 + tmp13;
      tmp3 = tmp10 - tmp13;
      tmp1 = tmp11 + tmp12;
      tmp2 = tmp11 - tmp12;
      const tmp4 = block[o + stride]!;
      const tmp5 = block[o + 3 * stride]!;
      const tmp6 = block[o + 5 * stride]!;
      let tmp7 = block[o + 7 * stride]!;
      const z13 = tmp6 + tmp5;
      const z10 = tmp6 - tmp5;
      const z11 = tmp4 + tmp7;
      const z12 = tmp4 - tmp7;
      tmp7 = z11 + z13;
      tmp11 = (z11 - z13) * 1.414213562;
      const z5 = (z10 + z12) * 1.847759065;
      tmp10 = z5 - z12 * 1.0823922;
      tmp12 = z5 - z10 * 2.61312593;
      const odd6 = tmp12 - tmp7;
      const odd5 = tmp11 - odd6;
      const odd4 = tmp10 - odd5;
      block[o] = tmp0 + tmp7;
      block[o + 7 * stride] = tmp0 - tmp7;
      block[o + stride] = tmp1 + odd6;
      block[o + 6 * stride] = tmp1 - odd6;
      block[o + 2 * stride] = tmp2 + odd5;
      block[o + 5 * stride] = tmp2 - odd5;
      block[o + 3 * stride] = tmp3 + odd4;
      block[o + 4 * stride] = tmp3 - odd4;
    }
  }
}

/**
 * In place: `block` (natural order, samples with the level shift taken off) becomes its DCT,
 * each coefficient times `8 · AAN_SCALE[u] · AAN_SCALE[v]` (undone by {@link quantiseScales}).
 */
export function forwardDct(block: Float64Array): void {
  for (let pass = 0; pass < 2; pass += 1) {
    // Pass 0 along the rows, pass 1 down the columns.
    const stride = pass === 0 ? 1 : 8;
    const step = pass === 0 ? 8 : 1;
    for (let line = 0; line < 8; line += 1) {
      const o = line * step;
      const d0 = block[o]!;
      const d1 = block[o + stride]!;
      const d2 = block[o + 2 * stride]!;
      const d3 = block[o + 3 * stride]!;
      const d4 = block[o + 4 * stride]!;
      const d5 = block[o + 5 * stride]!;
      const d6 = block[o + 6 * stride]!;
      const d7 = block[o + 7 * stride]!;
      const tmp0 = d0 + d7;
      const tmp7 = d0 - d7;
      const tmp1 = d1 + d6;
      const tmp6 = d1 - d6;
      const tmp2 = d2 + d5;
      const tmp5 = d2 - d5;
      const tmp3 = d3 + d4;
      const tmp4 = d3 - d4;
      let tmp10 = tmp0 + tmp3;
      const tmp13 = tmp0 - tmp3;
      let tmp11 = tmp1 + tmp2;
      let tmp12 = tmp1 - tmp2;
      block[o] = tmp10 + tmp11;
      block[o + 4 * stride] = tmp10 - tmp11;
      const z1 = (tmp12 + tmp13) * 0.707106781;
      block[o + 2 * stride] = tmp13 + z1;
      block[o + 6 * stride] = tmp13 - z1;
      tmp10 = tmp4 + tmp5;
      tmp11 = tmp5 + tmp6;
      tmp12 = tmp6 + tmp7;
      const z5 = (tmp10 - tmp12) * 0.382683433;
      const z2 = 0.5411961 * tmp10 + z5;
      const z4 = 1.306562965 * tmp12 + z5;
      const z3 = tmp11 * 0.707106781;
      const z11 = tmp7 + z3;
      const z13 = tmp7 - z3;
      block[o + 5 * stride] = z13 + z2;
      block[o + 3 * stride] = z13 - z2;
      block[o + stride] = z11 + z4;
      block[o + 7 * stride] = z11 - z4;
    }
  }
}
