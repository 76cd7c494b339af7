/**
 * Issue 17 on real footage: the shared clip in ../shared/footage (CC BY 4.0; read from there, never
 * committed) is H.264 with 820 B-frames, an edit list and negative DTS, as camera footage is. It is
 * imported with `--codec copy` and replayed on an H.264 device; the recording holds every presented
 * frame from the rule's keyframe up to the stop (counted by ffprobe), at the footage's presentation
 * times, with keyframes on the device's 2 s grid, and decodes with `ffmpeg -xerror`.
 *
 * Opt-in (the replay decodes and encodes all 1394 frames: minutes on a busy 2-core machine):
 * BODYCAM_SHARED_FOOTAGE_H264=1. Skipped, saying so, when the footage is not there
 * (BODYCAM_SHARED_FOOTAGE names another copy; BODYCAM_REQUIRE_SHARED_FOOTAGE=1 makes that a failure).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { ROOT, readManifests } from '../helpers/cli.js';
import { bodycam } from '../helpers/main-in-process.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

const FOOTAGE = process.env.BODYCAM_SHARED_FOOTAGE ?? resolve(ROOT, '..', 'shared', 'footage', 'one-by-one-person-detection.mp4');
const HAS_FOOTAGE = existsSync(FOOTAGE);
const WANTED = process.env.BODYCAM_SHARED_FOOTAGE_H264 === '1';
if (WANTED && !HAS_FOOTAGE) {
  const message = `${FOOTAGE} not found: the H.264 shared-footage test needs ../shared beside the repository (or BODYCAM_SHARED_FOOTAGE)`;
  if (process.env.BODYCAM_REQUIRE_SHARED_FOOTAGE === '1') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
}

function hashes(file: string): string[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'sha256', '-show_entries', 'packet=data_hash', '-of', 'csv=p=0', file]).trim().split('\n');
}

describe.skipIf(!(WANTED && HAS_FOOTAGE))('the shared H.264 footage with B-frames, imported with --codec copy and replayed', () => {
  it('records every presented frame up to the stop, keyframes on the device grid, and decodes with -xerror', async () => {
    requireTestTool('ffmpeg');
    requireTestTool('ffprobe');
    const work = tempDir('footage-h264');
    const fixtureDir = join(work, 'people');
    // In process: a child run would block this worker's event loop for minutes (vitest's RPC times out).
    const imported = await bodycam('fixture', 'import', FOOTAGE, '--out', fixtureDir, '--codec', 'copy');
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(hashes(join(fixtureDir, 'video.mkv'))).toEqual(hashes(FOOTAGE));
    const bFrames = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pict_type', '-of', 'csv=p=0', FOOTAGE]).split('\n').filter((t) => t.trim() === 'B').length;
    expect(bFrames).toBe(820);
    const times = readFileSync(join(fixtureDir, 'timestamps.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
    expect(times).toHaveLength(1394);

    const config = join(work, 'device.json');
    writeFileSync(config, JSON.stringify({ preRecordSeconds: 5, video: { codec: 'h264', burnIn: false, keyframeIntervalSeconds: 2 } }));
    const scenario = join(work, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({
      format: 'bodycam-scenario/1', clock: { start: '2026-11-22T10:15:00+01:00' },
      events: [{ at: 47.3, press: 'record', hold: 0.2 }, { at: 61, press: 'record', hold: 3.4 }],
    }));
    const out = join(work, 'out');
    const result = await bodycam('run', fixtureDir, '--config', config, '--scenario', scenario, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/the source has B-frames; its 1394 frames were decoded in presentation order and re-encoded/);
    const manifest = readManifests(out)[0] as RecordingManifest;
    const keyTimes = times.filter((t, i) => i === 0 || Math.floor(t / 2_000_000) > Math.floor((times[i - 1] ?? 0) / 2_000_000));
    const T = 47_350_000;
    const S = 64_000_000;
    const start = [...keyTimes].reverse().find((k) => k <= T - 5_000_000) as number;
    const expected = times.filter((t) => t >= start && t < S);
    expect(manifest).toMatchObject({ trigger: { atUs: T }, stop: { atUs: S }, video: { codec: 'V_MPEG4/ISO/AVC', frames: expected.length, firstFrameUs: start } });
    const recording = join(out, 'recordings', manifest.file);
    const counted = run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', recording]).trim();
    expect(Number(counted)).toBe(expected.length);
    const recorded = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=key_frame,pts_time,pict_type', '-of', 'csv=p=0', recording])
      .trim().split('\n').map((line) => line.split(','));
    expect(recorded.map((f) => Math.round(Number(f[1]) * 1e6))).toEqual(expected.map((t) => Math.round((t - start) / 100) * 100));
    expect(recorded.filter((f) => f[0] === '1').map((f) => Math.round(Number(f[1]) * 1e6))).toEqual(keyTimes.filter((k) => k >= start && k < S).map((k) => Math.round((k - start) / 100) * 100));
    expect(recorded.every((f) => f[2] === 'I' || f[2] === 'P')).toBe(true);
    const decoded = spawnSync('ffmpeg', ['-v', 'error', '-xerror', '-i', recording, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decoded.stderr).toBe('');
    expect(decoded.status).toBe(0);
  }, 900_000);
});
