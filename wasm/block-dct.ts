/**
 * AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs into src/jpeg/block-dct-wasm.ts
 * (generated, committed; test/jpeg/wasm-build.test.ts checks it is this file's output). Not
 * TypeScript: outside tsc's and vitest's globs.
 *
 * The burn-in redraw's two transforms, src/jpeg/block-dct.ts's `inverseDct` (libjpeg's islow IDCT
 * with its dequantisation and zero shortcuts) and `forwardDctQuantised` (islow FDCT and
 * jcdctmgr.c's quantiser), over a batch of blocks a call: one call a block would cost more in
 * crossing than the arithmetic saves. They must give the JavaScript functions' output to the bit
 * (the property test in test/jpeg/wasm-block-dct.test.ts drives both), so they follow them step by
 * step. Where JavaScript holds an exact integer in a double (the IDCT's sums reach 2^33), this uses
 * i64; where it stores into an Int32Array or Int16Array (a wrap modulo 2^32 or 2^16), this wraps
 * the same way; where it relies on `>>` of a sum it knows below 2^31 (the FDCT), i32's modular
 * arithmetic gives the same low 32 bits, so the same value. The quantiser's division is the same
 * f64 multiply by the same nudged reciprocal, truncated.
 *
 * The host (src/jpeg/wasm-block-dct.ts) lays out memory and writes a descriptor of four i32 a
 * block; this module only reads and writes where they say. No allocation, no runtime, no imports.
 */

// Above the static data (below 4096: the host checks `heapBase`).
/** jidctint.c's range limit by `value & 1023` (u8[1024]), filled by `init`. */
const RANGE: usize = 4096;
/** Natural index of each zigzag index (u8[64]), filled by `init`. */
const ZIGZAG: usize = 5120;
/** Zigzag index of each natural index (u8[64]). */
const NATURAL: usize = 5184;

const CONST_BITS = 13;
const PASS1_BITS = 2;
const FIX_0_298631336: i64 = 2446;
const FIX_0_390180644: i64 = 3196;
const FIX_0_541196100: i64 = 4433;
const FIX_0_765366865: i64 = 6270;
const FIX_0_899976223: i64 = 7373;
const FIX_1_175875602: i64 = 9633;
const FIX_1_501321110: i64 = 12299;
const FIX_1_847759065: i64 = 15137;
const FIX_1_961570560: i64 = 16069;
const FIX_2_053119869: i64 = 16819;
const FIX_2_562915447: i64 = 20995;
const FIX_3_072711026: i64 = 25172;

const ZIGZAG_ORDER: StaticArray<u8> = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** Fills the tables; the host calls it once after instantiating. */
export function init(): void {
  for (let x = 0; x < 1024; x += 1) {
    store<u8>(RANGE + <usize>x, x < 128 ? x + 128 : x < 512 ? 255 : x < 896 ? 0 : x - 896);
  }
  for (let k = 0; k < 64; k += 1) {
    const n = unchecked(ZIGZAG_ORDER[k]);
    store<u8>(ZIGZAG + <usize>k, n);
    store<u8>(NATURAL + <usize>n, <u8>k);
  }
}

@inline function range(value: i64): u8 {
  return load<u8>(RANGE + <usize>(<i32>value & 1023));
}

/**
 * `count` inverse transforms. Descriptor i (four i32 at `descriptors + 16 i`): the block's
 * coefficients (i16[64], zigzag, quantised), its dequantising table (i32[64], natural order), where
 * its sample (0, 0) goes and the byte stride of its rows. `work` is 64 i32 of scratch.
 */
export function inverseBatch(descriptors: usize, count: i32, work: usize): void {
  for (let i = 0; i < count; i += 1) {
    const d = descriptors + (<usize>i << 4);
    inverse(<usize>load<i32>(d), <usize>load<i32>(d, 4), <usize>load<i32>(d, 8), <usize>load<i32>(d, 12), work);
  }
}

@inline function inverse(coefficients: usize, quant: usize, out: usize, stride: usize, work: usize): void {
  let last: i32 = 63;
  while (last > 0 && load<i16>(coefficients + (<usize>last << 1)) == 0) last -= 1;
  if (last == 0) {
    const dc = <i32>load<i16>(coefficients) * load<i32>(quant) * (1 << PASS1_BITS);
    const sample = load<u8>(RANGE + <usize>(((dc + (1 << (PASS1_BITS + 2))) >> (PASS1_BITS + 3)) & 1023));
    const word = <u64>sample * 0x0101010101010101;
    for (let r: usize = 0; r < 8; r += 1) store<u64>(out + r * stride, word);
    return;
  }
  memory.fill(work, 0, 256);
  for (let k = 0; k <= last; k += 1) {
    const n = <usize>load<u8>(ZIGZAG + <usize>k);
    store<i32>(work + (n << 2), <i32>load<i16>(coefficients + (<usize>k << 1)) * load<i32>(quant + (n << 2)));
  }
  // Pass 1: columns.
  for (let o: usize = 0; o < 8; o += 1) {
    const w = work + (o << 2);
    if ((load<i32>(w, 32) | load<i32>(w, 64) | load<i32>(w, 96) | load<i32>(w, 128) | load<i32>(w, 160) | load<i32>(w, 192) | load<i32>(w, 224)) == 0) {
      const dc = load<i32>(w) * (1 << PASS1_BITS);
      store<i32>(w, dc, 32); store<i32>(w, dc, 64); store<i32>(w, dc, 96); store<i32>(w, dc, 128);
      store<i32>(w, dc, 160); store<i32>(w, dc, 192); store<i32>(w, dc, 224); store<i32>(w, dc);
      continue;
    }
    let z2 = <i64>load<i32>(w, 64);
    let z3 = <i64>load<i32>(w, 192);
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 - z3 * FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    z2 = <i64>load<i32>(w);
    z3 = <i64>load<i32>(w, 128);
    let tmp0 = (z2 + z3) << CONST_BITS;
    let tmp1 = (z2 - z3) << CONST_BITS;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = <i64>load<i32>(w, 224);
    tmp1 = <i64>load<i32>(w, 160);
    tmp2 = <i64>load<i32>(w, 96);
    tmp3 = <i64>load<i32>(w, 32);
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
    const half: i64 = 1 << (CONST_BITS - PASS1_BITS - 1);
    const s = CONST_BITS - PASS1_BITS;
    // JavaScript floors the exact sum and stores it into an Int32Array: an arithmetic shift, wrapped.
    store<i32>(w, <i32>((tmp10 + tmp3 + half) >> s));
    store<i32>(w, <i32>((tmp10 - tmp3 + half) >> s), 224);
    store<i32>(w, <i32>((tmp11 + tmp2 + half) >> s), 32);
    store<i32>(w, <i32>((tmp11 - tmp2 + half) >> s), 192);
    store<i32>(w, <i32>((tmp12 + tmp1 + half) >> s), 64);
    store<i32>(w, <i32>((tmp12 - tmp1 + half) >> s), 160);
    store<i32>(w, <i32>((tmp13 + tmp0 + half) >> s), 96);
    store<i32>(w, <i32>((tmp13 - tmp0 + half) >> s), 128);
  }
  // Pass 2: rows.
  const half: i64 = 1 << (CONST_BITS + PASS1_BITS + 3 - 1);
  const s = CONST_BITS + PASS1_BITS + 3;
  for (let r: usize = 0; r < 8; r += 1) {
    const w = work + (r << 5);
    const row = out + r * stride;
    if ((load<i32>(w, 4) | load<i32>(w, 8) | load<i32>(w, 12) | load<i32>(w, 16) | load<i32>(w, 20) | load<i32>(w, 24) | load<i32>(w, 28)) == 0) {
      const sample = load<u8>(RANGE + <usize>(((load<i32>(w) + (1 << (PASS1_BITS + 2))) >> (PASS1_BITS + 3)) & 1023));
      store<u64>(row, <u64>sample * 0x0101010101010101);
      continue;
    }
    let z2 = <i64>load<i32>(w, 8);
    let z3 = <i64>load<i32>(w, 24);
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 - z3 * FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    let tmp0 = (<i64>load<i32>(w) + <i64>load<i32>(w, 16)) << CONST_BITS;
    let tmp1 = (<i64>load<i32>(w) - <i64>load<i32>(w, 16)) << CONST_BITS;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = <i64>load<i32>(w, 28);
    tmp1 = <i64>load<i32>(w, 20);
    tmp2 = <i64>load<i32>(w, 12);
    tmp3 = <i64>load<i32>(w, 4);
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
    store<u8>(row, range((tmp10 + tmp3 + half) >> s));
    store<u8>(row, range((tmp10 - tmp3 + half) >> s), 7);
    store<u8>(row, range((tmp11 + tmp2 + half) >> s), 1);
    store<u8>(row, range((tmp11 - tmp2 + half) >> s), 6);
    store<u8>(row, range((tmp12 + tmp1 + half) >> s), 2);
    store<u8>(row, range((tmp12 - tmp1 + half) >> s), 5);
    store<u8>(row, range((tmp13 + tmp0 + half) >> s), 3);
    store<u8>(row, range((tmp13 - tmp0 + half) >> s), 4);
  }
}

/**
 * `count` forward transforms, quantised. Descriptor i (four i32 at `descriptors + 16 i`): where
 * the block's sample (0, 0) lies, the byte stride of its rows, its quantiser (i32[64] halves then
 * f64[64] reciprocals, natural order, as block-dct.ts's `Quantiser`) and where its 64 quantised
 * coefficients go (i16, zigzag). `work` is 64 i32 of scratch.
 */
export function forwardBatch(descriptors: usize, count: i32, work: usize): void {
  for (let i = 0; i < count; i += 1) {
    const d = descriptors + (<usize>i << 4);
    forward(<usize>load<i32>(d), <usize>load<i32>(d, 4), <usize>load<i32>(d, 8), <usize>load<i32>(d, 12), work);
  }
}

@inline function forward(plane: usize, stride: usize, quantiser: usize, out: usize, work: usize): void {
  // Pass 1: rows. Every value fits in i32, as in JavaScript.
  const half1: i32 = 1 << (CONST_BITS - PASS1_BITS - 1);
  const s1 = CONST_BITS - PASS1_BITS;
  for (let r: usize = 0; r < 8; r += 1) {
    const i = plane + r * stride;
    const w = work + (r << 5);
    const d0 = <i32>load<u8>(i) - 128;
    const d1 = <i32>load<u8>(i, 1) - 128;
    const d2 = <i32>load<u8>(i, 2) - 128;
    const d3 = <i32>load<u8>(i, 3) - 128;
    const d4 = <i32>load<u8>(i, 4) - 128;
    const d5 = <i32>load<u8>(i, 5) - 128;
    const d6 = <i32>load<u8>(i, 6) - 128;
    const d7 = <i32>load<u8>(i, 7) - 128;
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
    store<i32>(w, (tmp10 + tmp11) << PASS1_BITS);
    store<i32>(w, (tmp10 - tmp11) << PASS1_BITS, 16);
    let z1 = (tmp12 + tmp13) * 4433;
    store<i32>(w, (z1 + tmp13 * 6270 + half1) >> s1, 8);
    store<i32>(w, (z1 - tmp12 * 15137 + half1) >> s1, 24);
    z1 = tmp4 + tmp7;
    let z2 = tmp5 + tmp6;
    let z3 = tmp4 + tmp6;
    let z4 = tmp5 + tmp7;
    const z5 = (z3 + z4) * 9633;
    z1 *= -7373;
    z2 *= -20995;
    z3 = z3 * -16069 + z5;
    z4 = z4 * -3196 + z5;
    store<i32>(w, (tmp4 * 2446 + z1 + z3 + half1) >> s1, 28);
    store<i32>(w, (tmp5 * 16819 + z2 + z4 + half1) >> s1, 20);
    store<i32>(w, (tmp6 * 25172 + z2 + z3 + half1) >> s1, 12);
    store<i32>(w, (tmp7 * 12299 + z1 + z4 + half1) >> s1, 4);
  }
  // Pass 2: columns, four at a time (i32x4: column o + lane). A product may pass 2^31, but each
  // shifted sum is below 2^29 (block-dct.ts says why): i32's wrapping products and sums have its
  // exact low 32 bits, so its exact value, in each lane as in scalar code.
  const half2 = i32x4.splat(1 << (CONST_BITS + PASS1_BITS - 1));
  const half0 = i32x4.splat(1 << (PASS1_BITS - 1));
  const s2 = CONST_BITS + PASS1_BITS;
  for (let o: usize = 0; o < 8; o += 4) {
    const w = work + (o << 2);
    const w0 = v128.load(w);
    const w1 = v128.load(w, 32);
    const w2 = v128.load(w, 64);
    const w3 = v128.load(w, 96);
    const w4 = v128.load(w, 128);
    const w5 = v128.load(w, 160);
    const w6 = v128.load(w, 192);
    const w7 = v128.load(w, 224);
    const tmp0 = i32x4.add(w0, w7);
    const tmp7 = i32x4.sub(w0, w7);
    const tmp1 = i32x4.add(w1, w6);
    const tmp6 = i32x4.sub(w1, w6);
    const tmp2 = i32x4.add(w2, w5);
    const tmp5 = i32x4.sub(w2, w5);
    const tmp3 = i32x4.add(w3, w4);
    const tmp4 = i32x4.sub(w3, w4);
    const tmp10 = i32x4.add(tmp0, tmp3);
    const tmp13 = i32x4.sub(tmp0, tmp3);
    const tmp11 = i32x4.add(tmp1, tmp2);
    const tmp12 = i32x4.sub(tmp1, tmp2);
    put4(i32x4.shr_s(i32x4.add(i32x4.add(tmp10, tmp11), half0), PASS1_BITS), o, quantiser, out);
    put4(i32x4.shr_s(i32x4.add(i32x4.sub(tmp10, tmp11), half0), PASS1_BITS), o + 32, quantiser, out);
    let z1 = i32x4.mul(i32x4.add(tmp12, tmp13), i32x4.splat(4433));
    put4(i32x4.shr_s(i32x4.add(i32x4.add(z1, i32x4.mul(tmp13, i32x4.splat(6270))), half2), s2), o + 16, quantiser, out);
    put4(i32x4.shr_s(i32x4.add(i32x4.sub(z1, i32x4.mul(tmp12, i32x4.splat(15137))), half2), s2), o + 48, quantiser, out);
    z1 = i32x4.add(tmp4, tmp7);
    let z2 = i32x4.add(tmp5, tmp6);
    let z3 = i32x4.add(tmp4, tmp6);
    let z4 = i32x4.add(tmp5, tmp7);
    const z5 = i32x4.mul(i32x4.add(z3, z4), i32x4.splat(9633));
    z1 = i32x4.mul(z1, i32x4.splat(-7373));
    z2 = i32x4.mul(z2, i32x4.splat(-20995));
    z3 = i32x4.add(i32x4.mul(z3, i32x4.splat(-16069)), z5);
    z4 = i32x4.add(i32x4.mul(z4, i32x4.splat(-3196)), z5);
    put4(i32x4.shr_s(i32x4.add(i32x4.add(i32x4.add(i32x4.mul(tmp4, i32x4.splat(2446)), z1), z3), half2), s2), o + 56, quantiser, out);
    put4(i32x4.shr_s(i32x4.add(i32x4.add(i32x4.add(i32x4.mul(tmp5, i32x4.splat(16819)), z2), z4), half2), s2), o + 40, quantiser, out);
    put4(i32x4.shr_s(i32x4.add(i32x4.add(i32x4.add(i32x4.mul(tmp6, i32x4.splat(25172)), z2), z3), half2), s2), o + 24, quantiser, out);
    put4(i32x4.shr_s(i32x4.add(i32x4.add(i32x4.add(i32x4.mul(tmp7, i32x4.splat(12299)), z1), z4), half2), s2), o + 8, quantiser, out);
  }
}

/**
 * Coefficients `n`..`n + 3` (natural order) quantised as block-dct.ts's `quantised` does, into
 * their zigzag places: the same f64 products (f64x2 lanes are IEEE doubles, no fused multiply-add),
 * truncated (all below 2^31).
 */
@inline function put4(value: v128, n: usize, quantiser: usize, out: usize): void {
  const sign = i32x4.shr_s(value, 31);
  const sum = i32x4.add(i32x4.sub(v128.xor(value, sign), sign), v128.load(quantiser + (n << 2)));
  const reciprocals = quantiser + 256 + (n << 3);
  const low = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.convert_low_i32x4_s(sum), v128.load(reciprocals)));
  const high = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(sum, sum, 2, 3, 0, 1)), v128.load(reciprocals, 16)));
  const magnitude = i32x4.shuffle(low, high, 0, 1, 4, 5);
  const result = i32x4.sub(v128.xor(magnitude, sign), sign);
  store<i16>(out + (<usize>load<u8>(NATURAL + n) << 1), <i16>i32x4.extract_lane(result, 0));
  store<i16>(out + (<usize>load<u8>(NATURAL + n + 1) << 1), <i16>i32x4.extract_lane(result, 1));
  store<i16>(out + (<usize>load<u8>(NATURAL + n + 2) << 1), <i16>i32x4.extract_lane(result, 2));
  store<i16>(out + (<usize>load<u8>(NATURAL + n + 3) << 1), <i16>i32x4.extract_lane(result, 3));
}

// jccolor.c's RGB to YCbCr, 16 fraction bits, libjpeg-turbo's constants (src/jpeg/redraw-blocks.ts's).
const SCALE_BITS = 16;
const HALF: i32 = 1 << (SCALE_BITS - 1);
const R_Y: i32 = 19595;
const G_Y: i32 = 38470;
const B_Y: i32 = 7471;
const R_CB: i32 = -11059;
const G_CB: i32 = -21709;
const B_CB: i32 = 32768;
const G_CR: i32 = -27439;
const B_CR: i32 = -5329;
const CBCR_OFFSET: i32 = (128 << SCALE_BITS) + HALF - 1;

@inline function lumaOf(r: i32, g: i32, b: i32): i32 {
  return (R_Y * r + G_Y * g + B_Y * b + HALF) >> SCALE_BITS;
}
@inline function cbOf(r: i32, g: i32, b: i32): i32 {
  return (R_CB * r + G_CB * g + B_CB * b + CBCR_OFFSET) >> SCALE_BITS;
}
@inline function crOf(r: i32, g: i32, b: i32): i32 {
  return (B_CB * r + G_CR * g + B_CR * b + CBCR_OFFSET) >> SCALE_BITS;
}

/**
 * redraw-blocks.ts's `fromRgb`: `rgb` (3 bytes a pixel, `width` a row, `height` rows, both even)
 * to luma and chroma averaged over 2x2 squares with jcsample.c's alternating bias. Every value
 * fits in i32, as in JavaScript.
 */
export function fromRgb(rgb: usize, width: i32, height: i32, luma: usize, cb: usize, cr: usize): void {
  let c: i32 = 0;
  for (let row = 0; row < height; row += 2) {
    const top = row * width;
    for (let i = top; i < top + width; i += 2, c += 1) {
      const j = i + width;
      let p = rgb + <usize>(i * 3);
      let r = <i32>load<u8>(p);
      let g = <i32>load<u8>(p, 1);
      let b = <i32>load<u8>(p, 2);
      store<u8>(luma + <usize>i, lumaOf(r, g, b));
      let sumCb = cbOf(r, g, b);
      let sumCr = crOf(r, g, b);
      r = <i32>load<u8>(p, 3);
      g = <i32>load<u8>(p, 4);
      b = <i32>load<u8>(p, 5);
      store<u8>(luma + <usize>i, lumaOf(r, g, b), 1);
      sumCb += cbOf(r, g, b);
      sumCr += crOf(r, g, b);
      p = rgb + <usize>(j * 3);
      r = <i32>load<u8>(p);
      g = <i32>load<u8>(p, 1);
      b = <i32>load<u8>(p, 2);
      store<u8>(luma + <usize>j, lumaOf(r, g, b));
      sumCb += cbOf(r, g, b);
      sumCr += crOf(r, g, b);
      r = <i32>load<u8>(p, 3);
      g = <i32>load<u8>(p, 4);
      b = <i32>load<u8>(p, 5);
      store<u8>(luma + <usize>j, lumaOf(r, g, b), 1);
      sumCb += cbOf(r, g, b);
      sumCr += crOf(r, g, b);
      const bias = (c & 1) + 1;
      store<u8>(cb + <usize>c, (sumCb + bias) >> 2);
      store<u8>(cr + <usize>c, (sumCr + bias) >> 2);
    }
  }
}

// jdcolor.c's YCbCr to RGB (redraw-blocks.ts's tables, computed here: the same expressions).
@inline function clamp(value: i32): u8 {
  return <u8>(value < 0 ? 0 : value > 255 ? 255 : value);
}

@inline function putRgb(rgb: usize, i: i32, l: i32, blue: i32, red: i32): void {
  const p = rgb + <usize>(i * 3);
  store<u8>(p, clamp(l + ((91881 * (red - 128) + HALF) >> SCALE_BITS)));
  store<u8>(p, clamp(l + (((-22554 * (blue - 128) + HALF) + (-46802 * (red - 128))) >> SCALE_BITS)), 1);
  store<u8>(p, clamp(l + ((116130 * (blue - 128) + HALF) >> SCALE_BITS)), 2);
}

/**
 * redraw-blocks.ts's `toRgb`: `luma` (`width` a row, `height` rows) and the chroma rings (`width
 * / 2 + 2` a row, one sample of context on every side) to `rgb`, chroma upsampled by jdsample.c's
 * triangle filter (`fancy`) or repeated. Every value fits in i32, as in JavaScript; the clamp is
 * Uint8ClampedArray's on integers.
 */
export function toRgb(rgb: usize, luma: usize, ringCb: usize, ringCr: usize, width: i32, height: i32, fancy: bool): void {
  const half = width >> 1;
  const ringWidth = half + 2;
  let i: i32 = 0;
  for (let row = 0; row < height; row += 1) {
    const nearer = ((row >> 1) + 1) * ringWidth;
    const farther = nearer + ((row & 1) == 0 ? -ringWidth : ringWidth);
    if (!fancy) {
      for (let c = 1; c <= half; c += 1, i += 2) {
        const blue = <i32>load<u8>(ringCb + <usize>(nearer + c));
        const red = <i32>load<u8>(ringCr + <usize>(nearer + c));
        putRgb(rgb, i, <i32>load<u8>(luma + <usize>i), blue, red);
        putRgb(rgb, i + 1, <i32>load<u8>(luma + <usize>i, 1), blue, red);
      }
      continue;
    }
    const cbN = ringCb + <usize>nearer;
    const cbF = ringCb + <usize>farther;
    const crN = ringCr + <usize>nearer;
    const crF = ringCr + <usize>farther;
    let cbLeft = <i32>load<u8>(cbN) * 3 + <i32>load<u8>(cbF);
    let crLeft = <i32>load<u8>(crN) * 3 + <i32>load<u8>(crF);
    let cbAt = <i32>load<u8>(cbN, 1) * 3 + <i32>load<u8>(cbF, 1);
    let crAt = <i32>load<u8>(crN, 1) * 3 + <i32>load<u8>(crF, 1);
    for (let c = 1; c <= half; c += 1, i += 2) {
      const k = <usize>(c + 1);
      const cbRight = <i32>load<u8>(cbN + k) * 3 + <i32>load<u8>(cbF + k);
      const crRight = <i32>load<u8>(crN + k) * 3 + <i32>load<u8>(crF + k);
      putRgb(rgb, i, <i32>load<u8>(luma + <usize>i), (cbAt * 3 + cbLeft + 8) >> 4, (crAt * 3 + crLeft + 8) >> 4);
      putRgb(rgb, i + 1, <i32>load<u8>(luma + <usize>i, 1), (cbAt * 3 + cbRight + 7) >> 4, (crAt * 3 + crRight + 7) >> 4);
      cbLeft = cbAt;
      crLeft = crAt;
      cbAt = cbRight;
      crAt = crRight;
    }
  }
}

export function heapBase(): usize {
  return __heap_base;
}
