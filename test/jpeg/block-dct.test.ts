/**
 * The AAN transforms of src/jpeg/block-dct.ts against the T.81 A.3.3 definitions of the 8x8 DCT
 * and its inverse, computed directly (the 64-term sums), on random blocks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZIGZAG_TO_NATURAL, dequantiseScales, forwardDct, inverseDct, quantiseScales } from '../../src/jpeg/block-dct.js';

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

const ONES = new Uint8Array(64).fill(1);
const block = fc.array(fc.integer({ min: -128, max: 127 }), { minLength: 64, maxLength: 64 });

describe('block DCT', () => {
  it('the zigzag order is a permutation that walks anti-diagonals', () => {
    expect([...ZIGZAG_TO_NATURAL].sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    for (let k = 1; k < 64; k += 1) {
      const a = ZIGZAG_TO_NATURAL[k - 1]!;
      const b = ZIGZAG_TO_NATURAL[k]!;
      const diagonal = (n: number): number => (n >> 3) + (n & 7);
      expect(Math.abs(diagonal(b) - diagonal(a))).toBeLessThanOrEqual(1);
    }
  });

  it('the forward transform, scaled by quantiseScales, is the definition', () => {
    fc.assert(fc.property(block, (samples) => {
      const work = Float64Array.from(samples);
      forwardDct(work);
      const scales = quantiseScales(ONES);
      const expected = referenceForward(samples);
      for (let n = 0; n < 64; n += 1) expect(Math.abs(work[n]! * scales[n]! - expected[n]!)).toBeLessThan(1e-3);
    }), { numRuns: 50 });
  });

  it('the inverse transform, fed coefficients scaled by dequantiseScales, is the definition (times 8)', () => {
    fc.assert(fc.property(block, (raw) => {
      const coefficients = raw.map((value) => value * 4);
      const scales = dequantiseScales(ONES);
      const work = Float64Array.from(coefficients, (value, n) => value * scales[n]!);
      inverseDct(work);
      const expected = referenceInverse(coefficients);
      for (let n = 0; n < 64; n += 1) expect(Math.abs(work[n]! / 8 - expected[n]!)).toBeLessThan(1e-3);
    }), { numRuns: 50 });
  });

  it('scales follow the zigzag order of a DQT table', () => {
    const quant = Uint8Array.from({ length: 64 }, (_, k) => k + 1);
    const down = dequantiseScales(quant);
    const up = quantiseScales(quant);
    // Natural index 8 (second row, first column) is zigzag index 2.
    expect(down[8]! / dequantiseScales(ONES)[8]!).toBeCloseTo(3, 9);
    expect(up[8]! * 3).toBeCloseTo(quantiseScales(ONES)[8]!, 9);
  });
});
