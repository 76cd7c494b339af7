/**
 * Issue 14 / contract §12 for audio: a card slower than the stream with a small arena refuses
 * audio chunks as well as frames. Each refused chunk was a `frame.drop` (`kind: "audio"`), but the
 * manifest's `lost`, `recording.lost`, the stderr line and `--json` counted video frames only, so
 * the recording's audio came up seconds short with nothing saying so. Now the audio it should hold
 * but does not is counted (`lost.audio`), and written + lost samples = the samples of its span.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { readEvents } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

const RATE = 48_000;
const S = 15_000_000;
let fixtureDir = '';
let run: { status: number; stdout: string; stderr: string; outDir: string };

async function runScenario(device: Record<string, unknown>, events: readonly Record<string, unknown>[]) {
  const out = tempDir('audio-loss');
  const scenario = join(out, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({ format: 'bodycam-scenario/1', device, events }));
  const outDir = join(out, 'run');
  return { ...(await bodycam('run', fixtureDir, '--scenario', scenario, '--out', outDir, '--json')), outDir };
}

beforeAll(async () => {
  fixtureDir = (await makeFixture({ fps: 20, frames: 400, width: 320, height: 180, jitterUs: 1_000, audio: { sampleRate: RATE, seconds: 20 } })).dir;
  run = await runScenario(
    { preRecordSeconds: 6, storageWriteBytesPerSecond: 60_000, bufferBytes: 256 * 1024 },
    [{ at: 8, press: 'record' }, { at: 12, press: 'record', hold: 3.1 }],
  );
}, 120_000);

type AudioDrop = Extract<DeviceEvent, { type: 'frame.drop' }> & { kind: 'audio' };

describe('audio the storage could not keep up with', () => {
  it('is counted in the manifest: written + lost samples = the samples from the first sample to the stop', () => {
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { recordings: RecordingManifest[]; lost: Record<string, unknown>[] };
    const manifest = summary.recordings[0]!;
    const audioDrops = readEvents(run.outDir).filter((e): e is AudioDrop => e.type === 'frame.drop' && (e as { kind?: string }).kind === 'audio');
    expect(audioDrops.length).toBeGreaterThan(0);
    const firstSample = Math.round((manifest.audio!.firstSampleUs! * RATE) / 1e6);
    const stopSample = Math.ceil((S * RATE) / 1e6);
    const lostAudio = manifest.lost?.audio;
    expect(lostAudio).toBeDefined();
    expect(manifest.audio!.samples + lostAudio!.samples).toBe(stopSample - firstSample);
    expect(lostAudio!.byReason).toEqual({ 'buffer-overflow': lostAudio!.samples });
    // The span of what was lost: the first and last dropped chunk inside the recording.
    const inside = audioDrops.filter((d) => d.frameUs < S && d.frameUs >= (manifest.audio!.firstSampleUs ?? 0) - 100_000);
    expect(lostAudio!.fromUs).toBeGreaterThanOrEqual(inside[0]!.frameUs);
    expect(lostAudio!.toUs).toBeLessThan(S);
    expect(lostAudio!.toUs).toBeGreaterThanOrEqual(inside.at(-1)!.frameUs);
    // The whole block's span covers the audio's.
    expect(manifest.lost!.fromUs).toBeLessThanOrEqual(lostAudio!.fromUs);
    expect(manifest.lost!.toUs).toBeGreaterThanOrEqual(lostAudio!.toUs);
  });

  it('is logged (recording.lost), on stderr and in --json like lost frames', () => {
    const summary = JSON.parse(run.stdout) as { recordings: RecordingManifest[]; lost: Record<string, unknown>[] };
    const manifest = summary.recordings[0]!;
    const samples = manifest.lost!.audio!.samples;
    expect(summary.lost).toEqual([{ id: manifest.id, ...manifest.lost }]);
    const logged = readEvents(run.outDir).filter((e) => e.type === 'recording.lost');
    expect(logged).toEqual([expect.objectContaining({ id: manifest.id, audio: manifest.lost!.audio })]);
    expect(run.stderr).toContain(`recording ${manifest.id} lost ${manifest.lost!.frames} frames and ${samples} audio samples`);
  });

  it('is counted when a power cut cuts the recording off: the open cluster and the unread chunks', async () => {
    // A card slower than the stream keeps a backlog; the cut at 12.345 s falls inside the 20 ms
    // chunk [12.34, 12.36) s, so the buffer holds audio up to sample 12.34 s x 48 kHz.
    const cut = await runScenario({ preRecordSeconds: 2, storageWriteBytesPerSecond: 150_000 }, [{ at: 8, press: 'record' }, { at: 12.345, power: 'cut' }]);
    expect(cut.status).toBe(0);
    const manifest = (JSON.parse(cut.stdout) as { recordings: RecordingManifest[] }).recordings[0]!;
    expect(manifest.complete).toBe(false);
    const firstSample = Math.round((manifest.audio!.firstSampleUs! * RATE) / 1e6);
    const lostAudio = manifest.lost!.audio!;
    expect(lostAudio.byReason).toEqual({ 'power-cut': lostAudio.samples });
    expect(manifest.audio!.samples + lostAudio.samples).toBe(Math.round(12.34 * RATE) - firstSample);
    expect(lostAudio.toUs).toBeLessThan(12_340_000);
    expect(cut.stderr).toContain(`and ${lostAudio.samples} audio samples`);
  });
});
