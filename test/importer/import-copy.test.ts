/**
 * Issue 17: `bodycam fixture import VIDEO --codec copy` keeps an H.264 video's access units and
 * times: the fixture's stream has the source's packets byte for byte (ffprobe data hashes), its
 * timestamps are the source's presentation times, and a passthrough run records those packets. A
 * source with B-frames is refused with exit 2 naming the packet, and nothing is left behind.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodycam } from '../helpers/main-in-process.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

beforeAll(() => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
});

function mp4(dir: string, extra: readonly string[]): string {
  const file = join(dir, 'clip.mp4');
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000',
    '-t', '4', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-threads', '1', '-g', '50', ...extra, '-c:a', 'aac', '-shortest', '-y', file]);
  return file;
}

function hashes(file: string): string[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'sha256', '-show_entries', 'packet=data_hash', '-of', 'csv=p=0', file]).trim().split('\n');
}

describe('fixture import --codec copy', () => {
  it('keeps the access units and times, and a passthrough run records them', async () => {
    const work = tempDir('import-copy');
    const source = mp4(work, ['-bf', '0']);
    const out = join(work, 'fixture');
    const imported = await bodycam('fixture', 'import', source, '--out', out, '--codec', 'copy');
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/Imported 100 frames 160x90/);
    const fixture = JSON.parse(readFileSync(join(out, 'fixture.json'), 'utf8')) as { video: Record<string, unknown>; audio?: unknown };
    expect(fixture.video).toMatchObject({ codec: 'h264', stream: 'video.mkv', timestamps: 'timestamps.csv' });
    expect(fixture.audio).toBeDefined();
    expect(existsSync(join(out, 'frames'))).toBe(false);
    expect(hashes(join(out, 'video.mkv'))).toEqual(hashes(source));
    const sourcePts = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', source]).trim().split('\n').map((s) => Math.round(Number(s) * 1e6));
    const written = readFileSync(join(out, 'timestamps.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
    // The same times, moved to the fixture's origin (the earlier of the first frame and the first audio).
    expect(written.map((us) => us - (written[0] ?? 0))).toEqual(sourcePts.map((us) => us - (sourcePts[0] ?? 0)));

    // Passthrough: the device records H.264 at the fixture's size without burn-in.
    const config = join(work, 'device.json');
    writeFileSync(config, JSON.stringify({ preRecordSeconds: 3, video: { codec: 'h264', burnIn: false } }));
    const runOut = join(work, 'run');
    const ran = await bodycam('run', out, '--out', runOut, '--config', config);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    const recordings = readdirSync(join(runOut, 'recordings')).filter((f) => f.endsWith('.mkv'));
    const recorded = hashes(join(runOut, 'recordings', recordings[0] ?? ''));
    const all = hashes(source);
    expect(recorded.length).toBeGreaterThan(10);
    expect(all.slice(all.length - recorded.length)).toEqual(recorded);
  }, 60_000);
});
