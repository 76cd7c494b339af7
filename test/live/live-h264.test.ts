/**
 * Issue 17: `bodycam live` with H.264. The same camera unit as a replay, over a looping H.264
 * fixture with B-frames, on an H.264 device: every frame reaches the GOP encoder in order (none
 * passed over or skipped late), the recording is V_MPEG4/ISO/AVC with every frame captured from its
 * first to the stop across the loop's seams and decodes with `ffmpeg -xerror`, and the live view
 * gets JPEG pictures decoded from the camera's H.264 packets. An MP4 device's status names its
 * recording with the file's own extension (it said `.mkv`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { resolveProfile } from '../../src/device/index.js';
import { LiveDevice, type LiveFrame } from '../../src/live/index.js';
import { openSource } from '../../src/source/index.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';
import { waitFor } from '../helpers/wait-for.js';

describe('a live H.264 device over a looping H.264 fixture with B-frames', () => {
  it('records every frame in order across the loop, decodes with -xerror, and shows JPEGs decoded from its packets', async () => {
    requireTestTool('ffmpeg');
    const dir = tempDir('live-h264');
    mkdirSync(dir, { recursive: true });
    run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x96:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-threads', '1',
      '-g', '10', '-bf', '2', '-x264-params', 'b-adapt=0', '-y', join(dir, 'video.mkv')]);
    writeFileSync(join(dir, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: 10 } }));
    const source = await openSource(dir);
    expect(source.sourceVideo?.decodeOrder?.bFrames).toBeGreaterThan(0);
    const outDir = join(dir, 'out');
    const errors: unknown[] = [];
    const device = new LiveDevice({
      source,
      profile: resolveProfile({ preRecordSeconds: 1, video: { codec: 'h264', burnIn: false, keyframeIntervalSeconds: 0.5 } }),
      origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
      initialState: 'standby',
      outDir,
      onError: (_id, error) => errors.push(error),
    });
    const shown: LiveFrame[] = [];
    device.frames$.subscribe((frame) => shown.push(frame));
    device.start();
    const view = device.openView();
    expect(view.streaming).toBe(true);
    await waitFor('fixture time past a loop boundary and some view frames', () => device.status().clock.fixtureUs >= 1_500_000 && shown.length >= 3, 60_000);
    view.close();
    const [manifest] = await device.stop();
    expect(errors).toEqual([]);
    if (manifest === undefined) throw new Error('no recording');
    expect(manifest.video).toMatchObject({ codec: 'V_MPEG4/ISO/AVC', width: 160, height: 96 });
    expect(device.status().frames.skippedLate).toBe(0);

    const file = join(outDir, 'recordings', manifest.file);
    const mkv = readMatroska(new Uint8Array(readFileSync(file)));
    const origin = manifest.video.firstFrameUs ?? 0;
    const expected: number[] = [];
    for (let t = origin; t < manifest.stop.atUs; t += 100_000) expected.push(t);
    expect(mkv.blocks.filter((b) => b.trackNumber === 1).map((b) => b.timestampUs + origin)).toEqual(expected);
    const decoded = spawnSync('ffmpeg', ['-v', 'error', '-xerror', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decoded.stderr).toBe('');
    expect(decoded.status).toBe(0);
    const types = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pict_type', '-of', 'csv=p=0', file]).split('\n').map((t) => t.trim().replace(/,$/, '')).filter((t) => t !== '');
    expect(new Set(types)).toEqual(new Set(['I', 'P']));

    // The view: JPEG pictures of the device's size, in capture order, each a frame the camera took.
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const frame of shown.slice(0, 3)) {
      expect([frame.jpeg[0], frame.jpeg[1]]).toEqual([0xff, 0xd8]);
      const meta = await sharp(frame.jpeg).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 160, 96]);
    }
    const times = shown.map((frame) => frame.captureUs);
    expect(times.every((t, i) => i === 0 || t > (times[i - 1] ?? 0))).toBe(true);
    expect(times.every((t) => t % 100_000 === 0)).toBe(true);
  }, 90_000);

  it('an MP4 device\'s status names its in-progress recording with .mp4, the file it writes', async () => {
    requireTestTool('ffmpeg');
    const dir = tempDir('live-mp4');
    run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=96x64:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-threads', '1',
      '-g', '5', '-bf', '0', '-y', join(dir, 'video.mkv')]);
    writeFileSync(join(dir, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: 10 } }));
    const outDir = join(dir, 'out');
    const errors: unknown[] = [];
    const device = new LiveDevice({
      source: await openSource(dir),
      // Passthrough (sizes match, no burn-in): no encoder process, so the test costs only its real time.
      profile: resolveProfile({ preRecordSeconds: 0, video: { codec: 'h264', burnIn: false }, recording: { container: 'mp4' } }),
      origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
      initialState: 'standby',
      outDir,
      onError: (_id, error) => errors.push(error),
    });
    device.start();
    const view = device.openView();
    await waitFor('a recording under way', () => device.status().recordings.length === 1, 30_000);
    const inProgress = device.status().recordings[0];
    expect(inProgress?.state).toBe('recording');
    view.close();
    const [manifest] = await device.stop();
    expect(errors).toEqual([]);
    expect(manifest?.file).toMatch(/\.mp4$/);
    expect(inProgress?.file).toBe(manifest?.file);
    expect(readdirSync(join(outDir, 'recordings'))).toContain(inProgress?.file);
  }, 60_000);
});
