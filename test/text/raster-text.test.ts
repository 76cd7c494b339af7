import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GLYPH_HEIGHT, drawText, glyphFor, measureText, rasterizeText } from '../../src/text/index.js';

describe('rasterizeText', () => {
  it('renders at the measured size, with lit, outline and background pixels', () => {
    const text = rasterizeText('H-0001', { scale: 2, background: [1, 2, 3, 255] });
    expect({ width: text.width, height: text.height }).toEqual(measureText('H-0001', 2));
    expect(text.height).toBe((GLYPH_HEIGHT + 2) * 2);
    const colours = new Set<string>();
    for (let i = 0; i < text.rgba.length; i += 4) colours.add(Array.from(text.rgba.subarray(i, i + 4)).join(','));
    expect(colours).toEqual(new Set(['255,255,255,255', '0,0,0,255', '1,2,3,255']));
  });

  it('is pixel-identical on every run (golden hash)', () => {
    const text = rasterizeText('2026-11-22 14:00:45  DRD-BC-0001  H-0001', { scale: 3 });
    const hash = createHash('sha256').update(text.rgba).digest('hex');
    expect(hash).toBe(createHash('sha256').update(rasterizeText('2026-11-22 14:00:45  DRD-BC-0001  H-0001', { scale: 3 }).rgba).digest('hex'));
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"e82ded9d93530e1e"`);
  });

  it('draws every defined glyph distinctly', () => {
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-+:./';
    const shapes = new Set([...chars].map((c) => glyphFor(c).join('|')));
    expect(shapes.size).toBe(chars.length);
    expect(glyphFor('h')).toEqual(glyphFor('H'));
  });

  it('clips at the frame edges when drawing', () => {
    const frame = new Uint8Array(10 * 10 * 3).fill(7);
    drawText(frame, 10, 10, 3, rasterizeText('8', { scale: 2 }), 6, 6);
    expect(frame.length).toBe(300);
    expect(frame[0]).toBe(7);
    expect(Array.from(frame).some((v) => v !== 7)).toBe(true);
  });

  it('draws as a per-pixel blend does, for any colours and alphas, clipped anywhere, on RGB and RGBA', () => {
    /** The definition: transparent pixels skipped, opaque ones copied, the rest round(c · a + v · (1 - a)); alpha 255 after on RGBA. */
    const perPixel = (target: Uint8Array, width: number, height: number, channels: 3 | 4, text: { width: number; height: number; rgba: Uint8Array }, left: number, top: number): void => {
      for (let y = 0; y < text.height; y += 1) {
        for (let x = 0; x < text.width; x += 1) {
          const tx = left + x;
          const ty = top + y;
          const s = (y * text.width + x) * 4;
          const a = text.rgba[s + 3]!;
          if (tx < 0 || ty < 0 || tx >= width || ty >= height || a === 0) continue;
          const d = (ty * width + tx) * channels;
          for (let k = 0; k < 3; k += 1) target[d + k] = Math.round(text.rgba[s + k]! * (a / 255) + target[d + k]! * (1 - a / 255));
          if (channels === 4) target[d + 3] = 255;
        }
      }
    };
    // Few colours, so that runs form, with transparent, translucent and opaque ones.
    const palette = fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 170, 254, 255)), { minLength: 1, maxLength: 4 });
    const picture = fc.record({ width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 6 }), palette, picks: fc.array(fc.nat(), { minLength: 72, maxLength: 72 }) });
    fc.assert(fc.property(picture, fc.integer({ min: -14, max: 12 }), fc.integer({ min: -8, max: 9 }), fc.constantFrom(3 as const, 4 as const), fc.nat(), (p, left, top, channels, seed) => {
      const rgba = new Uint8Array(p.width * p.height * 4);
      for (let i = 0; i < p.width * p.height; i += 1) rgba.set(p.palette[p.picks[i]! % p.palette.length]!, i * 4);
      const text = { width: p.width, height: p.height, rgba };
      const background = Uint8Array.from({ length: 10 * 8 * channels }, (_, i) => (i * 37 + seed) & 255);
      const expected = background.slice();
      perPixel(expected, 10, 8, channels, text, left, top);
      const drawn = background.slice();
      drawText(drawn, 10, 8, channels, text, left, top);
      expect(Array.from(drawn)).toEqual(Array.from(expected));
    }), { numRuns: 300 });
  });

  it('rejects a fractional scale', () => {
    expect(() => rasterizeText('x', { scale: 1.5 })).toThrow(/scale: expected an integer from 1 to 64/);
  });
});
