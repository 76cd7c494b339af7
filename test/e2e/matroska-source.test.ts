/**
 * Issue 5, recordings as fixtures: `bodycam run` takes a device recording (.mkv) as SOURCE, reads it
 * with the project's demuxer, and a round trip gives the same frames back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { matroskaSource } from '../../src/source/matroska-source.js';
import { readManifests, runCli } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

let recording: string;
let manifest: RecordingManifest;

beforeAll(async () => {
  requireTestTool('ffmpeg');
  const fixture = await makeFixture({
    fps: 10, frames: 120, jitterUs: 2_000, audio: { sampleRate: 16_000, seconds: 12 },
    scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 4 }, events: [{ at: 5, press: 'record' }, { at: 7, press: 'record', hold: 3.1 }] },
  });
  const out = tempDir('mkv-src');
  expect(runCli(['run', fixture.dir, '--out', out]).status).toBe(0);
  manifest = readManifests(out)[0] as RecordingManifest;
  recording = join(out, 'recordings', manifest.file);
});

describe('a recording as a replay source', () => {
  it('reads frames, times and audio with the project demuxer, t = 0 at its first instant', async () => {
    const source = await matroskaSource(recording);
    expect(source.frameCount).toBe(manifest.video.frames);
    expect(source.captureUs[0]).toBe(0);
    expect([source.width, source.height]).toEqual([160, 90]);
    expect(source.audio?.samples.length).toBe(manifest.audio?.samples);
    // The file stores 0.1 ms ticks: the audio's offset from the first frame comes back at that resolution.
    const offsetUs = (manifest.audio?.firstSampleUs ?? 0) - (manifest.video.firstFrameUs ?? 0);
    expect(source.audio?.startUs).toBe(Math.round(offsetUs / 100) * 100);
  });

  it('round-trips: replaying a recording (no second burn-in) gives the same frames and audio back', () => {
    const out = tempDir('roundtrip');
    const scenario = join(out, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ format: 'bodycam-scenario/1', device: { video: { burnIn: false } }, events: [{ at: 0, press: 'record' }] }));
    const result = runCli(['run', recording, '--scenario', scenario, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const again = readManifests(out)[0] as RecordingManifest;
    expect(again.stop.reason).toBe('end-of-fixture');
    const a = readMatroska(new Uint8Array(readFileSync(recording)));
    const b = readMatroska(new Uint8Array(readFileSync(join(out, 'recordings', again.file))));
    const framesA = a.blocks.filter((x) => x.trackNumber === 1);
    const framesB = b.blocks.filter((x) => x.trackNumber === 1);
    expect(framesB).toHaveLength(framesA.length);
    framesA.forEach((frame, i) => {
      expect(framesB[i]?.timestampUs, `frame ${i} time`).toBe(frame.timestampUs);
      expect(Buffer.from(framesB[i]?.payload ?? []).equals(Buffer.from(frame.payload)), `frame ${i} bytes`).toBe(true);
    });
    const pcm = (file: typeof a) => Buffer.concat(file.blocks.filter((x) => x.trackNumber === 2).map((x) => Buffer.from(x.payload)));
    expect(pcm(b).equals(pcm(a))).toBe(true);
  });

  it('rejects a Matroska file that is not MJPEG with a one-line bad-input error (exit 2)', () => {
    const dir = tempDir('h264');
    const file = join(dir, 'h264.mkv');
    run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=10:duration=1', '-c:v', 'mpeg4', file]);
    const result = runCli(['run', file, '--out', join(dir, 'out')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/h264\.mkv: Tracks: track 1: expected an MJPEG \(V_MJPEG\) or H\.264 \(V_MPEG4\/ISO\/AVC\) video track, found V_MPEG4\/ISO\/ASP/);
  });
});
