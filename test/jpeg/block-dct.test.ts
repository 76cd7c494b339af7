/**
 * The islow transforms of src/jpeg/block-dct.ts: against the T.81 A.3.3 definitions of the 8x8
 * DCT and its inverse (the 64-term sums), on random blocks, and against libjpeg itself: the
 * coefficients sharp writes for pixels and the pixels it decodes from coefficients, to the bit.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ZIGZAG_TO_NATURAL, forwardDct, forwardDctQuantised, inverseDct, naturalOrder, quantise, quantiserOf } from '../../src/jpeg/block-dct.js';
import { BLOCK_SIZE, readBaselineJpeg } from '../../src/jpeg/index.js';
import { coefficientsOf } from '../helpers/jpeg-frames.js';

const c = (u: number): number => (u === 0 ? Math.SQRT1_2 : 1);
const basis = (x: number, u: number): number => Math.cos(((2 * x + 1) * u * Math.PI) / 16);

/** F(u, v) = 1/4 C(u) C(v) Σx Σy f(x, y) cos… cos… (natural order, v along a row). */
function referenceForward(samples: readonly number[]): number[] {
  const out: number[] = [];
  for (let v = 0; v < 8; v += 1) {
    for (let u = 0; u < 8; u += 1) {
      let sum = 0;
      for (let y = 0; y < 8; y += 1) for (let x = 0; x < 8; x += 1) sum += samples[y * 8 + x]! * basis(x, u) * basis(y, v);
      out.push(0.25 * c(u) * c(v) * sum);
    }
  }
  return out;
}

/** f(x, y) = 1/4 Σu Σv C(u) C(v) F(u, v) cos… cos…. */
function referenceInverse(coefficients: readonly number[]): number[] {
  const out: number[] = [];
  for (let y = 0; y < 8; y += 1) {
    for (let x = 0; x < 8; x += 1) {
      let sum = 0;
      for (let v = 0; v < 8; v += 1) for (let u = 0; u < 8; u += 1) sum += c(u) * c(v) * coefficients[v * 8 + u]! * basis(x, u) * basis(y, v);
      out.push(0.25 * sum);
    }
  }
  return out;
}

/**
 * jidctint.c without its shortcuts (no zero-column, zero-row or DC-only test): every column and
 * every row through the whole butterfly, in exact integers (doubles below 2^53), descaled by
 * floor division and range-limited by libjpeg's wrapping table. The shortcuts must give exactly this.
 */
function referenceIslow(zigzag: Int16Array, quantZigzag: Uint8Array): number[] {
  const w = new Array<number>(64).fill(0);
  for (let k = 0; k < 64; k += 1) w[ZIGZAG_TO_NATURAL[k]!] = zigzag[k]! * quantZigzag[k]!;
  /** The eight sums before descaling: even part (tmp10..13) and odd part (tmp0..3) of T.81's LLM factorisation, x0 scaled by 2^13. */
  const butterfly = (x: readonly number[]): number[] => {
    const z1e = (x[2]! + x[6]!) * 4433;
    const t2 = z1e - x[6]! * 15137;
    const t3 = z1e + x[2]! * 6270;
    const t0 = (x[0]! + x[4]!) * 8192;
    const t1 = (x[0]! - x[4]!) * 8192;
    const [e10, e13, e11, e12] = [t0 + t3, t0 - t3, t1 + t2, t1 - t2];
    const [a0, a1, a2, a3] = [x[7]!, x[5]!, x[3]!, x[1]!];
    const z5 = (a0 + a2 + a1 + a3) * 9633;
    const z1 = (a0 + a3) * -7373;
    const z2 = (a1 + a2) * -20995;
    const z3 = (a0 + a2) * -16069 + z5;
    const z4 = (a1 + a3) * -3196 + z5;
    const o0 = a0 * 2446 + z1 + z3;
    const o1 = a1 * 16819 + z2 + z4;
    const o2 = a2 * 25172 + z2 + z3;
    const o3 = a3 * 12299 + z1 + z4;
    return [e10 + o3, e11 + o2, e12 + o1, e13 + o0, e13 - o0, e12 - o1, e11 - o2, e10 - o3];
  };
  for (let column = 0; column < 8; column += 1) {
    const sums = butterfly(Array.from({ length: 8 }, (_, row) => w[row * 8 + column]!));
    for (let row = 0; row < 8; row += 1) w[row * 8 + column] = Math.floor((sums[row]! + 1024) / 2048);
  }
  const out: number[] = [];
  for (let row = 0; row < 8; row += 1) {
    const sums = butterfly(w.slice(row * 8, row * 8 + 8));
    for (const sum of sums) {
      const x = Math.floor((sum + 2 ** 17) / 2 ** 18) & 1023;
      out.push(x < 128 ? x + 128 : x < 512 ? 255 : x < 896 ? 0 : x - 896);
    }
  }
  return out;
}

const ONES = naturalOrder(new Uint8Array(64).fill(1));
const samples = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 64, maxLength: 64 });

/** Noise with some structure, one byte a pixel. */
function greyPicture(width: number, height: number, seed: number): Buffer {
  const raw = Buffer.alloc(width * height);
  let state = seed;
  for (let i = 0; i < raw.length; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const x = i % width;
    raw[i] = Math.max(0, Math.min(255, ((x * 255) / width + ((i / width) & 16 ? 90 : 0) + (state >>> 25) - 64) | 0));
  }
  return raw;
}

describe('block DCT (libjpeg islow)', () => {
  it('the zigzag order is a permutation that walks anti-diagonals', () => {
    expect([...ZIGZAG_TO_NATURAL].sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    for (let k = 1; k < 64; k += 1) {
      const a = ZIGZAG_TO_NATURAL[k - 1]!;
      const b = ZIGZAG_TO_NATURAL[k]!;
      const diagonal = (n: number): number => (n >> 3) + (n & 7);
      expect(Math.abs(diagonal(b) - diagonal(a))).toBeLessThanOrEqual(1);
    }
  });

  it('the forward transform is 8 times the definition, within its fixed-point rounding', () => {
    fc.assert(fc.property(samples, (values) => {
      const work = new Int32Array(64);
      forwardDct(Uint8Array.from(values), 0, 8, work);
      const expected = referenceForward(values.map((value) => value - 128));
      for (let n = 0; n < 64; n += 1) expect(Math.abs(work[n]! / 8 - expected[n]!)).toBeLessThan(0.25);
    }), { numRuns: 50 });
    // The extremes: for each coefficient, the block that maximises it (0 or 255 by the sign of its basis), and its negative.
    for (let n = 0; n < 64; n += 1) {
      for (const [high, low] of [[255, 0], [0, 255]] as const) {
        const values = Array.from({ length: 64 }, (_, i) => (basis(i & 7, n & 7) * basis(i >> 3, n >> 3) >= 0 ? high : low));
        const work = new Int32Array(64);
        forwardDct(Uint8Array.from(values), 0, 8, work);
        const expected = referenceForward(values.map((value) => value - 128));
        for (let m = 0; m < 64; m += 1) expect(Math.abs(work[m]! / 8 - expected[m]!)).toBeLessThan(0.25);
      }
    }
  });

  it('the inverse transform is the definition, rounded and clamped, within one level', () => {
    const coefficients = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 64, maxLength: 64 });
    fc.assert(fc.property(coefficients, (natural) => {
      const zigzag = new Int16Array(64);
      for (let k = 0; k < 64; k += 1) zigzag[k] = natural[ZIGZAG_TO_NATURAL[k]!]!;
      const out = new Uint8Array(64);
      inverseDct(zigzag, 0, ONES, new Int32Array(64), out, 0, 8);
      const expected = referenceInverse(natural);
      for (let n = 0; n < 64; n += 1) expect(Math.abs(out[n]! - Math.min(255, Math.max(0, Math.round(expected[n]! + 128))))).toBeLessThanOrEqual(1);
    }), { numRuns: 50 });
  });

  it('the inverse transform\'s shortcuts give what the whole butterfly gives, on sparse blocks of any magnitude', () => {
    // Mostly zeros (as after quantisation), DC-only blocks, single columns and rows of nonzero terms, and the extremes.
    const term = fc.oneof({ arbitrary: fc.constant(0), weight: 12 }, { arbitrary: fc.integer({ min: -40, max: 40 }), weight: 3 }, { arbitrary: fc.integer({ min: -2047, max: 2047 }), weight: 1 });
    const shape = fc.constantFrom('any', 'dc', 'column', 'row');
    const table = fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 64, maxLength: 64 });
    fc.assert(fc.property(fc.array(term, { minLength: 64, maxLength: 64 }), shape, table, (natural, kind, steps) => {
      const zigzag = new Int16Array(64);
      for (let k = 0; k < 64; k += 1) {
        const n = ZIGZAG_TO_NATURAL[k]!;
        const kept = kind === 'any' || n === 0 || (kind === 'column' && n % 8 === 0) || (kind === 'row' && n < 8);
        zigzag[k] = kept ? natural[n]! : 0;
      }
      const quantZigzag = Uint8Array.from(steps);
      const out = new Uint8Array(8 * 11);
      // Into a wider plane at an offset, as the redraw writes: nothing outside the block is touched.
      inverseDct(zigzag, 0, naturalOrder(quantZigzag), new Int32Array(64), out, 2, 11);
      const expected = referenceIslow(zigzag, quantZigzag);
      const block = Array.from({ length: 64 }, (_, i) => out[2 + (i >> 3) * 11 + (i & 7)]!);
      expect(block).toEqual(expected);
      for (let i = 0; i < out.length; i += 1) if ((i % 11) < 2 || (i % 11) >= 10) expect(out[i]).toBe(0);
    }), { numRuns: 400 });
  });

  it('quantises as jcdctmgr.c divides, for every step and every magnitude the forward transform reaches', () => {
    // Its outputs are 8 times coefficients of samples -128..127: below 2^14 in magnitude; 2^15 here.
    const work = new Int32Array(64);
    const out = new Int16Array(64);
    let wrong = 0;
    for (let step = 1; step <= 255; step += 1) {
      const quantiser = quantiserOf(new Uint8Array(64).fill(step));
      const divisor = step * 8;
      for (let first = 0; first < 1 << 15; first += 64) {
        for (let n = 0; n < 64; n += 1) work[n] = (n & 1) === 0 ? first + n : -(first + n);
        quantise(work, quantiser, out, 0);
        for (let k = 0; k < 64; k += 1) {
          const value = work[ZIGZAG_TO_NATURAL[k]!]!;
          const magnitude = Math.floor((Math.abs(value) + divisor / 2) / divisor);
          if (out[k] !== (value < 0 ? -magnitude : magnitude)) wrong += 1;
        }
      }
    }
    expect(wrong).toBe(0);
  });

  it('the forward transform quantised in its column pass gives what it and quantise give one after the other', () => {
    const steps = fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 64, maxLength: 64 });
    fc.assert(fc.property(samples, steps, (values, table) => {
      const plane = Uint8Array.from(values);
      const quantiser = quantiserOf(Uint8Array.from(table));
      const work = new Int32Array(64);
      const apart = new Int16Array(64);
      const fused = new Int16Array(64);
      forwardDct(plane, 0, 8, work);
      quantise(work, quantiser, apart, 0);
      forwardDctQuantised(plane, 0, 8, work, quantiser, fused, 0);
      expect(Array.from(fused)).toEqual(Array.from(apart));
    }), { numRuns: 200 });
  });

  it('gives the coefficients libjpeg (sharp) writes for the same pixels, and the pixels it decodes from them', async () => {
    const width = 64;
    const height = 48;
    for (const [quality, seed] of [[100, 1], [90, 2], [50, 3], [20, 4]] as const) {
      const raw = greyPicture(width, height, seed);
      // Grey RGB (luma = the grey level, chroma 128 exactly) at 4:4:4: each MCU's first block is the grey level's.
      const rgb = Buffer.alloc(raw.length * 3);
      for (let i = 0; i < raw.length; i += 1) rgb.fill(raw[i]!, i * 3, i * 3 + 3);
      const jpeg = new Uint8Array(await sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality, chromaSubsampling: '4:4:4' }).toBuffer());
      const { coefficients, layout } = coefficientsOf(jpeg);
      expect(layout.blocksPerMcu).toBe(3);
      const decoded = await sharp(jpeg).extractChannel(0).raw().toBuffer();
      const read = readBaselineJpeg(jpeg);
      if (!read.ok) throw new Error(read.reason);
      const table = read.jpeg.quantTables.get(read.jpeg.components[0]!.quantTableId)!;
      const quant = naturalOrder(table);
      const quantiser = quantiserOf(table);
      const work = new Int32Array(64);
      const ours = new Int16Array(64);
      const pixels = new Uint8Array(64);
      for (let block = 0; block < (width / 8) * (height / 8); block += 1) {
        const at = Math.floor(block / (width / 8)) * 8 * width + (block % (width / 8)) * 8;
        forwardDct(raw, at, width, work);
        quantise(work, quantiser, ours, 0);
        const luma = block * 3 * BLOCK_SIZE;
        expect({ block, coefficients: Array.from(ours) }).toEqual({ block, coefficients: Array.from(coefficients.subarray(luma, luma + BLOCK_SIZE)) });
        inverseDct(coefficients, luma, quant, work, pixels, 0, 8);
        const theirs = Array.from({ length: 64 }, (_, i) => decoded[at + (i >> 3) * width + (i & 7)]);
        expect({ block, quality, pixels: Array.from(pixels) }).toEqual({ block, quality, pixels: theirs });
      }
    }
  });
});
