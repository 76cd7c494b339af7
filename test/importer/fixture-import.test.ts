import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { importFixture } from '../../src/importer/index.js';
import { ffprobeFramePtsUs, requireTestTool, run, tempDir } from '../helpers/tools.js';

let work: string;
let source: string;

beforeAll(() => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
  work = tempDir('import');
  source = join(work, 'jittery.mkv');
  // 25 fps nominal, every third frame 3 ms late, frames 40..44 missing: real streams jitter and drop.
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=4',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=22050:duration=4', '-ac', '2',
    '-vf', "select='not(between(n,40,44))',settb=1/1000,setpts='(N+5*gte(N,40))*40000/1000000/TB+eq(mod(N,3),2)*0.003/TB'",
    '-fps_mode', 'passthrough', '-enc_time_base:v', '1:1000', '-c:v', 'mjpeg', '-q:v', '3', '-c:a', 'pcm_s16le', source]);
  writeFileSync(join(work, 'ATTRIBUTION.md'), 'test footage, CC0\n');
});

function readTimestamps(dir: string): number[] {
  const lines = readFileSync(join(dir, 'timestamps.csv'), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('pts_us');
  return lines.slice(1).map(Number);
}

describe('bodycam fixture import', () => {
  it('keeps every frame with its real capture time, and the audio, on one timeline', async () => {
    const out = join(work, 'full');
    const result = await importFixture({ video: source, outDir: out });
    const sourcePts = ffprobeFramePtsUs(source);
    const timestamps = readTimestamps(out);
    expect(result.frames).toBe(sourcePts.length);
    expect(timestamps).toHaveLength(sourcePts.length);
    expect(readdirSync(join(out, 'frames'))).toHaveLength(sourcePts.length);
    // The source is Matroska (1 ms ticks): the import keeps each time exactly, relative to the first.
    expect(timestamps).toEqual(sourcePts.map((pts) => pts - (sourcePts[0] ?? 0)));
    expect(timestamps[41]! - timestamps[39]!).toBeGreaterThan(200_000);
    expect(timestamps.filter((t) => t % 40_000 === 3_000).length).toBeGreaterThan(20);
    const fixture = JSON.parse(readFileSync(join(out, 'fixture.json'), 'utf8'));
    expect(fixture).toMatchObject({ format: 'bodycam-fixture/1', video: { frames: 'frames/%06d.jpg', startNumber: 0, fps: 25, timestamps: 'timestamps.csv' }, audio: { file: 'audio.wav', startUs: 0 } });
    expect(result.audio).toMatchObject({ sampleRate: 22050, startUs: 0 });
    expect(Math.abs((result.audio?.samples ?? 0) - 4 * 22050)).toBeLessThan(22050 * 0.05);
    const wavInfo = run('ffprobe', ['-v', 'error', '-show_entries', 'stream=channels,sample_rate,codec_name', '-of', 'csv=p=0', join(out, 'audio.wav')]).trim();
    expect(wavInfo).toBe('pcm_s16le,22050,1');
    expect(readFileSync(join(out, 'ATTRIBUTION.md'), 'utf8')).toContain('CC0');
    expect(existsSync(join(out, 'scenario.json'))).toBe(true);
  });

  it('imports an excerpt resampled to a constant rate and size', async () => {
    const out = join(work, 'excerpt');
    const result = await importFixture({ video: source, outDir: out, fromSeconds: 1, toSeconds: 3, fps: 10, size: { width: 160, height: 90 } });
    const timestamps = readTimestamps(out);
    expect(result).toMatchObject({ width: 160, height: 90, fps: 10 });
    expect(timestamps[0]).toBe(0);
    for (let i = 1; i < timestamps.length; i += 1) expect(timestamps[i]! - timestamps[i - 1]!).toBe(100_000);
    expect(timestamps.length).toBeGreaterThanOrEqual(19);
    expect(timestamps.length).toBeLessThanOrEqual(21);
    const size = run('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', join(out, 'frames', '000000.jpg')]).trim();
    expect(size).toBe('160,90');
  });

  it('reports its progress through the span, rising to the end (for the CLI\'s bar)', async () => {
    const whole: number[] = [];
    await importFixture({ video: source, outDir: join(work, 'progress-whole'), onProgress: (fraction) => whole.push(fraction) });
    expect(whole.length).toBeGreaterThan(50);
    for (let i = 1; i < whole.length; i += 1) expect(whole[i]!).toBeGreaterThanOrEqual(whole[i - 1]!);
    expect(whole[0]!).toBeLessThan(0.05);
    expect(whole.at(-1)!).toBeGreaterThan(0.95);
    const excerpt: number[] = [];
    await importFixture({ video: source, outDir: join(work, 'progress-excerpt'), fromSeconds: 1, toSeconds: 3, onProgress: (fraction) => excerpt.push(fraction) });
    expect(excerpt[0]!).toBeLessThan(0.1);
    expect(excerpt.at(-1)!).toBeGreaterThan(0.9);
  });

  it('refuses to overwrite a folder unless forced, and leaves nothing half-written on failure', async () => {
    const out = join(work, 'full');
    await expect(importFixture({ video: source, outDir: out })).rejects.toThrow(/exists and is not empty \(use --force/);
    const bogus = join(work, 'not-a-video.mp4');
    writeFileSync(bogus, 'this is not a video');
    const target = join(work, 'bogus-out');
    await expect(importFixture({ video: bogus, outDir: target })).rejects.toMatchObject({ code: 'bad-input' });
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes('.part-'))).toEqual([]);
  });

  it('rejects bad options with what was expected', async () => {
    await expect(importFixture({ video: source, outDir: join(work, 'x'), fps: 0 })).rejects.toThrow(/--fps: expected a frame rate above 0/);
    await expect(importFixture({ video: source, outDir: join(work, 'x'), size: { width: 99, height: 50 } })).rejects.toThrow(/--size: expected WxH with even integers/);
    await expect(importFixture({ video: source, outDir: join(work, 'x'), fromSeconds: 3, toSeconds: 2 })).rejects.toThrow(/--to: expected a number of seconds after --from/);
    await expect(importFixture({ video: join(work, 'missing.mp4'), outDir: join(work, 'x') })).rejects.toThrow(BodycamError);
  });

  it('says clearly when ffmpeg is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(importFixture({ video: source, outDir: join(work, 'y') })).rejects.toMatchObject({
        code: 'missing-tool',
        message: expect.stringMatching(/ffmpeg not found on PATH; bodycam fixture import needs it \(Debian\/Ubuntu: apt-get install -y ffmpeg\)/),
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
