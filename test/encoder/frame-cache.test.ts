/**
 * The frame cache (src/encoder/frame-cache.ts): a frame encoded once comes back from the cache
 * byte for byte; anything its bytes depend on (the frame, its capture time, the settings, the
 * quality asked for) gives another key; a torn or altered entry is a miss, never a wrong frame;
 * the folder stays within its bound; and the environment's switch and folder are honoured.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameEncoder } from '../../src/encoder/index.js';
import { FrameCache, frameCacheFromEnv } from '../../src/encoder/frame-cache.js';
import { parseWallClock } from '../../src/time/index.js';
import { makeFrame } from '../helpers/jpeg-frames.js';
import { tempDir } from '../helpers/tools.js';

const burnIn = { origin: parseWallClock('2026-11-22T14:00:00+01:00'), deviceId: 'DRD-BC-0001', officerId: 'H-0001' };
const encoderWith = (frameCache: FrameCache | null, jpegQuality = 80) => new FrameEncoder({
  sourceWidth: 320, sourceHeight: 240, outputWidth: 320, outputHeight: 240, jpegQuality, burnIn, passthrough: true, frameCache,
});
const entriesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).flatMap((shard) => readdirSync(join(dir, shard)).map((name) => join(dir, shard, name))) : []);

describe('the frame cache', () => {
  it('gives back the bytes the encoder made, for each of its paths, and counts the hits', async () => {
    const dir = tempDir('frame-cache');
    const atOtherQuality = await makeFrame({ width: 320, height: 240, quality: 55, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 3 });
    const atDeviceQuality = await makeFrame({ width: 320, height: 240, quality: 80, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 4 });
    const whole = await makeFrame({ width: 320, height: 240, quality: 80, chromaSubsampling: '4:4:4', optimiseCoding: true, seed: 5 });
    const frames = [atOtherQuality, atDeviceQuality, whole];
    const uncached = encoderWith(null);
    const expected = await Promise.all(frames.map((frame) => uncached.encode(frame, 2_000_000)));
    expect(uncached.paths).toEqual({ passthrough: 0, blocks: 1, requantised: 1, frame: 1, cached: 0 });

    const cold = encoderWith(new FrameCache({ dir, maxBytes: 1e8 }));
    const first = await Promise.all(frames.map((frame) => cold.encode(frame, 2_000_000)));
    expect(cold.paths).toEqual({ passthrough: 0, blocks: 1, requantised: 1, frame: 1, cached: 0 });
    expect(entriesIn(dir)).toHaveLength(3);

    const warmCache = new FrameCache({ dir, maxBytes: 1e8 });
    const warm = encoderWith(warmCache);
    const second = await Promise.all(frames.map((frame) => warm.encode(frame, 2_000_000)));
    expect(warm.paths).toEqual({ passthrough: 0, blocks: 0, requantised: 0, frame: 0, cached: 3 });
    expect(warmCache.stats).toMatchObject({ hits: 3, misses: 0, writes: 0 });
    for (const [i, result] of expected.entries()) {
      if (!result.ok || !first[i]?.ok || !second[i]?.ok) throw new Error('encode failed');
      expect(Buffer.from(first[i].jpeg).equals(Buffer.from(result.jpeg))).toBe(true);
      expect(Buffer.from(second[i].jpeg).equals(Buffer.from(result.jpeg))).toBe(true);
      expect(second[i].quality).toBe(result.quality);
    }
  });

  it('keys a frame by its bytes, capture time, quality and encoder settings', async () => {
    const cache = new FrameCache({ dir: tempDir('frame-cache-keys'), maxBytes: 1e8 });
    const frame = await makeFrame({ width: 64, height: 64, quality: 60, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 1 });
    const altered = frame.slice();
    altered[altered.length - 3] = (altered[altered.length - 3] ?? 0) ^ 1;
    const settings = { burnIn, jpegQuality: 80 };
    const keys = [
      cache.keyOf(frame, 1_000_000, 80, settings),
      cache.keyOf(altered, 1_000_000, 80, settings),
      cache.keyOf(frame, 1_000_001, 80, settings),
      cache.keyOf(frame, 1_000_000, 79, settings),
      cache.keyOf(frame, 1_000_000, 80, { ...settings, burnIn: { ...burnIn, officerId: 'H-0002' } }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(cache.keyOf(frame.slice(), 1_000_000, 80, { ...settings })).toBe(keys[0]);
  });

  it('takes a torn or altered entry for a miss and encodes the frame again', async () => {
    const dir = tempDir('frame-cache-torn');
    const frame = await makeFrame({ width: 320, height: 240, quality: 55, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 7 });
    const expected = await encoderWith(null).encode(frame, 0);
    await encoderWith(new FrameCache({ dir, maxBytes: 1e8 })).encode(frame, 0);
    const [entry] = entriesIn(dir);
    if (entry === undefined || !expected.ok) throw new Error('no entry written');
    const bytes = readFileSync(entry);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0x10; // one bit of the JPEG
    writeFileSync(entry, bytes);
    const altered = encoderWith(new FrameCache({ dir, maxBytes: 1e8 }));
    const again = await altered.encode(frame, 0);
    expect(altered.paths).toMatchObject({ requantised: 1, cached: 0 });
    if (!again.ok) throw new Error('encode failed');
    expect(Buffer.from(again.jpeg).equals(Buffer.from(expected.jpeg))).toBe(true);
    writeFileSync(entry, bytes.subarray(0, 40)); // torn inside its header
    const torn = encoderWith(new FrameCache({ dir, maxBytes: 1e8 }));
    await torn.encode(frame, 0);
    expect(torn.paths).toMatchObject({ requantised: 1, cached: 0 });
  });

  it('answers lookups from the folder as it first saw it: an entry another process writes meanwhile is the next run\'s', async () => {
    const dir = tempDir('frame-cache-index');
    const frame = await makeFrame({ width: 320, height: 240, quality: 55, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 11 });
    const running = encoderWith(new FrameCache({ dir, maxBytes: 1e8 }));
    await running.encode(frame, 0); // its first look: an empty folder; it writes the entry for 0
    await encoderWith(new FrameCache({ dir, maxBytes: 1e8 })).encode(frame, 1_000_000); // "another process" writes the entry for 1 s
    await running.encode(frame, 1_000_000);
    await running.encode(frame, 0);
    expect(running.paths).toMatchObject({ requantised: 2, cached: 1 }); // its own entry hits, the other's is not looked for
    const next = encoderWith(new FrameCache({ dir, maxBytes: 1e8 }));
    await next.encode(frame, 1_000_000);
    await next.encode(frame, 0);
    expect(next.paths).toMatchObject({ requantised: 0, cached: 2 });
  });

  it('keeps the folder within its bound, removing the oldest entries first', async () => {
    const dir = tempDir('frame-cache-bound');
    const frame = await makeFrame({ width: 320, height: 240, quality: 55, chromaSubsampling: '4:2:0', optimiseCoding: true, seed: 9 });
    const probe = await encoderWith(null).encode(frame, 0);
    if (!probe.ok) throw new Error('encode failed');
    const maxBytes = Math.floor((probe.jpeg.length + 44) * 4.5);
    const cache = new FrameCache({ dir, maxBytes });
    const encoder = encoderWith(cache);
    for (let second = 0; second < 12; second += 1) await encoder.encode(frame, second * 1_000_000);
    const sizes = entriesIn(dir).map((file) => readFileSync(file).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(maxBytes);
    expect(cache.stats.writes).toBe(12);
    expect(cache.stats.evictions).toBe(12 - sizes.length);
    // The newest entry is still there: encoding it again hits.
    const again = encoderWith(new FrameCache({ dir, maxBytes }));
    await again.encode(frame, 11_000_000);
    expect(again.paths.cached).toBe(1);
  });

  it('reads its switch, folder and bound from the environment', () => {
    expect(frameCacheFromEnv({ BODYCAM_FRAME_CACHE: 'off' })).toBeNull();
    expect(frameCacheFromEnv({ BODYCAM_FRAME_CACHE: '0' })).toBeNull();
    expect(frameCacheFromEnv({ BODYCAM_FRAME_CACHE_DIR: '/x/y', BODYCAM_FRAME_CACHE_MB: '5' })).toEqual({ dir: '/x/y', maxBytes: 5 * 1024 * 1024 });
    expect(frameCacheFromEnv({ XDG_CACHE_HOME: '/c' })).toEqual({ dir: '/c/bodycam-sim/frames', maxBytes: 1024 * 1024 * 1024 });
  });
});
