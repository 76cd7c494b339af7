/**
 * The coefficient transcode's WebAssembly loop (src/jpeg/wasm-transcode.ts) against the JavaScript
 * reference it replaces (src/jpeg/requantise.ts): on random frames (sizes, qualities of source and
 * device, optimised or standard Huffman tables, restart intervals, an overlay anywhere or none) and
 * on the same frames with their scans damaged (bytes changed, the scan cut short), both give the
 * same bytes, or refuse with the same reason. Also with the output room made small, so the loop
 * pauses and resumes mid-scan, and on a scan whose DC values leave the range the WebAssembly
 * handles itself, where it hands the call to JavaScript. The same for the coder of stored blocks
 * (the ring around the burn-in, and the blocks redrawn under it), `codeStoredMcus`. And the
 * scan's other two loops, entropy-decoder.ts's `decodeMcus` and `walkMcus`, against their
 * WebAssembly forms, call by call on random stretches of random (and damaged) scans: the same
 * coefficients, MCU bits, bit position, predictors, noted long code words and refusals.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, type DeviceFormat, EntropyWriter, type PixelRect, type TranscodeLoop, deviceFormat, finishTranscodeDrawn, planTranscode } from '../../src/jpeg/index.js';
import { type Reader, decodeMcus, newReader, restart, walkMcus } from '../../src/jpeg/entropy-decoder.js';
import { decodeMcusWasm, setWasmOutRoom, walkMcusWasm, wasmTranscodeStats } from '../../src/jpeg/wasm-transcode.js';
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

/** A scan read in stretches of `plan`'s lengths, each decoded (odd index) or walked (even), with one pair of loops: everything they give. */
function readScan(
  loops: { readonly decode: typeof decodeMcus; readonly walk: typeof walkMcus },
  source: Uint8Array, restartInterval: number, plan: readonly number[],
): { steps: unknown[]; coefficients: number[]; mcuBits: number[]; noted: number[] } {
  const { layout, data } = parsedScan(source);
  const total = layout.mcusX * layout.mcusY;
  const mcuSize = layout.blocksPerMcu * BLOCK_SIZE;
  const coefficients = new Int16Array(total * mcuSize);
  const mcuBits = new Int32Array(total + 1);
  const reader: Reader = newReader();
  const steps: unknown[] = [];
  let step = 0;
  for (let mcu = 0; mcu < total;) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      const problem = restart(data, reader, mcu);
      if (problem !== null) {
        steps.push(problem);
        break;
      }
    }
    let end = Math.min(total, mcu + (plan[step % plan.length] ?? 1));
    if (restartInterval > 0) end = Math.min(end, (Math.floor(mcu / restartInterval) + 1) * restartInterval);
    const decoding = step % 2 === 1;
    const problem = decoding ? loops.decode(data, layout, reader, mcu, end, 0, coefficients, mcuBits) : loops.walk(data, layout, reader, end - mcu);
    // On a refusal the caller gives up: only the message is the loops' contract then.
    steps.push(problem ?? [mcu, end, reader.pos * 8 - reader.bits, [...reader.predictors]]);
    if (problem !== null) break;
    step += 1;
    mcu = end;
  }
  const last = steps.at(-1);
  const failed = typeof last === 'string';
  return {
    steps,
    coefficients: failed ? [] : [...coefficients],
    mcuBits: failed ? [] : [...mcuBits],
    noted: failed ? [] : [...reader.noted.bit.subarray(0, reader.noted.count), ...reader.noted.word.subarray(0, reader.noted.count)],
  };
}

const JS_LOOPS = { decode: decodeMcus, walk: walkMcus };
const WASM_LOOPS = { decode: decodeMcusWasm, walk: walkMcusWasm };

describe('the scan\'s decoding and walking in WebAssembly', () => {
  it('gives the JavaScript loops\' coefficients, bits, state, noted code words or refusal, on any frame and any damage', async () => {
    const reasons = new Set<string>();
    let whole = 0;
    let noted = 0;
    const cases = fc.record({
      width: fc.integer({ min: 8, max: 240 }),
      height: fc.integer({ min: 8, max: 180 }),
      quality: fc.integer({ min: 10, max: 100 }),
      optimiseCoding: fc.boolean(),
      restartInterval: fc.constantFrom(0, 0, 1, 5, 33),
      seed: fc.integer({ min: 1, max: 100_000 }),
      plan: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 6 }),
      damage: fc.oneof(
        fc.constant(null),
        fc.record({ kind: fc.constant('bytes' as const), at: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 4 }), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0.05, max: 0.999, noNaN: true }) }),
      ),
    });
    await fc.assert(fc.asyncProperty(cases, async (c) => {
      const plain = await makeFrame({ width: c.width, height: c.height, quality: c.quality, chromaSubsampling: '4:2:0', optimiseCoding: c.optimiseCoding, seed: c.seed });
      const frame = c.restartInterval > 0 && !c.optimiseCoding ? withRestartMarkers(plain, c.restartInterval) : plain;
      const source = c.damage === null ? frame : damaged(frame, c.damage);
      const restartInterval = parsedScan(source).jpeg.restartInterval;
      const js = readScan(JS_LOOPS, source, restartInterval, c.plan);
      const wasm = readScan(WASM_LOOPS, source, restartInterval, c.plan);
      expect(wasm).toEqual(js);
      const last = js.steps.at(-1);
      if (typeof last === 'string') reasons.add(last.replace(/-?\d+/g, 'N'));
      else whole += 1;
      noted += js.noted.length;
    }), { numRuns: 80, seed });
    // Whole scans and refusals both, several kinds of refusal, and long code words noted.
    expect(whole).toBeGreaterThan(20);
    expect([...reasons].filter((reason) => /code word at bit|index past 63|data ends inside an MCU|DC size/.test(reason)).length).toBeGreaterThan(1);
    expect(noted).toBeGreaterThan(0);
  });

  it('reports an index past 63 where each JavaScript loop does: the walk after the value\'s bits, the decoding before them', async () => {
    // The first block of a 16x16 frame: 62 ones, then at index 63 a symbol with a run, which
    // passes 63 (from the lookup of short code words and values, or from the slow path).
    const template = await makeFrame({ width: 16, height: 16, quality: 50, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 9 });
    const { jpeg, layout } = parsedScan(template);
    const dc = layout.blockDc[0]!.encode;
    const ac = layout.blockAc[0]!.encode;
    for (const [run, size] of [[1, 1], [2, 1], [1, 9], [15, 0], [3, 2]] as const) {
      const writer = new EntropyWriter(4096);
      writer.put(dc.codes[0]!, dc.lengths[0]!);
      for (let k = 1; k < 63; k += 1) writer.put((ac.codes[1]! << 1) | 1, ac.lengths[1]! + 1);
      const symbol = (run << 4) | size;
      writer.put(ac.codes[symbol]!, ac.lengths[symbol]!);
      if (size > 0) writer.put((1 << size) - 1, size);
      writer.put(0, 16); // zeros to the end of the block (put takes at most 24 bits)
      writer.put(0, 16);
      writer.padToByte();
      const source = Uint8Array.from([...template.subarray(0, jpeg.scanDataStart), ...writer.result(), 0xff, 0xd9]);
      const bits: number[] = [];
      for (const plan of [[1], [0, 1]]) {
        const js = readScan(JS_LOOPS, source, 0, plan);
        const reason = js.steps.at(-1);
        expect(reason).toMatch(/^AC coefficient index past 63 at bit \d+$/);
        bits.push(Number(String(reason).replace(/\D+/g, ' ').trim().split(' ').at(-1)));
        expect(readScan(WASM_LOOPS, source, 0, plan)).toEqual(js);
      }
      expect(bits[0]! - bits[1]!).toBe(size);
    }
  });

  it('hands a call with more long code words than its room to the JavaScript loop, with the same result', async () => {
    // A 256x144 frame whose every AC coefficient is 1000 (size 10: a 16-bit code word in the
    // standard tables): 54,432 long code words, past the WebAssembly's room of 8,192 a call.
    const template = await makeFrame({ width: 256, height: 144, quality: 50, chromaSubsampling: '4:2:0', optimiseCoding: false, seed: 3 });
    const { jpeg, layout } = parsedScan(template);
    const writer = new EntropyWriter(1 << 20);
    const big = new Int16Array(BLOCK_SIZE).fill(1000);
    for (let mcu = 0; mcu < layout.mcusX * layout.mcusY; mcu += 1) {
      for (let b = 0; b < layout.blocksPerMcu; b += 1) expect(writer.block(big, 0, 0, layout.blockDc[b]!.encode, layout.blockAc[b]!.encode)).toBe(true);
    }
    writer.padToByte();
    const source = Uint8Array.from([...template.subarray(0, jpeg.scanDataStart), ...writer.result(), 0xff, 0xd9]);
    for (const plan of [[100_000], [1, 100_000]]) {
      const bailsBefore = wasmTranscodeStats.bails;
      const wasm = readScan(WASM_LOOPS, source, 0, plan);
      expect(wasmTranscodeStats.bails).toBe(bailsBefore + 1);
      const js = readScan(JS_LOOPS, source, 0, plan);
      expect(wasm).toEqual(js);
      expect(js.noted.length / 2).toBeGreaterThan(8192);
    }
  });
});
