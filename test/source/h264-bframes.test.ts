/**
 * Issue 17: H.264 footage with B-frames, handled exactly in presentation order. A small clip made
 * as awkward as phone and camera footage gets (B-pyramid with 3 B-frames, open GOPs, 29.97 fps,
 * AAC audio, an MP4 edit list with negative DTS) is imported with `--codec copy` and replayed once
 * on an H.264 device whose size and burn-in would allow passthrough; every check below reads that
 * one run's outputs:
 * - the fixture keeps the access units byte for byte in decode order, and its capture times are
 *   the presentation times, sorted, from the fixture's origin;
 * - the device says once that it re-encodes, and records no B-frame;
 * - the recording holds every presented frame from the rule's keyframe up to the stop, at the
 *   source's presentation times, decodes with `ffmpeg -xerror`, has its keyframes on the device's
 *   grid, and each recorded picture is the source's picture shown at that time (nearest by pixels).
 * Refusals: packets an MP4 edit list hides, and a stream whose first frame is not an IDR.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { bodycam, type InProcessResult } from '../helpers/main-in-process.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

const WIDTH = 160;
const HEIGHT = 96;

interface Packet { readonly ptsUs: number; readonly key: boolean; readonly hash: string }

function packets(file: string): Packet[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'sha256', '-show_entries', 'packet=pts_time,flags,data_hash', '-of', 'csv=p=0', file])
    .trim().split('\n').map((line) => {
      const [pts, flags, hash] = line.split(',');
      return { ptsUs: Math.round(Number(pts) * 1e6), key: (flags ?? '').startsWith('K'), hash: hash ?? '' };
    });
}

interface Frame { readonly ptsUs: number; readonly key: boolean; readonly type: string }

function frames(file: string): Frame[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time,key_frame,pict_type', '-of', 'csv=p=0', file])
    .trim().split('\n').map((line) => {
      const [key, pts, type] = line.split(',');
      return { ptsUs: Math.round(Number(pts) * 1e6), key: key === '1', type: type ?? '' };
    });
}

/** Every frame as 8-bit grey pixels, in presentation order. */
function greyFrames(file: string): Buffer[] {
  const result = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${String(result.stderr)}`);
  const size = WIDTH * HEIGHT;
  return Array.from({ length: result.stdout.length / size }, (_, i) => result.stdout.subarray(i * size, (i + 1) * size));
}

/** Sum of absolute differences of two grey pictures. */
function distance(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum;
}

let work = '';
let source = '';
let fixtureDir = '';
let imported: InProcessResult;
let ran: InProcessResult;
let manifest: RecordingManifest;
let recording = '';

beforeAll(async () => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
  work = tempDir('bframes');
  source = join(work, 'clip.mp4');
  // 3 s at 29.97 fps: B-pyramid, 3 B-frames, open GOPs every 15 frames (non-IDR I-frames with
  // recovery points; the B-frames after them refer back across the GOP), AAC audio. MP4 writes an
  // edit list and negative DTS for the B-frame delay.
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=30000/1001`, '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000',
    '-t', '3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-threads', '1', '-bf', '3',
    '-x264-params', 'open-gop=1:b-pyramid=normal:keyint=15:min-keyint=15:scenecut=0:b-adapt=0', '-c:a', 'aac', '-shortest', '-y', source]);
  fixtureDir = join(work, 'fixture');
  imported = await bodycam('fixture', 'import', source, '--out', fixtureDir, '--codec', 'copy');
  const config = join(work, 'device.json');
  // Passthrough would apply (H.264, same size, no burn-in) but for the B-frames.
  writeFileSync(config, JSON.stringify({ preRecordSeconds: 0.5, video: { codec: 'h264', burnIn: false, keyframeIntervalSeconds: 1, bitrateKbps: 8000 } }));
  const scenario = join(work, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({ format: 'bodycam-scenario/1', clock: { start: '2026-11-22T10:15:00+01:00' }, events: [{ at: 1.55, press: 'record', hold: 0.2 }] }));
  ran = await bodycam('run', fixtureDir, '--config', config, '--scenario', scenario, '--out', join(work, 'out'));
  const manifests = readdirSync(join(work, 'out', 'recordings')).filter((f) => f.endsWith('.json'));
  manifest = JSON.parse(readFileSync(join(work, 'out', 'recordings', manifests[0] ?? ''), 'utf8')) as RecordingManifest;
  recording = join(work, 'out', 'recordings', manifest.file);
}, 180_000);

describe('H.264 footage with B-frames', () => {
  it('imports with --codec copy: the access units byte for byte in decode order, capture times the sorted presentation times', () => {
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    const sourcePackets = packets(source);
    const stored = packets(join(fixtureDir, 'video.mkv'));
    expect(sourcePackets.filter((_, i) => i > 0).some((p, i) => p.ptsUs < (sourcePackets[i]?.ptsUs ?? 0))).toBe(true); // B-frames: decode order is not presentation order
    expect(stored.map((p) => p.hash)).toEqual(sourcePackets.map((p) => p.hash));
    const times = readFileSync(join(fixtureDir, 'timestamps.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
    const sorted = sourcePackets.map((p) => p.ptsUs).sort((a, b) => a - b);
    expect(times.map((t) => t - (times[0] ?? 0))).toEqual(sorted.map((t) => t - (sorted[0] ?? 0)));
  });

  it('re-encodes with the device\'s encoder, says so once, and records no B-frame', () => {
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(ran.stdout.match(/the source has B-frames/g)).toHaveLength(1);
    expect(frames(recording).every((f) => f.type === 'I' || f.type === 'P')).toBe(true);
  });

  it('records every presented frame from the rule\'s keyframe to the stop, at the presentation times, and decodes with -xerror', () => {
    const times = readFileSync(join(fixtureDir, 'timestamps.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
    // Device keyframes: the first frame, then the first captured at or after each whole second.
    const keyTimes = [0, 1, 2].map((s) => times.find((t) => t >= (times[0] ?? 0) + s * 1_000_000) as number);
    const T = manifest.trigger.atUs;
    const start = [...keyTimes].reverse().find((k) => k <= T - 500_000) as number;
    const expected = times.filter((t) => t >= start && t < manifest.stop.atUs);
    expect(manifest.video).toMatchObject({ frames: expected.length, firstFrameUs: start, lastFrameUs: expected[expected.length - 1] });
    const counted = run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', recording]).trim();
    expect(Number(counted)).toBe(expected.length);
    const recorded = frames(recording);
    expect(recorded.map((f) => f.ptsUs)).toEqual(expected.map((t) => Math.round((t - start) / 100) * 100));
    expect(recorded.filter((f) => f.key).map((f) => f.ptsUs)).toEqual(keyTimes.filter((k) => k >= start).map((k) => Math.round((k - start) / 100) * 100));
    const decoded = spawnSync('ffmpeg', ['-v', 'error', '-xerror', '-i', recording, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decoded.stderr).toBe('');
    expect(decoded.status).toBe(0);
  });

  it('records each frame with the picture the source shows at its time (nearest source picture by pixels)', () => {
    const times = readFileSync(join(fixtureDir, 'timestamps.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
    const sourcePictures = greyFrames(source);
    expect(sourcePictures).toHaveLength(times.length);
    const recordedPictures = greyFrames(recording);
    const firstIndex = times.indexOf(manifest.video.firstFrameUs as number);
    expect(recordedPictures.length).toBe(manifest.video.frames);
    const nearest = recordedPictures.map((picture) => {
      let best = -1;
      let bestDistance = Number.POSITIVE_INFINITY;
      sourcePictures.forEach((candidate, index) => {
        const d = distance(picture, candidate);
        if (d < bestDistance) [best, bestDistance] = [index, d];
      });
      return best;
    });
    expect(nearest).toEqual(recordedPictures.map((_, i) => firstIndex + i));
  });
});

describe('H.264 footage the device cannot take as it is', () => {
  it('refuses packets an MP4 edit list hides (cut at a non-keyframe with -c copy): exit 2 naming the packet, no folder left', async () => {
    const cut = join(work, 'cut.mp4');
    run('ffmpeg', ['-v', 'error', '-ss', '1.3', '-i', source, '-c', 'copy', '-y', cut]);
    const out = join(work, 'cut-fixture');
    const result = await bodycam('fixture', 'import', cut, '--out', out, '--codec', 'copy');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cut\.mp4: video packet 0 \(decode order\): expected a packet the video shows .*found a packet its edit list hides \(\d+ packets/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a stream that starts on an open GOP\'s recovery point rather than an IDR: exit 2 naming frame 0', async () => {
    const dir = join(work, 'recovery-point');
    mkdirSync(dir);
    run('ffmpeg', ['-v', 'error', '-ss', '0.6', '-i', source, '-map', '0:v:0', '-c', 'copy', '-y', join(dir, 'video.mkv')]);
    writeFileSync(join(dir, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: 30 } }));
    const result = await bodycam('run', dir, '--out', join(dir, 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/video\.mkv: video frame 0 \(at 0 µs\): expected a stream that starts with a keyframe \(IDR\).*found an I frame that is not an IDR/);
  });

  it('ends the run (exit 3, naming the frame) when the presentation times disagree with the pictures\' order', async () => {
    const dir = join(work, 'wrong-times');
    mkdirSync(dir);
    // Presentation times set to the decode times: in order, while the pictures are reordered.
    run('ffmpeg', ['-v', 'error', '-i', source, '-map', '0:v:0', '-c', 'copy', '-bsf:v', 'setts=pts=DTS', '-y', join(dir, 'video.mkv')]);
    writeFileSync(join(dir, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: 30 } }));
    const result = await bodycam('run', dir, '--out', join(dir, 'out'));
    expect(result.status).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/video\.mkv: video frame \d+ \(presentation order\): the H\.264 decoder showed frame \d+ there: the stream's presentation times disagree/);
  });
});
