/**
 * The redraw's transforms as WebAssembly (src/jpeg/wasm-block-dct.ts) against their JavaScript
 * reference (src/jpeg/block-dct.ts): random batches of blocks, sparse, dense, DC-only and at the
 * extremes of the coefficient and sample ranges, with random tables, through both, the same
 * output to the bit, written where the descriptors say and nowhere else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZIGZAG_TO_NATURAL, forwardDctQuantised, inverseDct, naturalOrder, quantiserOf } from '../../src/jpeg/block-dct.js';
import { fromRgbJs, toRgbJs } from '../../src/jpeg/redraw-blocks.js';
import { blockDctWasmAvailable, forwardDctsQuantisedWasm, fromRgbWasm, inverseDctsWasm, toRgbWasm } from '../../src/jpeg/wasm-block-dct.js';

/** A coefficient: mostly zero (as after quantisation), small, large, or an extreme of int16. */
const term = fc.oneof(
  { arbitrary: fc.constant(0), weight: 10 },
  { arbitrary: fc.integer({ min: -40, max: 40 }), weight: 4 },
  { arbitrary: fc.integer({ min: -2047, max: 2047 }), weight: 2 },
  { arbitrary: fc.constantFrom(-32768, 32767, -2048, 2047), weight: 1 },
);
const block = fc.tuple(fc.array(term, { minLength: 64, maxLength: 64 }), fc.constantFrom('any', 'dc', 'column', 'row', 'dense'), fc.integer({ min: -32768, max: 32767 }))
  .map(([natural, kind, fill]) => {
    const zigzag = new Int16Array(64);
    for (let k = 0; k < 64; k += 1) {
      const n = ZIGZAG_TO_NATURAL[k]!;
      if (kind === 'dense') zigzag[k] = natural[n] === 0 ? (fill + k * 977) % 2048 : natural[n]!;
      else zigzag[k] = kind === 'any' || n === 0 || (kind === 'column' && n % 8 === 0) || (kind === 'row' && n < 8) ? natural[n]! : 0;
    }
    return zigzag;
  });
const table = fc.oneof(fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 64, maxLength: 64 }), fc.constantFrom(new Array<number>(64).fill(255), new Array<number>(64).fill(1)))
  .map((steps) => Uint8Array.from(steps));
/** Samples: random, flat, or the extremes (a checkerboard of 0 and 255 gives the largest coefficients). */
const samples = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 64, maxLength: 64 }),
  fc.integer({ min: 0, max: 255 }).map((v) => new Array<number>(64).fill(v)),
  fc.boolean().map((odd) => Array.from({ length: 64 }, (_, i) => (((i >> 3) + i + (odd ? 1 : 0)) & 1) * 255)),
  fc.array(fc.constantFrom(0, 255), { minLength: 64, maxLength: 64 }),
);

describe('block DCT as WebAssembly', () => {
  it('is available on Node 20 (the redraw uses it)', () => {
    expect(blockDctWasmAvailable()).toBe(true);
  });

  it('the inverse transform of a batch gives the JavaScript samples, in place in wider planes', () => {
    fc.assert(fc.property(fc.array(block, { minLength: 1, maxLength: 24 }), fc.array(table, { minLength: 1, maxLength: 3 }), (blocks, tables) => {
      const coefficients = new Int16Array(blocks.length * 64 + 5);
      blocks.forEach((b, i) => coefficients.set(b, 5 + i * 64));
      const quants = tables.map((t) => naturalOrder(t));
      // Two planes, blocks alternating between them, side by side two to a row, one sample apart.
      const strides = [19, 27];
      const rowsOf = (count: number): number => Math.ceil(count / 2) * 8;
      const planes = strides.map((stride, p) => new Uint8Array(stride * rowsOf(Math.ceil((blocks.length - p) / 2)) + 1));
      const expected = planes.map((plane) => plane.slice());
      const descriptors = new Int32Array(blocks.length * 4);
      const work = new Int32Array(64);
      blocks.forEach((_, i) => {
        const p = i & 1;
        const j = i >> 1;
        const at = 1 + (j >> 1) * 8 * strides[p]! + (j & 1) * 9;
        const q = i % quants.length;
        descriptors.set([5 + i * 64, q, p, at], i * 4);
        inverseDct(coefficients, 5 + i * 64, quants[q]!, work, expected[p]!, at, strides[p]!);
      });
      // The bytes no block covers are undefined after the batch: compare the blocks' only.
      expect(inverseDctsWasm(coefficients, quants, descriptors, blocks.length, planes, strides)).toBe(true);
      blocks.forEach((_, i) => {
        const [, , p, at] = descriptors.subarray(i * 4, i * 4 + 4);
        for (let r = 0; r < 8; r += 1) {
          const from = at! + r * strides[p!]!;
          expect(Array.from(planes[p!]!.subarray(from, from + 8))).toEqual(Array.from(expected[p!]!.subarray(from, from + 8)));
        }
      });
    }), { numRuns: 300 });
  });

  it('the forward transform quantised of a batch gives the JavaScript coefficients, only where the descriptors say', () => {
    fc.assert(fc.property(fc.array(fc.tuple(samples, table), { minLength: 1, maxLength: 24 }), (blocks) => {
      const stride = 8 * 3 + 2;
      const rows = Math.ceil(blocks.length / 3) * 8;
      const plane = new Uint8Array(stride * rows);
      const descriptors = new Int32Array(blocks.length * 4);
      const quantisers = blocks.slice(0, 8).map(([, t]) => quantiserOf(t));
      const out = new Int16Array(blocks.length * 96 + 64).fill(12345);
      const expected = out.slice();
      const work = new Int32Array(64);
      blocks.forEach(([values], i) => {
        const at = Math.floor(i / 3) * 8 * stride + (i % 3) * 8 + 1;
        for (let s = 0; s < 64; s += 1) plane[at + (s >> 3) * stride + (s & 7)] = values[s]!;
        // Gaps of 32 between some blocks' coefficients in `out`, which must stay as they were.
        const to = i * 96 + (i & 1) * 32;
        descriptors.set([0, at, i % quantisers.length, to], i * 4);
      });
      blocks.forEach((_, i) => {
        const [, at, q, to] = descriptors.subarray(i * 4, i * 4 + 4);
        forwardDctQuantised(plane, at!, stride, work, quantisers[q!]!, expected, to!);
      });
      expect(forwardDctsQuantisedWasm([plane], [stride], quantisers, descriptors, blocks.length, out)).toBe(true);
      expect(Array.from(out)).toEqual(Array.from(expected));
    }), { numRuns: 300 });
  });

  it('the colour conversion and chroma averaging give the JavaScript planes (random, flat and extreme pixels)', () => {
    const pixel = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255));
    const size = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 })).map(([w, h]) => ({ width: w * 16, height: h * 16 }));
    fc.assert(fc.property(size, fc.array(pixel, { minLength: 96 * 64 * 3, maxLength: 96 * 64 * 3 }), ({ width, height }, values) => {
      const pixels = width * height;
      const rgb = Uint8Array.from(values.slice(0, pixels * 3));
      const js = { rgb, y: new Uint8Array(pixels), cb: new Uint8Array(pixels >> 2), cr: new Uint8Array(pixels >> 2) };
      fromRgbJs(js, width, height);
      const wasm = { y: new Uint8Array(pixels), cb: new Uint8Array(pixels >> 2), cr: new Uint8Array(pixels >> 2) };
      expect(fromRgbWasm(rgb, width, height, wasm.y, wasm.cb, wasm.cr)).toBe(true);
      expect(Buffer.from(wasm.y).equals(Buffer.from(js.y))).toBe(true);
      expect(Buffer.from(wasm.cb).equals(Buffer.from(js.cb))).toBe(true);
      expect(Buffer.from(wasm.cr).equals(Buffer.from(js.cr))).toBe(true);
    }), { numRuns: 60 });
  });

  it('the chroma upsampling (fancy and repeated) and colour conversion give the JavaScript pixels', () => {
    const sample = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255));
    const size = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 })).map(([w, h]) => ({ width: w * 16, height: h * 16 }));
    fc.assert(fc.property(size, fc.boolean(), fc.array(sample, { minLength: 96 * 64 * 2, maxLength: 96 * 64 * 2 }), ({ width, height }, fancy, values) => {
      const pixels = width * height;
      const ring = ((width >> 1) + 2) * ((height >> 1) + 2);
      const y = Uint8Array.from(values.slice(0, pixels));
      const ringCb = Uint8Array.from(values.slice(pixels, pixels + ring));
      const ringCr = Uint8Array.from(values.slice(pixels + ring, pixels + 2 * ring));
      const js = new Uint8Array(pixels * 3);
      toRgbJs({ rgbClamped: new Uint8ClampedArray(js.buffer), y, ringCb, ringCr }, width, height, fancy);
      const wasm = new Uint8Array(pixels * 3);
      expect(toRgbWasm(y, ringCb, ringCr, width, height, fancy, wasm)).toBe(true);
      expect(Buffer.from(wasm).equals(Buffer.from(js))).toBe(true);
    }), { numRuns: 60 });
  });
});
