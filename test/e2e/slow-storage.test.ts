/**
 * Issue 3 through the pipeline: a storage slower than capture pins the pre-roll still to be written;
 * when the arena overflows anyway, every dropped frame is counted and logged as frame.drop, and the
 * recording holds exactly the rule's frames minus those, each once, in order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { readEvents } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

async function runWith(device: Record<string, unknown>) {
  const fixture = await makeFixture({ fps: 20, frames: 400, width: 320, height: 180, jitterUs: 1_000 });
  const outDir = tempDir('slow');
  const scenarioFile = join(outDir, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify({
    format: 'bodycam-scenario/1', device: { preRecordSeconds: 6, ...device },
    events: [{ at: 8, press: 'record' }, { at: 12, press: 'record', hold: 3.1 }],
  }));
  const result = await runJob({ source: fixture.dir, scenarioFile, outDir });
  const manifest = result.recordings[0] as RecordingManifest;
  const frames = readMatroska(new Uint8Array(readFileSync(join(outDir, 'recordings', manifest.file)))).blocks
    .filter((b) => b.trackNumber === 1).map((b) => b.timestampUs + manifest.originUs);
  const T = 8_050_000;
  const S = 15_000_000;
  const expected = fixture.captureUs.filter((t) => t >= T - 6_000_000 && t < 15_000_000);
  return { events: readEvents(outDir), manifest, frames, expected };
}

const drops = (events: DeviceEvent[]) => events.filter((e): e is Extract<DeviceEvent, { type: 'frame.drop' }> => e.type === 'frame.drop');

describe('a storage slower than capture', () => {
  it('with room in the arena: the drain catches up, nothing is lost', async () => {
    // Barely faster than capture: the 6 s pre-roll backlog is still being written at the stop.
    const { events, manifest, frames, expected } = await runWith({ storageWriteBytesPerSecond: 110_000 });
    expect(drops(events)).toEqual([]);
    expect(manifest.lost).toBeNull();
    expect(manifest.video.frames).toBe(expected.length);
    frames.forEach((t, i) => expect(Math.abs(t - (expected[i] ?? 0))).toBeLessThanOrEqual(50));
    const finalized = events.find((e) => e.type === 'recording.finalized');
    // The pre-roll backlog took real (virtual) time to write: finalized well after the stop.
    expect((finalized?.t ?? 0) - 15_000_000).toBeGreaterThan(500_000);
    expect(events.find((e) => e.type === 'recording.stop')?.t).toBe(15_000_000);
  });

  it('with a small arena: each overflow is a logged frame.drop, and exactly those frames are missing', async () => {
    const { events, manifest, frames, expected } = await runWith({ storageWriteBytesPerSecond: 60_000, bufferBytes: 256 * 1024 });
    const dropped = drops(events);
    expect(dropped.length).toBeGreaterThan(5);
    expect(new Set(dropped.map((d) => d.reason))).toEqual(new Set(['buffer-overflow']));
    const droppedUs = new Set(dropped.map((d) => d.frameUs));
    const kept = expected.filter((t) => !droppedUs.has(t));
    // Frames evicted before the trigger by the byte budget shorten the pre-roll (limitedBy "bytes");
    // from the pre-roll's first frame on, every frame is in the file unless it was logged as dropped.
    const first = kept.findIndex((t) => t === manifest.video.firstFrameUs);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(manifest.preRoll.limitedBy).toBe('bytes');
    const inFile = kept.slice(first);
    expect(frames).toHaveLength(inFile.length);
    frames.forEach((t, i) => expect(Math.abs(t - (inFile[i] ?? 0))).toBeLessThanOrEqual(50));
    const stats = events.filter((e) => e.type === 'buffer.stats').at(-1);
    expect(stats).toMatchObject({ drops: dropped.length });
    // Contract §12: the loss is a recorded fact, in the manifest and the log, never silent.
    const lostUs = dropped.map((d) => d.frameUs).filter((t) => t >= (manifest.video.firstFrameUs ?? 0) && t < 15_000_000);
    expect(lostUs.length).toBeGreaterThan(0);
    expect(manifest.lost).toEqual({
      frames: lostUs.length, fromUs: Math.min(...lostUs), toUs: Math.max(...lostUs), reason: 'buffer-overflow', byReason: { 'buffer-overflow': lostUs.length },
    });
    expect(manifest.video.frames + lostUs.length).toBe(expected.filter((t) => t >= (manifest.video.firstFrameUs ?? 0)).length);
    expect(events.filter((e) => e.type === 'recording.lost')).toEqual([expect.objectContaining({ id: manifest.id, ...manifest.lost })]);
  });
});
