/**
 * Issue 5, the burn-in is crisp and legible at 360p and at 1080p: after JPEG encoding, the text
 * block still matches the rendered glyphs pixel for pixel within JPEG's error, at both sizes.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FrameEncoder } from '../../src/encoder/frame-encoder.js';
import { parseWallClock } from '../../src/time/index.js';

const origin = parseWallClock('2026-11-22T14:00:00+01:00');

async function greyFrame(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: { r: 120, g: 130, b: 110 } } }).jpeg({ quality: 90 }).toBuffer());
}

describe.each([[640, 360], [1920, 1080]])('burn-in at %ix%i', (width, height) => {
  it('keeps the glyphs sharp after encoding (edges survive, no smearing)', async () => {
    const encoder = new FrameEncoder({ sourceWidth: width, sourceHeight: height, outputWidth: width, outputHeight: height, jpegQuality: 80, burnIn: { origin, deviceId: 'DRD-BC-0001', officerId: 'H-0001' } });
    const result = await encoder.encode(await greyFrame(width, height), 45_000_000);
    if (!result.ok) throw new Error(result.detail);
    const burnIn = encoder.burnIn;
    if (burnIn === null) throw new Error('no burn-in');
    const overlay = burnIn.overlayAt(45_000_000);
    const margin = burnIn.scale * 2;
    const left = margin;
    const top = height - overlay.height - margin;
    const decoded = await sharp(result.jpeg).extract({ left, top, width: overlay.width, height: overlay.height }).greyscale().raw().toBuffer();
    // Lit glyph pixels must read white, outline pixels black: count how many do.
    let lit = 0;
    let litOk = 0;
    let outline = 0;
    let outlineOk = 0;
    for (let i = 0; i < overlay.width * overlay.height; i += 1) {
      const r = overlay.rgba[i * 4] ?? 0;
      const a = overlay.rgba[i * 4 + 3] ?? 0;
      const seen = decoded[i] ?? 0;
      if (a === 255 && r === 255) {
        lit += 1;
        if (seen > 200) litOk += 1;
      } else if (a === 255 && r === 0) {
        outline += 1;
        if (seen < 60) outlineOk += 1;
      }
    }
    expect(lit).toBeGreaterThan(500);
    expect(litOk / lit).toBeGreaterThan(0.9);
    expect(outlineOk / outline).toBeGreaterThan(0.9);
    // The glyphs are big enough to read: at least 14 px tall at 360p, 35 px at 1080p.
    expect(7 * burnIn.scale).toBeGreaterThanOrEqual(height >= 1080 ? 35 : 14);
  });
});
