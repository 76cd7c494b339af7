/**
 * Issue 5, encoder profiles: output size and frame rate other than the fixture's (exact drop/repeat
 * rule), JPEG quality, a bitrate cap kept on every frame, and passthrough of frames that need no change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import type { DeviceProfileOverrides } from '../../src/device/index.js';
import { jpegQualityOf } from '../../src/jpeg/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { planFrameRate } from '../../src/source/frame-rate.js';
import { runJob } from '../../src/sim/run-job.js';
import { type TestFixture, makeFixture } from '../helpers/make-fixture.js';
import { requireTestTool, tempDir } from '../helpers/tools.js';

let fixture: TestFixture;

beforeAll(async () => {
  requireTestTool('ffprobe');
  fixture = await makeFixture({
    fps: 10, frames: 80, width: 320, height: 180, jitterUs: 3_000,
    scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 3 }, events: [{ at: 4, press: 'record' }] },
  });
});

async function record(device: DeviceProfileOverrides): Promise<{ manifest: RecordingManifest; frames: { timestampUs: number; payload: Uint8Array }[] }> {
  const outDir = tempDir('profile');
  const configFile = join(outDir, 'config.json');
  (await import('node:fs')).writeFileSync(configFile, JSON.stringify(device));
  const result = await runJob({ source: fixture.dir, configFile, outDir });
  const manifest = result.recordings[0] as RecordingManifest;
  const file = readMatroska(new Uint8Array(readFileSync(join(outDir, 'recordings', manifest.file))));
  return { manifest, frames: file.blocks.filter((b) => b.trackNumber === 1) };
}

describe('encoder profiles', () => {
  it('scales to the profile size', async () => {
    const { manifest, frames } = await record({ video: { width: 160, height: 90 } });
    expect(manifest.video).toMatchObject({ width: 160, height: 90 });
    const meta = await sharp(frames[0]?.payload).metadata();
    expect([meta.width, meta.height]).toEqual([160, 90]);
  });

  it('converts 10 fps to 25 fps by repeating frames on the device grid, exactly as documented', async () => {
    const { manifest, frames } = await record({ video: { fps: 25, burnIn: false } });
    const endUs = (fixture.captureUs[fixture.captureUs.length - 1] ?? 0) + 100_000;
    const plan = planFrameRate(fixture.captureUs, endUs, 25);
    const T = 4_050_000;
    const expected = plan.captureUs.map((t, k) => ({ t, source: plan.sourceIndex[k] ?? 0 })).filter(({ t }) => t >= T - 3_000_000);
    expect(manifest.video.frames).toBe(expected.length);
    expect(manifest.video.firstFrameUs).toBe(expected[0]?.t);
    expect(frames.map((f) => f.timestampUs)).toEqual(expected.map(({ t }) => Math.round((t - (expected[0]?.t ?? 0)) / 100) * 100));
    // A repeated source frame encodes to the same bytes (no burn-in): repeats are real repeats.
    for (let k = 1; k < expected.length; k += 1) {
      const same = expected[k]?.source === expected[k - 1]?.source;
      expect(Buffer.from(frames[k]?.payload ?? []).equals(Buffer.from(frames[k - 1]?.payload ?? [])), `slot ${k}`).toBe(same);
    }
  });

  it('converts 10 fps to 4 fps by dropping frames', async () => {
    const { manifest } = await record({ video: { fps: 4 } });
    const endUs = (fixture.captureUs[fixture.captureUs.length - 1] ?? 0) + 100_000;
    const slots = planFrameRate(fixture.captureUs, endUs, 4).captureUs.filter((t) => t >= 1_050_000);
    expect(manifest.video.frames).toBe(slots.length);
  });

  it('encodes at the profile quality', async () => {
    const { frames } = await record({ video: { jpegQuality: 55 } });
    expect(jpegQualityOf(frames[0]?.payload ?? new Uint8Array())).toBe(55);
  });

  it('keeps every frame under the bitrate cap, lowering quality only where needed', async () => {
    const free = await record({ video: { jpegQuality: 95 } });
    const freeBytes = Math.max(...free.frames.map((f) => f.payload.byteLength));
    const capKbps = Math.floor(((freeBytes * 0.6) * 8 * 10) / 1000);
    const capped = await record({ video: { jpegQuality: 95, maxBitrateKbps: capKbps } });
    const budget = Math.floor((capKbps * 1000 * 100_000) / 8 / 1_000_000);
    for (const frame of capped.frames) expect(frame.payload.byteLength).toBeLessThanOrEqual(budget);
    const qualities = capped.frames.map((f) => jpegQualityOf(f.payload) ?? 0);
    expect(Math.max(...qualities)).toBeLessThan(95);
    expect(Math.min(...qualities)).toBeGreaterThanOrEqual(5);
    // Any one-second window of the stream stays under the cap.
    const times = capped.frames.map((f) => f.timestampUs);
    for (let i = 0; i < times.length; i += 1) {
      let bytes = 0;
      for (let j = i; j < times.length && (times[j] ?? 0) < (times[i] ?? 0) + 1_000_000; j += 1) bytes += capped.frames[j]?.payload.byteLength ?? 0;
      expect(bytes * 8 / 1000).toBeLessThanOrEqual(capKbps * 1.1); // jitter can put an 11th frame in a window
    }
  });

  it('passes frames through untouched when nothing would change them', async () => {
    const { frames, manifest } = await record({ video: { burnIn: false, jpegQuality: 70 } });
    const firstIndex = fixture.captureUs.indexOf(manifest.video.firstFrameUs ?? -1);
    expect(firstIndex).toBeGreaterThanOrEqual(0);
    frames.forEach((frame, k) => {
      const original = readFileSync(join(fixture.dir, 'frames', `${String(firstIndex + k).padStart(6, '0')}.jpg`));
      expect(Buffer.from(frame.payload).equals(original), `frame ${k}`).toBe(true);
    });
  });
});
