/**
 * The frame cache end to end (issue 20): `bodycam run` on the bundled fixture with the cache on,
 * with an empty folder and then again on the filled folder, writes the recording, manifest and
 * events of the uncached run byte for byte each time (its golden hashes, which
 * test/e2e/bundled-run.test.ts takes with the cache off, as the whole suite runs); the second
 * cached run takes every encoded frame from the cache (it writes no entry), and the first left one
 * entry per encoded frame.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifests, runCli } from '../helpers/cli.js';
import { BUNDLED_GOLDEN_SHA256 } from '../helpers/golden.js';
import { tempDir } from '../helpers/tools.js';

const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function bundledRun(env: NodeJS.ProcessEnv): Record<string, string> {
  const outDir = tempDir('cache-run');
  const result = runCli(['run', '--out', outDir], { env });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const [manifest] = readManifests(outDir);
  if (manifest === undefined) throw new Error('no recording');
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
    const uncached = BUNDLED_GOLDEN_SHA256;
    const cold = bundledRun({ BODYCAM_FRAME_CACHE: 'on', BODYCAM_FRAME_CACHE_DIR: cacheDir });
    const afterCold = entries(cacheDir);
    const warm = bundledRun({ BODYCAM_FRAME_CACHE: 'on', BODYCAM_FRAME_CACHE_DIR: cacheDir });
    expect(cold).toEqual(uncached);
    expect(warm).toEqual(uncached);
    // Every frame of the bundled fixture is encoded (with the burn-in), so every one is cached.
    expect(afterCold.size).toBeGreaterThan(100);
    expect(entries(cacheDir)).toEqual(afterCold);
  }, 180_000);
});
