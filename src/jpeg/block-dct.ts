/**
 * The 8x8 inverse and forward DCTs of a JPEG block as libjpeg's default "islow" method computes
 * them (`jidctint.c`, `jfdctint.c`: the Loeffler–Ligtenberg–Moschytz factorisation in 13-bit
 * fixed point, with its roundings), so that a block taken through pixels here gives the
 * coefficients and samples sharp (libvips, libjpeg-turbo) gives for it, to the bit. Written here
 * because the coefficient transcode (coefficient-transcode.ts) takes the burn-in's few hundred
 * blocks through pixels inside its own pass, and sharp gives no access to coefficients: calling
 * it for a band of ~1 000 blocks cost ~2.5 ms a frame, most of it per-call overhead
 * (docs/performance.md). An earlier floating-point AAN version (libjpeg's `jidctflt.c`) rounded
 * differently from the encoder the whole-frame path uses, and at high device qualities a chroma
 * coefficient a step apart showed over a whole MCU (issue 20, seed 700556574).
 * test/jpeg/block-dct.test.ts checks both against the T.81 A.3.3 definitions and against sharp.
 * Pure.
 *
 * Arithmetic: every value is an integer in a double; libjpeg's right shifts of 64-bit longs are
 * `Math.floor` of a division by a power of two where a value may pass 2^31, `>>` where it cannot.
 */

/** Natural (row-major) index of each zigzag index (T.81 Figure A.6). */
export const ZIGZAG_TO_NATURAL = Uint8Array.of(
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
);

const CONST_BITS = 13;
const PASS1_BITS = 2;
// FIX(x) = round(x · 2^13), as jfdctint.c / jidctint.c spell them.
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

const SHIFT_11 = 1 / (1 << (CONST_BITS - PASS1_BITS));
const SHIFT_18 = 1 / (1 << (CONST_BITS + PASS1_BITS + 3));

/**
 * jidctint.c's output range limit, indexed by the descaled value `& 1023`: the sample with 128
 * added, clamped to 0..255 for values in -384..511 and wrapping beyond, as libjpeg's table does.
 */
const RANGE_LIMIT = Uint8Array.from({ length: 1024 }, (_, x) => (x < 128 ? x + 128 : x < 512 ? 255 : x < 896 ? 0 : x - 896));

/**
 * Per natural index: a DQT table (zigzag order, as the segment holds it) in natural order, the
 * multipliers {@link inverseDct} dequantises by.
 */
export function naturalOrder(quant: Uint8Array): Int32Array {
  const table = new Int32Array(64);
  for (let k = 0; k < 64; k += 1) table[ZIGZAG_TO_NATURAL[k]!] = quant[k]!;
  return table;
}

/**
 * The samples (0..255) of the block at `from` of `coefficients` (zigzag order, quantised), with
 * `quant` from {@link naturalOrder}, written 8 a row into `out` from `at`, `stride` apart.
 * `work` is 64 entries of scratch. The column and row passes share their butterfly but are
 * written out each, as in jidctint.c: they differ in stride, in descaling (the column pass's sums
 * reach 2^33, so it scales by a multiply; the row pass range-limits) and in where they write, and
 * this is the redraw's hottest code (about 1 200 blocks a 720p frame).
 */
export function inverseDct(coefficients: Int16Array, from: number, quant: Int32Array, work: Int32Array, out: Uint8Array, at: number, stride: number): void {
  // The last nonzero coefficient in zigzag order: the ones after it need no dequantising.
  let last = from + 63;
  while (last > from && coefficients[last] === 0) last -= 1;
  if (last === from) {
    // DC only (nine chroma blocks in ten of the bench clip's burn-in): every column is its
    // first sample times 2^PASS1_BITS, every row the zero-AC row below; one value in all.
    const sample = RANGE_LIMIT[((coefficients[from]! * quant[0]! * (1 << PASS1_BITS) + (1 << (PASS1_BITS + 2))) >> (PASS1_BITS + 3)) & 1023]!;
    for (let row = at; row < at + 8 * stride; row += stride) {
      out[row] = sample;
      out[row + 1] = sample;
      out[row + 2] = sample;
      out[row + 3] = sample;
      out[row + 4] = sample;
      out[row + 5] = sample;
      out[row + 6] = sample;
      out[row + 7] = sample;
    }
    return;
  }
  // Dequantise into natural order.
  work.fill(0);
  for (let k = 0; k <= last - from; k += 1) {
    const n = ZIGZAG_TO_NATURAL[k]!;
    work[n] = coefficients[from + k]! * quant[n]!;
  }
  // Pass 1: columns, into work scaled by 2^PASS1_BITS.
  for (let o = 0; o < 8; o += 1) {
    if (work[o + 8] === 0 && work[o + 16] === 0 && work[o + 24] === 0 && work[o + 32] === 0
      && work[o + 40] === 0 && work[o + 48] === 0 && work[o + 56] === 0) {
      // A column of DC only (most of them after quantisation): constant.
      const dc = work[o]! * (1 << PASS1_BITS);
      for (let r = 0; r < 64; r += 8) work[o + r] = dc;
      continue;
    }
    let z2 = work[o + 16]!;
    let z3 = work[o + 48]!;
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 - z3 * FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    z2 = work[o]!;
    z3 = work[o + 32]!;
    let tmp0 = (z2 + z3) * (1 << CONST_BITS);
    let tmp1 = (z2 - z3) * (1 << CONST_BITS);
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = work[o + 56]!;
    tmp1 = work[o + 40]!;
    tmp2 = work[o + 24]!;
    tmp3 = work[o + 8]!;
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * FIX_1_175875602;
    tmp0 *= FIX_0_298631336;
    tmp1 *= FIX_2_053119869;
    tmp2 *= FIX_3_072711026;
    tmp3 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    // Dequantised coefficients reach 2^18 and these sums 2^33: no int32 shift here.
    const half = 1 << (CONST_BITS - PASS1_BITS - 1);
    work[o] = Math.floor((tmp10 + tmp3 + half) * SHIFT_11);
    work[o + 56] = Math.floor((tmp10 - tmp3 + half) * SHIFT_11);
    work[o + 8] = Math.floor((tmp11 + tmp2 + half) * SHIFT_11);
    work[o + 48] = Math.floor((tmp11 - tmp2 + half) * SHIFT_11);
    work[o + 16] = Math.floor((tmp12 + tmp1 + half) * SHIFT_11);
    work[o + 40] = Math.floor((tmp12 - tmp1 + half) * SHIFT_11);
    work[o + 24] = Math.floor((tmp13 + tmp0 + half) * SHIFT_11);
    work[o + 32] = Math.floor((tmp13 - tmp0 + half) * SHIFT_11);
  }
  // Pass 2: rows, descaled by 8 and 2^PASS1_BITS, range-limited.
  const half = 1 << (CONST_BITS + PASS1_BITS + 3 - 1);
  for (let r = 0; r < 8; r += 1) {
    const o = r * 8;
    const row = at + r * stride;
    if (work[o + 1] === 0 && work[o + 2] === 0 && work[o + 3] === 0 && work[o + 4] === 0
      && work[o + 5] === 0 && work[o + 6] === 0 && work[o + 7] === 0) {
      const sample = RANGE_LIMIT[((work[o]! + (1 << (PASS1_BITS + 2))) >> (PASS1_BITS + 3)) & 1023]!;
      for (let c = 0; c < 8; c += 1) out[row + c] = sample;
      continue;
    }
    let z2 = work[o + 2]!;
    let z3 = work[o + 6]!;
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 - z3 * FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    let tmp0 = (work[o]! + work[o + 4]!) * (1 << CONST_BITS);
    let tmp1 = (work[o]! - work[o + 4]!) * (1 << CONST_BITS);
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = work[o + 7]!;
    tmp1 = work[o + 5]!;
    tmp2 = work[o + 3]!;
    tmp3 = work[o + 1]!;
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * FIX_1_175875602;
    tmp0 *= FIX_0_298631336;
    tmp1 *= FIX_2_053119869;
    tmp2 *= FIX_3_072711026;
    tmp3 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    out[row] = RANGE_LIMIT[Math.floor((tmp10 + tmp3 + half) * SHIFT_18) & 1023]!;
    out[row + 7] = RANGE_LIMIT[Math.floor((tmp10 - tmp3 + half) * SHIFT_18) & 1023]!;
    out[row + 1] = RANGE_LIMIT[Math.floor((tmp11 + tmp2 + half) * SHIFT_18) & 1023]!;
    out[row + 6] = RANGE_LIMIT[Math.floor((tmp11 - tmp2 + half) * SHIFT_18) & 1023]!;
    out[row + 2] = RANGE_LIMIT[Math.floor((tmp12 + tmp1 + half) * SHIFT_18) & 1023]!;
    out[row + 5] = RANGE_LIMIT[Math.floor((tmp12 - tmp1 + half) * SHIFT_18) & 1023]!;
    out[row + 3] = RANGE_LIMIT[Math.floor((tmp13 + tmp0 + half) * SHIFT_18) & 1023]!;
    out[row + 4] = RANGE_LIMIT[Math.floor((tmp13 - tmp0 + half) * SHIFT_18) & 1023]!;
  }
}

/**
 * The 8x8 samples of `plane` at `at` (`stride` a row) to their DCT in `work` (natural order,
 * 8 times the coefficients, as jfdctint.c leaves them for jcdctmgr.c's quantiser).
 */
export function forwardDct(plane: Uint8Array, at: number, stride: number, work: Int32Array): void {
  forwardRows(plane, at, stride, work);
  forwardColumns(work, null, NO_OUT, 0);
}

/**
 * {@link forwardDct} then {@link quantise} into `out` at `to`, to the same values: each
 * coefficient quantised as the column pass makes it, without a store and a load through `work`.
 */
export function forwardDctQuantised(plane: Uint8Array, at: number, stride: number, work: Int32Array, quantiser: Quantiser, out: Int16Array, to: number): void {
  forwardRows(plane, at, stride, work);
  forwardColumns(work, quantiser, out, to);
}

const NO_OUT = new Int16Array(0);

function forwardRows(plane: Uint8Array, at: number, stride: number, work: Int32Array): void {
  // Pass 1: rows, scaled by 2^PASS1_BITS. Samples are -128..127, so every value here fits in int32.
  const half1 = 1 << (CONST_BITS - PASS1_BITS - 1);
  for (let r = 0; r < 8; r += 1) {
    const i = at + r * stride;
    const o = r * 8;
    const d0 = plane[i]! - 128;
    const d1 = plane[i + 1]! - 128;
    const d2 = plane[i + 2]! - 128;
    const d3 = plane[i + 3]! - 128;
    const d4 = plane[i + 4]! - 128;
    const d5 = plane[i + 5]! - 128;
    const d6 = plane[i + 6]! - 128;
    const d7 = plane[i + 7]! - 128;
    const tmp0 = d0 + d7;
    const tmp7 = d0 - d7;
    const tmp1 = d1 + d6;
    const tmp6 = d1 - d6;
    const tmp2 = d2 + d5;
    const tmp5 = d2 - d5;
    const tmp3 = d3 + d4;
    const tmp4 = d3 - d4;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    work[o] = (tmp10 + tmp11) << PASS1_BITS;
    work[o + 4] = (tmp10 - tmp11) << PASS1_BITS;
    let z1 = (tmp12 + tmp13) * FIX_0_541196100;
    work[o + 2] = (z1 + tmp13 * FIX_0_765366865 + half1) >> (CONST_BITS - PASS1_BITS);
    work[o + 6] = (z1 - tmp12 * FIX_1_847759065 + half1) >> (CONST_BITS - PASS1_BITS);
    z1 = tmp4 + tmp7;
    let z2 = tmp5 + tmp6;
    let z3 = tmp4 + tmp6;
    let z4 = tmp5 + tmp7;
    const z5 = (z3 + z4) * FIX_1_175875602;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    work[o + 7] = (tmp4 * FIX_0_298631336 + z1 + z3 + half1) >> (CONST_BITS - PASS1_BITS);
    work[o + 5] = (tmp5 * FIX_2_053119869 + z2 + z4 + half1) >> (CONST_BITS - PASS1_BITS);
    work[o + 3] = (tmp6 * FIX_3_072711026 + z2 + z3 + half1) >> (CONST_BITS - PASS1_BITS);
    work[o + 1] = (tmp7 * FIX_1_501321110 + z1 + z4 + half1) >> (CONST_BITS - PASS1_BITS);
  }
}

/** jfdctint.c's column pass over `work`, each result into `work` (no quantiser) or quantised into `out`. */
function forwardColumns(work: Int32Array, quantiser: Quantiser | null, out: Int16Array, to: number): void {
  // Pass 2: columns, descaled by 2^PASS1_BITS. A product may pass 2^31, but each sum shifted
  // is 2^15 times an output, 8 times a coefficient of samples -128..127 (below 2^14 in
  // magnitude), so it is below 2^29 and `>>` (int32) floors it exactly; the doubles before it are exact.
  const half2 = 1 << (CONST_BITS + PASS1_BITS - 1);
  for (let o = 0; o < 8; o += 1) {
    const tmp0 = work[o]! + work[o + 56]!;
    const tmp7 = work[o]! - work[o + 56]!;
    const tmp1 = work[o + 8]! + work[o + 48]!;
    const tmp6 = work[o + 8]! - work[o + 48]!;
    const tmp2 = work[o + 16]! + work[o + 40]!;
    const tmp5 = work[o + 16]! - work[o + 40]!;
    const tmp3 = work[o + 24]! + work[o + 32]!;
    const tmp4 = work[o + 24]! - work[o + 32]!;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    put((tmp10 + tmp11 + (1 << (PASS1_BITS - 1))) >> PASS1_BITS, o, work, quantiser, out, to);
    put((tmp10 - tmp11 + (1 << (PASS1_BITS - 1))) >> PASS1_BITS, o + 32, work, quantiser, out, to);
    let z1 = (tmp12 + tmp13) * FIX_0_541196100;
    put((z1 + tmp13 * FIX_0_765366865 + half2) >> (CONST_BITS + PASS1_BITS), o + 16, work, quantiser, out, to);
    put((z1 - tmp12 * FIX_1_847759065 + half2) >> (CONST_BITS + PASS1_BITS), o + 48, work, quantiser, out, to);
    z1 = tmp4 + tmp7;
    let z2 = tmp5 + tmp6;
    let z3 = tmp4 + tmp6;
    let z4 = tmp5 + tmp7;
    const z5 = (z3 + z4) * FIX_1_175875602;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    put((tmp4 * FIX_0_298631336 + z1 + z3 + half2) >> (CONST_BITS + PASS1_BITS), o + 56, work, quantiser, out, to);
    put((tmp5 * FIX_2_053119869 + z2 + z4 + half2) >> (CONST_BITS + PASS1_BITS), o + 40, work, quantiser, out, to);
    put((tmp6 * FIX_3_072711026 + z2 + z3 + half2) >> (CONST_BITS + PASS1_BITS), o + 24, work, quantiser, out, to);
    put((tmp7 * FIX_1_501321110 + z1 + z4 + half2) >> (CONST_BITS + PASS1_BITS), o + 8, work, quantiser, out, to);
  }
}

/** Coefficient `n` (natural order) of the column pass: kept in `work`, or quantised into `out`. */
function put(value: number, n: number, work: Int32Array, quantiser: Quantiser | null, out: Int16Array, to: number): void {
  if (quantiser === null) work[n] = value;
  else out[to + NATURAL_TO_ZIGZAG[n]!] = quantised(value, quantiser.halves[n]!, quantiser.reciprocals[n]!);
}

/**
 * A device table as {@link quantise} divides by it, per natural index: half the divisor
 * (4 · step) and the reciprocal of the divisor (8 · step), nudged up by 2^-40 of itself so that
 * an exact multiple never falls just short of its quotient.
 */
export interface Quantiser {
  readonly halves: Int32Array;
  readonly reciprocals: Float64Array;
}

/** Zigzag index of each natural index. */
const NATURAL_TO_ZIGZAG = new Uint8Array(64);
for (let k = 0; k < 64; k += 1) NATURAL_TO_ZIGZAG[ZIGZAG_TO_NATURAL[k]!] = k;

/** The {@link Quantiser} of a DQT table (zigzag order, as the segment holds it). */
export function quantiserOf(quant: Uint8Array): Quantiser {
  const halves = new Int32Array(64);
  const reciprocals = new Float64Array(64);
  for (let k = 0; k < 64; k += 1) {
    const step = quant[k]!;
    const n = ZIGZAG_TO_NATURAL[k]!;
    halves[n] = step * 4;
    reciprocals[n] = (1 + 2 ** -40) / (step * 8);
  }
  return { halves, reciprocals };
}

/**
 * Quantises {@link forwardDct}'s output in `work` (natural order) by `quantiser` into `out` at
 * `to` in zigzag order, as jcdctmgr.c does: the magnitude divided by 8 times the step, rounded
 * half up, the sign given back.
 */
export function quantise(work: Int32Array, quantiser: Quantiser, out: Int16Array, to: number): void {
  const { halves, reciprocals } = quantiser;
  for (let k = 0; k < 64; k += 1) {
    const n = ZIGZAG_TO_NATURAL[k]!;
    out[to + k] = quantised(work[n]!, halves[n]!, reciprocals[n]!);
  }
}

/**
 * round-half-up(|value| / divisor) with the sign of `value`, the division a multiply by the
 * nudged reciprocal, floored: the numerator is an integer below 2^17 and the divisor at most
 * 2040, so a quotient that is not an integer is at least 1/2040 below the next one, far more
 * than the nudge and the product's rounding move it (2^-23 at most), and an exact one is never
 * undershot (the nudge is up, and rounding is monotonic). test/jpeg/block-dct.test.ts checks
 * every step and magnitude against the division.
 */
function quantised(value: number, half: number, reciprocal: number): number {
  // Without branches (the signs are random): sign is 0 or -1, (x ^ sign) - sign is x or -x.
  const sign = value >> 31;
  // Below 2^31: truncation is floor.
  const magnitude = ((((value ^ sign) - sign) + half) * reciprocal) | 0;
  return (magnitude ^ sign) - sign;
}
