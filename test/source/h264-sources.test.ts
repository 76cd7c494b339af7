/**
 * Issue 17: H.264 fixtures and H.264 recordings as sources. A fixture whose video is an H.264
 * Matroska stream passes through byte for byte (ffprobe's packet hashes) when the device records
 * H.264 at its size without burn-in; with the burn-in on it is decoded through ffmpeg and encoded
 * again (B-frames: h264-bframes.test.ts); the device's own H.264 recording
 * replays as a source (it used to fail with `expected V_MJPEG, found V_MPEG4/ISO/AVC`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/device/index.js';
import { UNPROTECTED } from '../../src/recorder/index.js';
import { runReplay } from '../../src/sim/index.js';
import { openSource } from '../../src/source/index.js';
import { bodycam } from '../helpers/main-in-process.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

beforeAll(() => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
});

/** An H.264 fixture: 6 s of testsrc at 10 fps, 2 s GOP, with a tone, as the fixtures look. */
function h264Fixture(extra: readonly string[] = []): string {
  const dir = tempDir('h264-fixture');
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=192x108:rate=10', '-t', '6', '-pix_fmt', 'yuv420p',
    '-c:v', 'libx264', '-threads', '1', '-g', '20', '-bf', '0', ...extra, '-y', join(dir, 'video.mkv')]);
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '6', '-c:a', 'pcm_s16le', '-y', join(dir, 'audio.wav')]);
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({
    format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: 10 }, audio: { file: 'audio.wav' },
  }));
  return dir;
}

/** `pts_time,flags,data_hash` of each video packet. */
function packetHashes(file: string): { ptsUs: number; key: boolean; hash: string }[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'sha256', '-show_entries', 'packet=pts_time,flags,data_hash', '-of', 'csv=p=0', file])
    .trim().split('\n').map((line) => {
      const [pts, flags, hash] = line.split(',');
      return { ptsUs: Math.round(Number(pts) * 1e6), key: (flags ?? '').startsWith('K'), hash: hash ?? '' };
    });
}

async function replay(source: string, video: Record<string, unknown>, outDir: string): Promise<Awaited<ReturnType<typeof runReplay>>> {
  return runReplay({
    source: await openSource(source),
    // A window longer than the 2 s GOP: until keyframe-aware pre-roll (issue 17b) keeps the extra
    // GOP, a window shorter than a GOP evicts the keyframe its deltas need.
    profile: resolveProfile({ preRecordSeconds: 3, video: { codec: 'h264', ...video } }),
    origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
    initialState: 'standby',
    inputs: [{ kind: 'signal', signal: 'holster', atUs: 3_300_000 }],
    outDir,
    protection: UNPROTECTED,
  });
}

describe('H.264 sources', () => {
  it('passes an H.264 fixture through: every recorded packet is the fixture\'s, byte for byte, keyframes included', async () => {
    const dir = h264Fixture();
    const out = tempDir('h264-pass');
    const result = await replay(dir, { burnIn: false }, out);
    const manifest = result.recordings[0];
    if (manifest === undefined) throw new Error('no recording');
    expect(result.framesEncoded).toEqual({ passthrough: 60 });
    const recorded = packetHashes(join(out, 'recordings', manifest.file));
    const source = packetHashes(join(dir, 'video.mkv'));
    // The recording starts on one of the fixture's keyframes (0, 2, 4 s; which one is the pre-roll
    // rule's) and holds every packet from there to the end, as the fixture has them.
    const firstUs = manifest.video.firstFrameUs ?? -1;
    expect(source.filter((p) => p.key).map((p) => p.ptsUs)).toContain(firstUs);
    const expected = source.filter((p) => p.ptsUs >= firstUs);
    expect(recorded.length).toBeGreaterThan(10);
    expect(recorded.map((p) => p.hash)).toEqual(expected.map((p) => p.hash));
    expect(recorded.map((p) => p.key)).toEqual(expected.map((p) => p.key));
    expect(manifest.video.keyframes).toBe(expected.filter((p) => p.key).length);
    run('ffmpeg', ['-v', 'error', '-xerror', '-i', join(out, 'recordings', manifest.file), '-f', 'null', '-']);
  }, 60_000);

  it('decodes an H.264 fixture through ffmpeg when the burn-in is on, and encodes it again with the device\'s GOP', async () => {
    const dir = h264Fixture();
    const out = tempDir('h264-decode');
    const result = await replay(dir, { burnIn: true, keyframeIntervalSeconds: 1 }, out);
    const manifest = result.recordings[0];
    if (manifest === undefined) throw new Error('no recording');
    expect(result.framesEncoded.key! + result.framesEncoded.delta!).toBe(60);
    const packets = packetHashes(join(out, 'recordings', manifest.file));
    const keyTimes = packets.filter((p) => p.key).map((p) => p.ptsUs + manifest.originUs);
    expect(keyTimes).toEqual([0, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000].filter((us) => us >= (manifest.video.firstFrameUs ?? 0)));
    // Keyframes on the device's 1 s grid, not the fixture's 2 s GOP; the recording starts on one.
    expect(packets[0]?.key).toBe(true);
    run('ffmpeg', ['-v', 'error', '-xerror', '-i', join(out, 'recordings', manifest.file), '-f', 'null', '-']);
  }, 60_000);

  it('an MJPEG device decodes an H.264 fixture through ffmpeg and records every frame as JPEG', async () => {
    const dir = h264Fixture();
    const out = tempDir('h264-mjpeg');
    const result = await replay(dir, { codec: 'mjpeg' }, out);
    const manifest = result.recordings[0];
    if (manifest === undefined) throw new Error('no recording');
    expect(manifest.video.codec).toBe('V_MJPEG');
    expect(result.framesEncoded.frame).toBe(60);
    expect(manifest.video.firstFrameUs).toBe(300_000); // T 3.3 s - 3 s: every JPEG is a keyframe
    expect(packetHashes(join(out, 'recordings', manifest.file))).toHaveLength(57);
  }, 60_000);

  it('replays the device\'s own H.264 recording as a source, passing it through again', async () => {
    const dir = h264Fixture();
    const first = tempDir('h264-first');
    const manifest = (await replay(dir, { burnIn: false }, first)).recordings[0];
    if (manifest === undefined) throw new Error('no recording');
    const recording = join(first, 'recordings', manifest.file);
    const again = tempDir('h264-again');
    const result = await runReplay({
      source: await openSource(recording),
      profile: resolveProfile({ preRecordSeconds: 3, video: { codec: 'h264', burnIn: false } }),
      origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
      // The recording's first frame (a keyframe) is at source time 0: a pre-roll from 0 keeps every frame.
      initialState: 'standby', inputs: [{ kind: 'signal', signal: 'holster', atUs: 1_000_000 }], outDir: again, protection: UNPROTECTED,
    });
    const second = result.recordings[0];
    if (second === undefined) throw new Error('no second recording');
    expect(packetHashes(join(again, 'recordings', second.file)).map((p) => p.hash)).toEqual(packetHashes(recording).map((p) => p.hash));
  }, 60_000);
});
