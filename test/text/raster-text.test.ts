import { createHash } from 'node:crypto';
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

  it('rejects a fractional scale', () => {
    expect(() => rasterizeText('x', { scale: 1.5 })).toThrow(/scale: expected an integer from 1 to 64/);
  });
});
