/**
 * The buffers a replay reads frames into (reusable-buffers.ts) go back only once their frame is
 * delivered: a frame passed through untouched is its own packet, so a buffer handed out again
 * while the packet waits for its turn would put a later frame's bytes in the recording.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { ReusableBuffers } from '../../src/sim/reusable-buffers.js';
import { runJob } from '../../src/sim/run-job.js';
import { type TestFixture, makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

describe('ReusableBuffers', () => {
  it('hands a buffer out again only once given back, and keeps at most its bound', () => {
    const buffers = new ReusableBuffers(200 * 1024);
    const a = buffers.take(100_000);
    expect(a.byteLength).toBeGreaterThanOrEqual(100_000);
    const b = buffers.take(100_000);
    expect(b).not.toBe(a);
    buffers.give(a);
    expect(buffers.take(90_000)).toBe(a);
    expect(buffers.take(90_000)).not.toBe(b);
    buffers.give(a);
    // Beyond the bound, a buffer given back is left to the collector.
    buffers.give(b);
    expect(buffers.freeCount).toBe(1);
    expect(buffers.take(a.byteLength + 1)).not.toBe(a);
  });
});

describe('a replay of frames passed through untouched', () => {
  let fixture: TestFixture;
  beforeAll(async () => {
    // makeFixture writes quality 70 JPEGs: at the device's quality with no burn-in, every frame passes through.
    fixture = await makeFixture({
      fps: 30, frames: 90, width: 160, height: 96,
      scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 1 }, events: [{ at: 1.5, press: 'record' }] },
    });
  });

  it('records each frame as read, never another frame read into its buffer', async () => {
    const outDir = tempDir('reads');
    const configFile = join(outDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ video: { jpegQuality: 70, burnIn: false } }));
    const result = await runJob({ source: fixture.dir, configFile, outDir });
    expect(result.framesEncoded).toMatchObject({ passthrough: 90, blocks: 0, requantised: 0, frame: 0 });
    const manifest = result.recordings[0] as RecordingManifest;
    const file = join(outDir, 'recordings', manifest.file);
    const recorded = readMatroska(readFileSync(file), { file }).blocks.filter((block) => block.trackNumber === 1);
    const frames = Array.from({ length: 90 }, (_, i) => readFileSync(join(fixture.dir, 'frames', `${String(i).padStart(6, '0')}.jpg`)));
    const first = frames.findIndex((frame) => frame.equals(recorded[0]?.payload ?? new Uint8Array()));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(recorded.length).toBeGreaterThan(40);
    recorded.forEach((block, k) => expect(Buffer.from(block.payload).equals(frames[first + k] as Buffer), `recorded frame ${k}`).toBe(true));
  });
});
