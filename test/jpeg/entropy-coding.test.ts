/**
 * The Huffman decoder and encoder against libjpeg (through sharp): decoding a scan into
 * coefficients and coding them again with the same tables gives back the scan bit for bit; the
 * walk agrees with the full decode on where every MCU starts and where the scan ends; corrupt
 * scans are refused, not misread.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, EntropyWriter, decodeScan, readEntropyData } from '../../src/jpeg/index.js';
import { type FrameRecipe, makeFrame, parsedScan, withRestartMarkers } from '../helpers/jpeg-frames.js';

const recipeArb: fc.Arbitrary<FrameRecipe> = fc.record({
  width: fc.integer({ min: 1, max: 96 }),
  height: fc.integer({ min: 1, max: 80 }),
  quality: fc.integer({ min: 5, max: 100 }),
  chromaSubsampling: fc.constantFrom('4:2:0' as const, '4:4:4' as const),
  optimiseCoding: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  greyscale: fc.boolean(),
});

const parse = parsedScan;

describe('entropy coding', () => {
  it('decodes a scan into coefficients that code back to the same bytes', async () => {
    await fc.assert(fc.asyncProperty(recipeArb, async (recipe) => {
      const file = await makeFrame(recipe);
      const { jpeg, layout, data } = parse(file);
      const decoded = decodeScan(data, layout, 0, 0);
      if (typeof decoded === 'string') throw new Error(decoded);
      const writer = new EntropyWriter(64);
      const predictors = [0, 0, 0, 0];
      for (let block = 0; block < decoded.coefficients.length / BLOCK_SIZE; block += 1) {
        const b = block % layout.blocksPerMcu;
        const component = layout.blockScanComponent[b] ?? 0;
        const dc = decoded.coefficients[block * BLOCK_SIZE] ?? 0;
        expect(writer.block(decoded.coefficients, block * BLOCK_SIZE, dc - (predictors[component] ?? 0), layout.blockDc[b]!.encode, layout.blockAc[b]!.encode)).toBe(true);
        predictors[component] = dc;
      }
      writer.padToByte();
      expect(Buffer.from(writer.result()).equals(Buffer.from(file.subarray(jpeg.scanDataStart, data.endMarkerOffset)))).toBe(true);
    }), { numRuns: 60 });
  });

  it('walks to the same MCU starts, predictors and end as the full decode', async () => {
    await fc.assert(fc.asyncProperty(recipeArb, fc.double({ min: 0, max: 1, noNaN: true }), async (recipe, where) => {
      const { layout, data } = parse(await makeFrame(recipe));
      const total = layout.mcusX * layout.mcusY;
      const from = Math.min(total - 1, Math.floor(where * total));
      const full = decodeScan(data, layout, 0, 0);
      const walked = decodeScan(data, layout, 0, from);
      if (typeof full === 'string' || typeof walked === 'string') throw new Error('decode failed');
      expect(walked.endBit).toBe(full.endBit);
      expect(Array.from(walked.mcuBits)).toEqual(Array.from(full.mcuBits.subarray(from)));
      expect(walked.mark.bit).toBe(full.mcuBits[from]);
      // The predictors at the mark: each component's DC in the MCU before it.
      const expected = new Int32Array(4);
      for (let b = 0; b < layout.blocksPerMcu && from > 0; b += 1) {
        expected[layout.blockScanComponent[b] ?? 0] = full.coefficients[((from - 1) * layout.blocksPerMcu + b) * BLOCK_SIZE] ?? 0;
      }
      expect(Array.from(walked.mark.predictors)).toEqual(Array.from(expected));
      // The long code words the walk notes are the same as the full decode's.
      expect(Array.from(walked.longCodeWords.bit.subarray(0, walked.longCodeWords.count))).toEqual(Array.from(full.longCodeWords.bit.subarray(0, full.longCodeWords.count)));
      const mcuSize = layout.blocksPerMcu * BLOCK_SIZE;
      expect(Buffer.from(walked.coefficients.buffer).equals(Buffer.from(full.coefficients.subarray(from * mcuSize).slice().buffer))).toBe(true);
    }), { numRuns: 40 });
  });

  it('refuses a scan that ends early, has bytes left over, or holds no code word', async () => {
    const file = await makeFrame({ width: 64, height: 48, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 7 });
    const { jpeg, layout, data } = parse(file);
    const end = data.endMarkerOffset;
    const truncated = Uint8Array.from([...file.subarray(0, jpeg.scanDataStart + Math.floor((end - jpeg.scanDataStart) / 2)), 0xff, 0xd9]);
    const cut = readEntropyData(truncated, jpeg.scanDataStart);
    expect(decodeScan(cut!, layout, 0, 0)).toMatch(/ends inside|no (AC|DC) code word|past 63/);
    const padded = Uint8Array.from([...file.subarray(0, end), 0x12, 0x34, 0xff, 0xd9]);
    expect(decodeScan(readEntropyData(padded, jpeg.scanDataStart)!, layout, 0, 0)).toBe('2 bytes of data after the last MCU');
    // All ones is never a code word (T.81 C.2): a run of 0xFF (stuffed) is no symbol.
    const garbage = Uint8Array.from([...file.subarray(0, jpeg.scanDataStart), ...Array.from({ length: 64 }, () => [0xff, 0x00]).flat(), 0xff, 0xd9]);
    expect(decodeScan(readEntropyData(garbage, jpeg.scanDataStart)!, layout, 0, 0)).toMatch(/no (AC|DC) code word/);
    expect(readEntropyData(file.subarray(0, end), jpeg.scanDataStart)).toBeNull();
    // Fill bytes (0xFF runs) may only pad a marker.
    const scanStart = jpeg.scanDataStart;
    expect(readEntropyData(Uint8Array.from([...file.subarray(0, scanStart + 4), 0xff, 0xff, 0x00, ...file.subarray(scanStart + 4)]), scanStart)).toBeNull();
    expect(readEntropyData(Uint8Array.from([...file.subarray(0, end), 0xff, 0xff, 0xff, 0xd9]), scanStart)?.length).toBe(data.length);
  });

  it('reads restart markers, and refuses one that is missing or misnumbered', async () => {
    const file = await makeFrame({ width: 64, height: 48, quality: 75, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 3 });
    const { layout, data } = parse(file);
    const decoded = decodeScan(data, layout, 0, 0);
    if (typeof decoded === 'string') throw new Error(decoded);
    const interval = 2;
    const good = parse(withRestartMarkers(file, interval));
    const again = decodeScan(good.data, layout, interval, 0);
    if (typeof again === 'string') throw new Error(again);
    expect(Array.from(again.coefficients)).toEqual(Array.from(decoded.coefficients));
    expect(decodeScan(good.data, layout, 0, 0)).toMatch(/restart markers after the last MCU|code word|past 63|bytes of data/);
    expect(decodeScan(parse(withRestartMarkers(file, interval, (k) => (k + 1) % 8)).data, layout, interval, 0)).toBe('restart marker 0 missing before MCU 2');
  });
});
