import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FrameEncoder } from '../../src/encoder/frame-encoder.js';
import { parseWallClock } from '../../src/time/index.js';

const origin = parseWallClock('2026-11-22T14:00:00+01:00');
let source: Uint8Array;

async function gradientJpeg(width: number, height: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const o = (y * width + x) * 3;
      raw[o] = (x * 255) / width;
      raw[o + 1] = (y * 255) / height;
      raw[o + 2] = 90;
    }
  }
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
}

beforeAll(async () => {
  source = await gradientJpeg(320, 180);
});

const encoderFor = (options: Partial<ConstructorParameters<typeof FrameEncoder>[0]> = {}) =>
  new FrameEncoder({
    sourceWidth: 320, sourceHeight: 180, outputWidth: 320, outputHeight: 180, jpegQuality: 80,
    burnIn: { origin, deviceId: 'DRD-BC-0001', officerId: 'H-0001' }, ...options,
  });

describe('FrameEncoder', () => {
  it('encodes a baseline JPEG at the output size', async () => {
    const result = await encoderFor({ outputWidth: 160, outputHeight: 90 }).encode(source, 0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const meta = await sharp(result.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 160, height: 90, isProgressive: false });
  });

  it('gives byte-identical output for the same frame and time', async () => {
    const encoder = encoderFor();
    const [a, b] = await Promise.all([encoder.encode(source, 1_000_000), encoder.encode(source, 1_000_000)]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(createHash('sha256').update(a.jpeg).digest('hex')).toBe(createHash('sha256').update(b.jpeg).digest('hex'));
  });

  it('burns the text into the bottom-left corner only', async () => {
    const encoder = encoderFor();
    const withText = await encoder.encode(source, 0);
    const without = await encoderFor({ burnIn: null }).encode(source, 0);
    if (!withText.ok || !without.ok) throw new Error('encode failed');
    const a = await sharp(withText.jpeg).raw().toBuffer();
    const b = await sharp(without.jpeg).raw().toBuffer();
    const diffIn = (x0: number, y0: number, x1: number, y1: number): number => {
      let sum = 0;
      for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) sum += Math.abs((a[(y * 320 + x) * 3] ?? 0) - (b[(y * 320 + x) * 3] ?? 0));
      return sum / ((x1 - x0) * (y1 - y0));
    };
    const overlay = encoder.burnIn?.overlayAt(0);
    const margin = (encoder.burnIn?.scale ?? 0) * 2;
    if (overlay === undefined) throw new Error('no burn-in');
    const top = 180 - margin - overlay.height;
    expect(diffIn(margin, top, margin + overlay.width, top + overlay.height)).toBeGreaterThan(40);
    expect(diffIn(0, 0, 320, top - 8)).toBeLessThan(1);
  });

  it('reports a corrupt or truncated frame as a drop with a reason, without throwing', async () => {
    const encoder = encoderFor();
    const garbage = await encoder.encode(new Uint8Array([1, 2, 3, 4, 5]), 0);
    expect(garbage).toMatchObject({ ok: false, reason: 'corrupt' });
    const truncated = await encoder.encode(source.subarray(0, Math.floor(source.length * 0.6)), 0);
    expect(truncated).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('drops a frame of another size', async () => {
    const other = await gradientJpeg(200, 100);
    expect(await encoderFor().encode(other, 0)).toMatchObject({ ok: false, reason: 'size-mismatch', detail: 'expected 320x180, found 200x100' });
  });

  it('rejects impossible settings at construction', () => {
    expect(() => encoderFor({ jpegQuality: 0 })).toThrow(/jpegQuality: expected an integer from 1 to 100/);
    expect(() => encoderFor({ outputWidth: 100_000 })).toThrow(/outputWidth/);
  });
});
