/**
 * Issue 14, the reported loss: a 30 fps 640x360 fixture, record pressed at 38 s, hold-to-stop at
 * 49 s. With `bufferBytes` 4198400 (or 4 MiB and a 2 MB/s card, both far faster than the ~0.5 MB/s
 * stream) the recording used to hold its pre-roll and then nothing: every frame after the trigger
 * was a `frame.drop` (buffer-overflow), yet the manifest said complete and the run exited 0.
 * The storage keeps up here, so nothing after the first frame may be lost: the pre-roll gives way
 * (`limitedBy: "bytes"`), never the frames after the trigger.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { readEvents } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

const FPS = 30;
const SECONDS = 53;
let fixtureDir = '';

/** 53 s of 640x360 at 30 fps: 30 distinct frames, repeated (sizes vary a little, as footage does). */
async function longFixture(): Promise<string> {
  const seed = await makeFixture({ fps: FPS, frames: FPS, width: 640, height: 360 });
  const dir = tempDir('budget-fixture');
  mkdirSync(join(dir, 'frames'));
  const seedFrames = readdirSync(join(seed.dir, 'frames')).sort();
  for (let i = 0; i < FPS * SECONDS; i += 1) {
    copyFileSync(join(seed.dir, 'frames', seedFrames[i % seedFrames.length]!), join(dir, 'frames', `${String(i).padStart(6, '0')}.jpg`));
  }
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', name: 'budget', video: { frames: 'frames/%06d.jpg', startNumber: 0, fps: FPS } }));
  return dir;
}

beforeAll(async () => {
  fixtureDir = await longFixture();
}, 120_000);

async function recordAt38(device: Record<string, unknown>) {
  const out = tempDir('budget');
  const scenario = join(out, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({
    format: 'bodycam-scenario/1', device,
    events: [{ at: 38, press: 'record' }, { at: 49, press: 'record', hold: 3.1 }],
  }));
  const result = await bodycam('run', fixtureDir, '--scenario', scenario, '--out', join(out, 'run'), '--json');
  const outDir = join(out, 'run');
  return { result, outDir, events: readEvents(outDir) };
}

const T = 38_050_000;
const S = 52_000_000;
const captured = (fromUs: number): number[] =>
  Array.from({ length: FPS * SECONDS }, (_, i) => Math.round((i * 1e6) / FPS)).filter((t) => t >= fromUs && t < S);

describe.each([
  ['bufferBytes 4198400, default card', { bufferBytes: 4_198_400 }],
  ['4 MiB and a 2 MB/s card', { bufferBytes: 4 * 1024 * 1024, storageWriteBytesPerSecond: 2_000_000 }],
])('the reported budget: %s', (_name, device) => {
  it('keeps every frame from the first to the stop; the pre-roll gives way', async () => {
    const { result, outDir, events } = await recordAt38(device);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(events.filter((e) => e.type === 'frame.drop')).toEqual([]);
    const manifest = (JSON.parse(result.stdout) as { recordings: RecordingManifest[] }).recordings[0]!;
    expect(manifest.complete).toBe(true);
    expect(manifest.preRoll.limitedBy).toBe('bytes');
    expect(manifest.lost ?? null).toBeNull();
    const first = manifest.video.firstFrameUs!;
    expect(first).toBeLessThan(T - 5_000_000);
    const expected = captured(first);
    expect(manifest.video.frames).toBe(expected.length);
    expect(manifest.video.lastFrameUs).toBe(expected.at(-1));
    const file = readMatroska(new Uint8Array(readFileSync(join(outDir, 'recordings', manifest.file))));
    const frameUs = file.blocks.filter((b) => b.trackNumber === 1).map((b) => b.timestampUs + manifest.originUs);
    expect(frameUs.length).toBe(expected.length);
    frameUs.forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThanOrEqual(50));
  }, 120_000);
});
