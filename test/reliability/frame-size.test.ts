/**
 * Issue 14: frame sizes the pipeline cannot handle are refused up front (exit 2), and the burn-in
 * works at every accepted size. A 16000x16000 PNG used to be accepted and then every frame was
 * dropped (the burn-in's font scale went past 64 above a height of 13932), leaving a 0-frame
 * recording marked complete.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MatroskaWriter, MemoryByteSink } from '../../src/container/index.js';
import { BurnIn } from '../../src/encoder/index.js';
import { MAX_FRAME_HEIGHT, MAX_FRAME_PIXELS, MAX_FRAME_WIDTH } from '../../src/fixture/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { bodycam } from '../helpers/main-in-process.js';
import { requireTestTool, tempDir } from '../helpers/tools.js';

beforeAll(() => requireTestTool('ffprobe'));

const ORIGIN = { epochMs: Date.UTC(2026, 10, 22, 13, 0, 0), offsetMinutes: 60 };

/** A fixture of `frames` frames (grey with a gradient) at `width`x`height`. */
async function fixtureOf(width: number, height: number, format: 'jpeg' | 'png', frames = 3, quality = 80): Promise<string> {
  const dir = join(tempDir('size'), 'fixture');
  mkdirSync(join(dir, 'frames'), { recursive: true });
  for (let i = 0; i < frames; i += 1) {
    const image = sharp({ create: { width, height, channels: 3, background: { r: 40 + i * 20, g: 90, b: 140 } } });
    const bytes = format === 'jpeg' ? await image.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer() : await image.png().toBuffer();
    writeFileSync(join(dir, 'frames', `${i}.${format === 'jpeg' ? 'jpg' : 'png'}`), bytes);
  }
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { frames: `frames/%d.${format === 'jpeg' ? 'jpg' : 'png'}`, fps: 10 } }));
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ format: 'bodycam-scenario/1', events: [{ at: 0.1, press: 'record' }] }));
  return dir;
}

/** Runs the fixture and checks every frame is in a recording ffprobe opens, at the frame's size. */
async function recordsEveryFrame(dir: string, width: number, height: number, frames: number): Promise<void> {
  const out = join(tempDir('size-out'), 'out');
  const result = await bodycam('run', dir, '--scenario', join(dir, 'scenario.json'), '--out', out);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const events = readFileSync(join(out, 'events.jsonl'), 'utf8');
  expect(events).not.toContain('"frame.drop"');
  const manifests = readdirSync(join(out, 'recordings')).filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(out, 'recordings', f), 'utf8')) as RecordingManifest);
  expect(manifests).toHaveLength(1);
  const manifest = manifests[0] as RecordingManifest;
  expect(manifest.video.frames).toBe(frames);
  expect([manifest.video.width, manifest.video.height]).toEqual([width, height]);
  const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0',
    join(out, 'recordings', manifest.file)], { encoding: 'utf8' });
  expect(probe.stderr).toBe('');
  expect(probe.stdout.trim()).toBe(`${width},${height},${frames}`);
}

describe('the largest frame', () => {
  it('is 4096 pixels a side and 4K UHD in area', () => {
    expect([MAX_FRAME_WIDTH, MAX_FRAME_HEIGHT, MAX_FRAME_PIXELS]).toEqual([4096, 4096, 3840 * 2160]);
  });

  it.each([
    ['16000x16000 (every frame used to be dropped)', 16000, 16000],
    ['4097x2000: one pixel too wide', 4097, 2000],
    ['4096x2026: over 4K UHD in area', 4096, 2026],
    ['3841x2160: over 4K UHD in area', 3841, 2160],
    ['2000x4097: one pixel too tall', 2000, 4097],
  ])('%s is refused up front, exit 2, nothing written', async (_name, width, height) => {
    // A small frame whose header claims the size: the check reads the header, never decodes.
    const dir = await fixtureOf(64, 32, 'png', 1);
    const path = join(dir, 'frames', '0.png');
    const bytes = new Uint8Array(readFileSync(path));
    const view = new DataView(bytes.buffer);
    view.setUint32(16, width);
    view.setUint32(20, height);
    writeFileSync(path, bytes);
    const out = join(tempDir('size-out'), 'out');
    const result = await bodycam('run', dir, '--out', out);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`0\\.png: header: expected a whole JPEG or PNG frame, found PNG of ${width}x${height} pixels \\(at most 4096 a side and 8294400 in all, as 3840x2160\\)`));
    expect(() => readdirSync(out)).toThrow();
  });

  it('a device size over the limit in a config is refused (exit 2)', async () => {
    const dir = await fixtureOf(64, 32, 'jpeg', 1);
    const config = join(dir, 'big.json');
    for (const video of [{ width: 4097 }, { height: 4097 }, { width: 4096, height: 4096 }]) {
      writeFileSync(config, JSON.stringify({ video }));
      const result = await bodycam('run', dir, '--config', config, '--out', join(tempDir('size-out'), 'out'));
      expect(result.status, JSON.stringify(video)).toBe(2);
      expect(result.stderr).toMatch(/big\.json: video\.(width|height): expected/);
    }
  });

  it('a Matroska source of frames over the limit is refused (exit 2)', async () => {
    const sink = new MemoryByteSink(4096);
    const writer = new MatroskaWriter(sink, { video: { width: 5000, height: 100, frameDurationUs: 100_000 }, audio: null, writingApp: 'test' });
    for (let i = 0; i < 3; i += 1) writer.addVideoFrame(i * 100_000, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), true);
    writer.finalize(300_000);
    const file = join(tempDir('size-mkv'), 'wide.mkv');
    writeFileSync(file, sink.toBytes());
    const result = await bodycam('run', file, '--out', join(tempDir('size-out'), 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/wide\.mkv: Tracks: track 1: expected frames at most 4096 a side .*found 5000x100/);
  });
});

describe('the burn-in works at every accepted size', () => {
  it('fits in the frame or uses the smallest font, for any width and height (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_FRAME_WIDTH }), fc.integer({ min: 1, max: MAX_FRAME_HEIGHT }), (width, height) => {
      const burnIn = new BurnIn({ origin: ORIGIN, deviceId: 'DRD-BC-0001', officerId: 'H-0001' }, width, height);
      const box = burnIn.boxAt(0);
      expect(burnIn.scale).toBeGreaterThanOrEqual(1);
      expect(burnIn.scale).toBeLessThanOrEqual(64);
      if (burnIn.scale > 1) {
        expect(box.left + box.width).toBeLessThanOrEqual(width);
        expect(box.top).toBeGreaterThanOrEqual(0);
      }
      const pixels = new Uint8Array(width * height * 3);
      burnIn.drawInto(pixels, 3, 0);
    }), { numRuns: 60 });
  });

  it('does not throw at a height of 13932 and more (the font scale stops at 64)', () => {
    for (const height of [13931, 13932, 16384, 65535]) {
      expect(() => new BurnIn({ origin: ORIGIN, deviceId: 'DRD-BC-0001', officerId: 'H-0001' }, 65535, height).boxAt(0)).not.toThrow();
    }
  });

  it.each([
    ['1x1 PNG', 1, 1, 'png'], ['1x1 JPEG', 1, 1, 'jpeg'], ['16x16 JPEG', 16, 16, 'jpeg'], ['17x9 PNG', 17, 9, 'png'],
    ['3840x2160 JPEG (the largest)', 3840, 2160, 'jpeg'], ['2025x4096 PNG (the largest, portrait)', 2025, 4096, 'png'],
  ] as const)('%s: every frame recorded, ffprobe opens it', async (_name, width, height, format) => {
    await recordsEveryFrame(await fixtureOf(width, height, format), width, height, 3);
  }, 60_000);
});
