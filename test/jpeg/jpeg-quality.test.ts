import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ijgTable, jpegQualityOf, readQuantTables } from '../../src/jpeg/index.js';

const raw = Buffer.alloc(32 * 32 * 3, 90);

describe('jpegQualityOf', () => {
  it('recovers the quality sharp encoded with, for every quality', async () => {
    for (let quality = 1; quality <= 100; quality += 1) {
      const jpeg = await sharp(raw, { raw: { width: 32, height: 32, channels: 3 } }).jpeg({ quality }).toBuffer();
      expect(jpegQualityOf(jpeg), `quality ${quality}`).toBe(quality);
    }
  });

  it('says null for tables no IJG quality makes, and for non-JPEG bytes', async () => {
    const jpeg = new Uint8Array(await sharp(raw, { raw: { width: 32, height: 32, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
    const tables = readQuantTables(jpeg);
    expect(tables.get(0)).toEqual(ijgTable([16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99], 80));
    // Nudge one coefficient of the luminance table: no quality matches any more.
    const dqt = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xdb);
    jpeg[dqt + 5 + 10] = (jpeg[dqt + 5 + 10] ?? 0) + 1;
    expect(jpegQualityOf(jpeg)).toBeNull();
    expect(jpegQualityOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
  });
});

describe('jpegQualityOf across frames of different encoders', () => {
  it('answers each frame by its own tables, whatever came before', async () => {
    const make = (quality: number) => sharp(raw, { raw: { width: 32, height: 32, channels: 3 } }).jpeg({ quality }).toBuffer();
    const sequence = [80, 80, 55, 80, 55, 55, 100, 1, 80];
    for (const quality of sequence) expect(jpegQualityOf(await make(quality))).toBe(quality);
  });
});
