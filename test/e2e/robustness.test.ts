/**
 * Edges found in review: a failing manifest write is a one-line runtime fault (no unhandled
 * rejection), leftovers of a killed run are never touched, mute writes silence, a storage fault
 * keeps the pre-roll whole, audio lost to overflow is logged.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { resolveProfile } from '../../src/device/index.js';
import { loadScenario } from '../../src/fixture/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { openSource } from '../../src/source/index.js';
import { runReplay } from '../../src/sim/replay.js';
import { parseWallClock } from '../../src/time/index.js';
import { readEvents } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

async function fixtureWith(events: Record<string, unknown>[], device: Record<string, unknown> = {}) {
  return makeFixture({
    fps: 10, frames: 160, jitterUs: 1_000, audio: { sampleRate: 8_000, seconds: 16 },
    scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 5, ...device }, events },
  });
}

const audioOf = (file: string) => {
  const blocks = readMatroska(new Uint8Array(readFileSync(file))).blocks.filter((b) => b.trackNumber === 2);
  return new Int16Array(Buffer.concat(blocks.map((b) => Buffer.from(b.payload))).buffer.slice(0));
};

describe('robustness', () => {
  it('a manifest that cannot be written is a runtime fault with one line, not a crash', async () => {
    const fixture = await fixtureWith([{ at: 6, press: 'record' }, { at: 9, press: 'record', hold: 3.1 }]);
    const source = await openSource(fixture.dir);
    const scenario = await loadScenario(join(fixture.dir, 'scenario.json'));
    const outDir = tempDir('manifest-fail');
    // The manifest's path is taken by a folder: writing it fails (EISDIR) after the file is final.
    mkdirSync(join(outDir, 'recordings', 'DRD-BC-0001_20260101T000001Z.json'), { recursive: true });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(runReplay({
        source, profile: resolveProfile(scenario.device), origin: parseWallClock('2026-01-01T00:00:00Z'),
        initialState: 'standby', inputs: scenario.inputs, outDir,
      })).rejects.toMatchObject({ code: 'runtime', message: expect.stringMatching(/^.*DRD-BC-0001_20260101T000001Z\.json: cannot write the manifest of recording DRD-BC-0001_20260101T000001Z: /) });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('never touches the leftovers of a killed run in the output folder', async () => {
    const fixture = await fixtureWith([{ at: 6, press: 'record' }]);
    const out = tempDir('leftovers');
    mkdirSync(join(out, 'recordings'));
    const leftover = join(out, 'recordings', 'DRD-BC-0001_20260101T000001Z.mkv');
    writeFileSync(leftover, 'a cut-off recording');
    const result = await bodycam('run', fixture.dir, '--out', out);
    expect(result.status).toBe(2);
    expect(readFileSync(leftover, 'utf8')).toBe('a cut-off recording');
  });

  it('mute: the recording keeps its audio track, silent while muted', async () => {
    const fixture = await fixtureWith([{ at: 6, press: 'record' }, { at: 8, press: 'mute' }, { at: 10, press: 'mute' }, { at: 12, press: 'record', hold: 3.1 }]);
    const result = await runJob({ source: fixture.dir, outDir: tempDir('mute') });
    const manifest = result.recordings[0] as RecordingManifest;
    const samples = audioOf(join(result.outDir, 'recordings', manifest.file));
    const at = (seconds: number) => Math.round((seconds * 1e6 - (manifest.audio?.firstSampleUs ?? 0)) * 8_000 / 1e6);
    const peak = (from: number, to: number) => Math.max(...Array.from(samples.subarray(at(from), at(to)), Math.abs));
    expect(peak(6.5, 7.9)).toBeGreaterThan(1000);
    expect(peak(8.25, 10.0)).toBe(0); // muted at the release of the first mute press (8.15 s)
    expect(peak(10.3, 11.5)).toBeGreaterThan(1000);
    expect(samples.length).toBe(manifest.audio?.samples);
  });

  it('a storage fault keeps buffering: the next pre-roll is whole, without a hole', async () => {
    const fixture = await fixtureWith([{ at: 3, storage: 'fail' }, { at: 4, storage: 'ok' }, { at: 8, press: 'record' }]);
    const result = await runJob({ source: fixture.dir, outDir: tempDir('fault-buffer') });
    const manifest = result.recordings[0] as RecordingManifest;
    const expected = fixture.captureUs.filter((t) => t >= 8_050_000 - 5_000_000);
    expect(manifest.preRoll.limitedBy).toBeNull();
    expect(manifest.video.firstFrameUs).toBe(expected[0]);
    expect(manifest.video.frames).toBe(expected.length);
    expect(manifest.avSync?.maxDriftUs).toBe(0);
  });

  it('logs audio chunks lost to an overflowing buffer, not only frames', async () => {
    const fixture = await fixtureWith([{ at: 6, press: 'record' }, { at: 9, press: 'record', hold: 3.1 }], { storageWriteBytesPerSecond: 10_000, bufferBytes: 65_536 });
    const result = await runJob({ source: fixture.dir, outDir: tempDir('audio-drop') });
    const drops = readEvents(result.outDir).filter((e) => e.type === 'frame.drop');
    expect(drops.some((d) => d.type === 'frame.drop' && d.kind === 'audio' && d.reason === 'buffer-overflow')).toBe(true);
    expect(drops.some((d) => d.type === 'frame.drop' && d.kind === undefined)).toBe(true);
  });
});
