/**
 * A replay of footage already at the device's size and quality, with the burn-in on: every frame
 * takes the block path (only the burn-in's MCUs encoded again, on worker threads), the recording
 * is byte-identical from run to run, and ffmpeg decodes every frame of it without an error.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { type TestFixture, makeFixture } from '../helpers/make-fixture.js';
import { requireTestTool, tempDir } from '../helpers/tools.js';

let fixture: TestFixture;

beforeAll(async () => {
  requireTestTool('ffmpeg');
  // makeFixture writes sharp's JPEGs at quality 70 (4:2:0, optimised Huffman tables).
  fixture = await makeFixture({
    fps: 10, frames: 60, width: 320, height: 240, jitterUs: 2_000,
    scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 2 }, events: [{ at: 3, press: 'record' }] },
  });
});

async function replay(): Promise<{ framesEncoded: Readonly<Record<string, number>>; file: string; sha256: string }> {
  const outDir = tempDir('blocks');
  const configFile = join(outDir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ video: { jpegQuality: 70 } }));
  const result = await runJob({ source: fixture.dir, configFile, outDir });
  const manifest = result.recordings[0] as RecordingManifest;
  const file = join(outDir, 'recordings', manifest.file);
  return { framesEncoded: result.framesEncoded, file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

describe('a burnt-in replay of device-quality footage', () => {
  it('splices every frame, writes the same bytes every run, and decodes cleanly', async () => {
    const first = await replay();
    const second = await replay();
    expect(first.framesEncoded).toEqual({ passthrough: 0, blocks: 60, requantised: 0, frame: 0, cached: 0 });
    expect(second.sha256).toBe(first.sha256);
    const decoded = spawnSync('ffmpeg', ['-v', 'error', '-xerror', '-i', first.file, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decoded.stderr).toBe('');
    expect(decoded.status).toBe(0);
  });
});
