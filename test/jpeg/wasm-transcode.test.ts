/**
 * The coefficient transcode's WebAssembly loop (src/jpeg/wasm-transcode.ts) against the JavaScript
 * reference it replaces (src/jpeg/requantise.ts): on random frames (sizes, qualities of source and
 * device, optimised or standard Huffman tables, restart intervals, an overlay anywhere or none) and
 * on the same frames with their scans damaged (bytes changed, the scan cut short), both give the
 * same bytes, or refuse with the same reason. Also with the output room made small, so the loop
 * pauses and resumes mid-scan, and on a scan whose DC values leave the range the WebAssembly
 * handles itself, where it hands the call to JavaScript. The same for the coder of stored blocks
 * (the ring around the burn-in, and the blocks redrawn under it), `codeStoredMcus`.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, type DeviceFormat, EntropyWriter, type PixelRect, type TranscodeLoop, deviceFormat, finishTranscodeDrawn, planTranscode } from '../../src/jpeg/index.js';
import { setWasmOutRoom, wasmTranscodeStats } from '../../src/jpeg/wasm-transcode.js';
import { makeFrame, parsedScan, withRestartMarkers } from '../helpers/jpeg-frames.js';

/** A fixed seed by default (CI sees the same cases every run); BODYCAM_PROPERTY_SEED=random explores new ones. */
const seedEnv = process.env.BODYCAM_PROPERTY_SEED ?? '20261203';
const seed = seedEnv === 'random' ? undefined : Number(seedEnv);

const devices = new Map<number, Promise<DeviceFormat>>();

function deviceOf(quality: number): Promise<DeviceFormat> {
  let device = devices.get(quality);
  if (device === undefined) {
    device = sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
      .jpeg({ quality, chromaSubsampling: '4:2:0', optimiseCoding: false }).toBuffer().then((template) => {
        const format = deviceFormat(new Uint8Array(template));
        if (typeof format === 'string') throw new Error(format);
        return format;
      });
    devices.set(quality, device);
  }
  return device;
}

/** The transcode as the encoder runs it, with one loop or the other: the frame's bytes, or the refusal's reason. */
function transcodeWith(loop: TranscodeLoop, source: Uint8Array, device: DeviceFormat, overlay: PixelRect | null): { bytes: string } | { reason: string } {
  const plan = planTranscode(source, device, overlay, { bandJpeg: false, loop });
  if ('reason' in plan) return { reason: plan.reason };
  // A flat grey box stands for the burn-in: the covered MCUs go through pixels either way.
  const out = finishTranscodeDrawn(plan, (rgb) => rgb.fill(128));
  return 'reason' in out ? { reason: out.reason } : { bytes: Buffer.from(out).toString('base64') };
}

/** `frame` with its scan damaged: `count` bytes after the headers set to `value`, or the scan cut at `cut` (a fraction) and ended. */
function damaged(frame: Uint8Array, damage: { readonly kind: 'bytes'; readonly at: readonly number[]; readonly value: number } | { readonly kind: 'cut'; readonly at: number }): Uint8Array {
  const { jpeg } = parsedScan(frame);
  const start = jpeg.scanDataStart;
  const scanLength = frame.length - 2 - start;
  if (damage.kind === 'cut') return Uint8Array.from([...frame.subarray(0, start + Math.floor(scanLength * damage.at)), 0xff, 0xd9]);
  const copy = frame.slice();
  // Not 0xFF: the damage is to the coded bits, not a marker the unstuffing would stop at.
  for (const at of damage.at) copy[start + Math.floor(at * scanLength)] = damage.value === 0xff ? 0xfe : damage.value;
  return copy;
}

afterEach(() => setWasmOutRoom(Infinity));

describe('the transcode loop in WebAssembly', () => {
  it('gives the JavaScript loop\'s bytes or its refusal, on any frame and any damage to its scan', async () => {
    const reasons = new Set<string>();
    let frames = 0;
    const pausesBefore = wasmTranscodeStats.pauses;
    const cases = fc.record({
      width: fc.integer({ min: 8, max: 240 }),
      height: fc.integer({ min: 8, max: 180 }),
      quality: fc.integer({ min: 10, max: 100 }),
      deviceQuality: fc.integer({ min: 20, max: 100 }),
      optimiseCoding: fc.boolean(),
      restartInterval: fc.constantFrom(0, 0, 1, 5, 33),
      seed: fc.integer({ min: 1, max: 100_000 }),
      overlay: fc.option(fc.record({ left: fc.double({ min: 0, max: 0.99, noNaN: true }), top: fc.double({ min: 0, max: 0.99, noNaN: true }) })),
      smallRoom: fc.boolean(),
      damage: fc.oneof(
        fc.constant(null),
        fc.record({ kind: fc.constant('bytes' as const), at: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 4 }), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0.05, max: 0.999, noNaN: true }) }),
      ),
    });
    await fc.assert(fc.asyncProperty(cases, async (c) => {
      const plain = await makeFrame({ width: c.width, height: c.height, quality: c.quality, chromaSubsampling: '4:2:0', optimiseCoding: c.optimiseCoding, seed: c.seed });
      // The helper that writes restart markers codes with the frame's own tables: standard ones.
      const frame = c.restartInterval > 0 && !c.optimiseCoding ? withRestartMarkers(plain, c.restartInterval) : plain;
      const source = c.damage === null ? frame : damaged(frame, c.damage);
      const overlay = c.overlay === null ? null : { left: Math.floor(c.overlay.left * c.width), top: Math.floor(c.overlay.top * c.height), width: 40, height: 12 };
      const device = await deviceOf(c.deviceQuality);
      setWasmOutRoom(c.smallRoom ? 0 : Infinity);
      const wasm = transcodeWith('wasm', source, device, overlay);
      const js = transcodeWith('js', source, device, overlay);
      expect(wasm).toEqual(js);
      if ('reason' in js) reasons.add(js.reason.replace(/-?\d+/g, 'N'));
      else frames += 1;
    }), { numRuns: 80, seed });
    // The cases reached both outcomes, several of the loop's own errors, and its pause and resume.
    expect(frames).toBeGreaterThan(20);
    expect([...reasons].filter((reason) => /code word at bit|index past 63|data ends inside an MCU|DC size/.test(reason)).length).toBeGreaterThan(1);
    expect(wasmTranscodeStats.pauses).toBeGreaterThan(pausesBefore);
  });

  it('gives the JavaScript loop\'s refusal for each way a scan or a requantised value can fail it', async () => {
    // Frames of 32x32 at quality 10 whose first block is written here: coefficients that the
    // device at quality 100 (steps of 1) cannot code, or bits that are no code word.
    const template = await makeFrame({ width: 32, height: 32, quality: 10, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 5 });
    const { jpeg, layout } = parsedScan(template);
    const device = await deviceOf(100);
    const scanWith = (dc: number, ac: readonly [number, number][], cutAfterDc = false): Uint8Array => {
      const writer = new EntropyWriter(4096);
      const first = new Int16Array(BLOCK_SIZE);
      for (const [k, value] of ac) first[k] = value;
      for (let mcu = 0; mcu < layout.mcusX * layout.mcusY; mcu += 1) {
        for (let b = 0; b < layout.blocksPerMcu; b += 1) {
          const coefficients = mcu === 0 && b === 0 ? first : new Int16Array(BLOCK_SIZE);
          if (mcu === 0 && b === 0 && cutAfterDc) {
            writer.put(layout.blockDc[b]!.encode.codes[0]!, layout.blockDc[b]!.encode.lengths[0]!);
            writer.put(0xffff, 16); // all ones: no code word of the AC table
            writer.put(0xffff, 16);
            continue;
          }
          expect(writer.block(coefficients, 0, mcu === 0 && b === 0 ? dc : 0, layout.blockDc[b]!.encode, layout.blockAc[b]!.encode)).toBe(true);
        }
      }
      writer.padToByte();
      return Uint8Array.from([...template.subarray(0, jpeg.scanDataStart), ...writer.result(), 0xff, 0xd9]);
    };
    // An overlay on the last MCU puts the first in the ring around it: decoded, then coded from
    // the stored coefficients (codeStoredMcus) instead of in the fused loop.
    const ring = { left: 16, top: 16, width: 8, height: 8 };
    const cases: [Uint8Array, PixelRect | null, RegExp][] = [
      [scanWith(2047, []), null, /^a DC difference of \d+ has no code word$/],
      [scanWith(0, [[1, 1000]]), null, /^a requantised coefficient of \d+ is out of baseline range$/],
      [scanWith(0, [[40, -900]]), null, /^a requantised coefficient of \d+ is out of baseline range$/],
      [scanWith(0, [], true), null, /^no AC code word at bit 2$/],
      [scanWith(2047, []), ring, /^a DC difference of \d+ has no code word$/],
      [scanWith(0, [[1, 1000]]), ring, /^a coefficient of \d+ is out of baseline range$/],
    ];
    for (const [source, overlay, reason] of cases) {
      const js = transcodeWith('js', source, device, overlay);
      expect(js).toEqual({ reason: expect.stringMatching(reason) });
      expect(transcodeWith('wasm', source, device, overlay)).toEqual(js);
    }
  });

  it('hands a scan whose DC values run far past baseline to the JavaScript loop, with the same result', async () => {
    // A 256x144 frame at quality 100 whose every luma block adds 2047 to the DC: past 2^20 after
    // 513 blocks (the WebAssembly's integers hold the requantised values exactly up to there).
    const template = await makeFrame({ width: 256, height: 144, quality: 100, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 3 });
    const { jpeg, layout } = parsedScan(template);
    const writer = new EntropyWriter(65_536);
    const zeros = new Int16Array(BLOCK_SIZE);
    for (let mcu = 0; mcu < layout.mcusX * layout.mcusY; mcu += 1) {
      for (let b = 0; b < layout.blocksPerMcu; b += 1) {
        const luma = layout.blockScanComponent[b] === 0;
        expect(writer.block(zeros, 0, luma ? 2047 : 0, layout.blockDc[b]!.encode, layout.blockAc[b]!.encode)).toBe(true);
      }
    }
    writer.padToByte();
    const source = Uint8Array.from([...template.subarray(0, jpeg.scanDataStart), ...writer.result(), 0xff, 0xd9]);
    const device = await deviceOf(80);
    const bailsBefore = wasmTranscodeStats.bails;
    const wasm = transcodeWith('wasm', source, device, null);
    expect(wasmTranscodeStats.bails).toBe(bailsBefore + 1);
    expect(wasm).toEqual(transcodeWith('js', source, device, null));
    expect(wasm).toHaveProperty('bytes');
  });
});
