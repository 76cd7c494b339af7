/**
 * The frame cache end to end (issue 20): `bodycam run` with the cache on, with an empty folder and
 * then again on the filled folder, writes the recording, manifest and events of the uncached run
 * byte for byte each time; the second cached run takes every encoded frame from the cache (it
 * writes no entry), and the first left one entry per encoded frame.
 *
 * It runs a short generated fixture at the device's size (640x360, burn-in on, audio), not the
 * bundled 75 s one: what is shown is the cache's, on any fixture. The bundled replay's own bytes
 * are its golden hashes (test/e2e/bundled-run.test.ts), and the README's and the docs' examples
 * replay the bundled fixture with the cache on.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifests, runCli } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

const FRAMES = 45;
const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

let fixtureDir: string;
beforeAll(async () => {
  fixtureDir = (await makeFixture({
    fps: 15, frames: FRAMES, width: 640, height: 360, jitterUs: 2000, audio: { sampleRate: 16_000, seconds: 3 },
    scenario: { format: 'bodycam-scenario/1', events: [{ at: 1.2, press: 'record' }] },
  })).dir;
});

function cachedRun(env: NodeJS.ProcessEnv): Record<string, string> {
  const outDir = tempDir('cache-run');
  const result = runCli(['run', fixtureDir, '--out', outDir], { env });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const [manifest] = readManifests(outDir);
  if (manifest === undefined) throw new Error('no recording');
  expect(manifest.video.frames).toBeGreaterThan(FRAMES / 2); // the pre-roll reaches back to the fixture's start
  return {
    recording: sha256Of(join(outDir, 'recordings', manifest.file)),
    manifest: sha256Of(join(outDir, 'recordings', `${manifest.id}.json`)),
    events: sha256Of(join(outDir, 'events.jsonl')),
  };
}

function entries(dir: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const shard of readdirSync(dir)) {
    for (const name of readdirSync(join(dir, shard))) found.set(name, statSync(join(dir, shard, name)).mtimeMs);
  }
  return found;
}

describe('bodycam run with the frame cache', () => {
  it('writes the uncached run\'s bytes cold and warm, and the warm run encodes nothing', () => {
    const cacheDir = tempDir('cache-folder');
    const uncached = cachedRun({ BODYCAM_FRAME_CACHE: 'off' });
    const cold = cachedRun({ BODYCAM_FRAME_CACHE: 'on', BODYCAM_FRAME_CACHE_DIR: cacheDir });
    const afterCold = entries(cacheDir);
    const warm = cachedRun({ BODYCAM_FRAME_CACHE: 'on', BODYCAM_FRAME_CACHE_DIR: cacheDir });
    expect(cold).toEqual(uncached);
    expect(warm).toEqual(uncached);
    // Every frame of the fixture is encoded (with the burn-in), so every one is cached.
    expect(afterCold.size).toBe(FRAMES);
    expect(entries(cacheDir)).toEqual(afterCold);
  }, 180_000);
});
