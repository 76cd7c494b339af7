/**
 * Issue 17, `"recording": {"container": "mp4"}`: an H.264 device writes fragmented MP4 through
 * mediabunny. One passthrough replay (beforeAll) is checked for: ffprobe's streams, every packet
 * byte-identical to the fixture's, exact µs times, one fragment per keyframe-aligned second, a
 * byte-identical second run (and the golden hash), and a copy cut off mid-fragment that ffmpeg
 * decodes without error up to its last whole fragment. MJPEG + MP4 is refused with exit 2.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SyncFmp4Muxer } from '../../src/container/mp4/sync-muxer.js';
import { readFragmentedMp4 } from '../../src/container/index.js';
import { resolveProfile } from '../../src/device/index.js';
import { UNPROTECTED, type RecordingManifest } from '../../src/recorder/index.js';
import { runReplay } from '../../src/sim/index.js';
import { openSource } from '../../src/source/index.js';
import { bodycam } from '../helpers/main-in-process.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

/**
 * The golden SHA-256 of the passthrough recording below, for mediabunny 1.61.0 (the bytes depend
 * only on the fixture, which Debian 12's ffmpeg 5.1 / libx264 164 makes). Re-take it when a
 * mediabunny upgrade changes its boxes, after the other checks pass.
 */
const GOLDEN_SHA256 = '8b1a52ab12da22b508cd7a874354afac7d98ebe25b7c0cb2d9b612b64823de63';

/** 6 s of testsrc at 10 fps with a 1 s GOP and a tone: an H.264 fixture in Matroska. */
function h264Fixture(): string {
  const dir = tempDir('mp4-fixture');
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=192x108:rate=10', '-t', '6', '-pix_fmt', 'yuv420p',
    '-c:v', 'libx264', '-threads', '1', '-g', '10', '-bf', '0', '-y', join(dir, 'video.mkv')]);
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '6', '-c:a', 'pcm_s16le', '-y', join(dir, 'audio.wav')]);
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({
    format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: 10 }, audio: { file: 'audio.wav' },
  }));
  return dir;
}

/** `pts (µs), key, sha256` of each video packet. */
function packets(file: string): { ptsUs: number; key: boolean; hash: string }[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'sha256', '-show_entries', 'packet=pts,flags,data_hash', '-of', 'csv=p=0', file])
    .trim().split('\n').map((line) => {
      const [pts, flags, hash] = line.split(',');
      return { ptsUs: Number(pts), key: (flags ?? '').startsWith('K'), hash: hash ?? '' };
    });
}

async function recordMp4(fixture: string, powerCutUs: number | null = null): Promise<{ manifest: RecordingManifest; file: string }> {
  const out = tempDir('mp4-out');
  const result = await runReplay({
    source: await openSource(fixture),
    profile: resolveProfile({ preRecordSeconds: 2, video: { codec: 'h264', burnIn: false }, recording: { container: 'mp4' } }),
    origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
    initialState: 'standby',
    inputs: [{ kind: 'signal', signal: 'holster', atUs: 2_450_000 }, ...(powerCutUs === null ? [] : [{ kind: 'power' as const, action: 'cut' as const, atUs: powerCutUs }])],
    outDir: out,
    protection: UNPROTECTED,
  });
  const manifest = result.recordings[0];
  if (manifest === undefined) throw new Error('no recording');
  return { manifest, file: join(out, 'recordings', manifest.file) };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

let fixture: string;
let first: { manifest: RecordingManifest; file: string };

beforeAll(async () => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
  fixture = h264Fixture();
  first = await recordMp4(fixture);
}, 60_000);

describe('fragmented MP4 recordings', () => {
  it('is an .mp4 of H.264 and 16-bit PCM, named so in the manifest, that ffmpeg decodes without error', () => {
    expect(first.manifest.file).toMatch(/\.mp4$/);
    expect(first.manifest.video.codec).toBe('avc1');
    expect(first.manifest.audio?.codec).toBe('ipcm');
    const streams = JSON.parse(run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,time_base', '-of', 'json', first.file])) as { streams: { codec_type: string; codec_name: string; time_base: string }[] };
    expect(streams.streams.map((s) => [s.codec_type, s.codec_name, s.time_base])).toEqual([['video', 'h264', '1/1000000'], ['audio', 'pcm_s16le', '1/8000']]);
    run('ffmpeg', ['-v', 'error', '-xerror', '-i', first.file, '-f', 'null', '-']);
  });

  it('keeps every packet of the fixture byte for byte, at its exact capture time in µs', () => {
    const recorded = packets(first.file);
    const firstUs = first.manifest.video.firstFrameUs ?? -1;
    // keyframe-before: the 2 s window from 0.45 s starts at the 0 s keyframe.
    expect(firstUs).toBe(0);
    const source = packets(join(fixture, 'video.mkv')).filter((p) => p.ptsUs >= firstUs);
    expect(recorded.map((p) => p.hash)).toEqual(source.map((p) => p.hash));
    expect(recorded.map((p) => p.key)).toEqual(source.map((p) => p.key));
    // The fixture's Matroska times are in ms (ffprobe's pts); the MP4's timescale is 1 µs.
    expect(recorded.map((p) => p.ptsUs + first.manifest.originUs)).toEqual(source.map((p) => p.ptsUs * 1000));
    expect(first.manifest.video.frames).toBe(recorded.length);
    expect(first.manifest.video.keyframes).toBe(recorded.filter((p) => p.key).length);
  });

  it('writes one fragment per keyframe-aligned second, each starting with a keyframe', () => {
    const layout = readFragmentedMp4(readFileSync(first.file), { file: first.file });
    expect(layout.finalized).toBe(true);
    expect(layout.truncated).toBe(false);
    const video = layout.tracks.find((track) => track.handler === 'vide');
    expect(video?.timescale).toBe(1_000_000);
    const runs = layout.fragments.map((fragment) => fragment.runs.find((r) => r.trackId === video?.id));
    // 10 fps, 1 s GOPs, 6 s from the 0 s keyframe: 6 fragments of 10 frames, starting at 0, 1, ... 5 s.
    expect(runs.map((r) => r?.sampleSizes.length)).toEqual([10, 10, 10, 10, 10, 10]);
    expect(runs.map((r) => r?.baseDecodeTime)).toEqual([0, 1, 2, 3, 4, 5].map((s) => s * 1_000_000));
  });

  it('gives byte-identical files on two runs (the golden hash), waiting for the muxer\'s worker once per drain step, not per packet', async () => {
    const posted = vi.spyOn(SyncFmp4Muxer.prototype, 'post');
    const waited = vi.spyOn(SyncFmp4Muxer.prototype, 'flush');
    let again: Awaited<ReturnType<typeof recordMp4>>;
    try {
      again = await recordMp4(fixture);
      // Each flush is one blocking round trip (open and finalize included); before, every packet was one.
      const packets = posted.mock.calls.filter(([request]) => request.op === 'video' || request.op === 'audio').length;
      expect(packets).toBeGreaterThan(again.manifest.video.frames);
      expect(waited.mock.calls.length, `${waited.mock.calls.length} round trips for ${packets} packets`).toBeLessThan(packets / 30);
    } finally {
      posted.mockRestore();
      waited.mockRestore();
    }
    const bytes = readFileSync(first.file);
    expect(sha256(readFileSync(again.file))).toBe(sha256(bytes));
    expect(first.manifest.sha256).toBe(sha256(bytes));
    expect(sha256(bytes)).toBe(GOLDEN_SHA256);
  }, 60_000);

  it('plays a copy cut off mid-fragment up to its last whole fragment', () => {
    const bytes = readFileSync(first.file);
    const layout = readFragmentedMp4(bytes, { file: first.file });
    const third = layout.fragments[2]!;
    const cutAt = third.offset + Math.floor((third.end - third.offset) / 2);
    const cut = join(tempDir('mp4-cut'), 'cut.mp4');
    writeFileSync(cut, bytes.subarray(0, cutAt));
    const cutLayout = readFragmentedMp4(readFileSync(cut), { file: cut });
    expect(cutLayout.truncated).toBe(true);
    expect(cutLayout.fragments).toHaveLength(2);
    expect(cutLayout.validBytes).toBe(third.offset);
    // ffmpeg decodes it without an error: every frame of the two whole fragments (and the
    // samples of the cut one whose bytes are all there), each the same picture as in the whole file.
    const md5s = (file: string): string[] => run('ffmpeg', ['-v', 'error', '-xerror', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'])
      .split('\n').filter((line) => /^0,/.test(line)).map((line) => line.split(',').at(-1)!.trim());
    const decoded = md5s(cut);
    expect(decoded.length).toBeGreaterThanOrEqual(20);
    expect(decoded).toEqual(md5s(first.file).slice(0, decoded.length));
  });
});

describe('a power cut during an MP4 recording', () => {
  it('leaves the whole fragments written before it, and a manifest that counts exactly them', async () => {
    // Cut at 4.55 s: the fragments [0, 1), [1, 2), [2, 3) and [3, 4) s are out (the 4 s keyframe closed the last), [4, 4.5] is not.
    const cut = await recordMp4(fixture, 4_550_000);
    expect(cut.manifest.complete).toBe(false);
    const layout = readFragmentedMp4(readFileSync(cut.file), { file: cut.file });
    expect(layout.finalized).toBe(false);
    expect(layout.truncated).toBe(false);
    const videoFrames = layout.fragments.map((fragment) => fragment.runs.find((r) => r.trackId === 1)?.sampleSizes.length ?? 0);
    expect(videoFrames).toEqual([10, 10, 10, 10]);
    expect(cut.manifest.video.frames).toBe(40);
    expect(cut.manifest.video.lastFrameUs).toBe(3_900_000);
    expect(cut.manifest.lost?.frames).toBeGreaterThan(0);
    expect(packets(cut.file)).toHaveLength(40);
    run('ffmpeg', ['-v', 'error', '-xerror', '-i', cut.file, '-f', 'null', '-']);
  }, 60_000);
});

describe('recording.container "mp4" with MJPEG', () => {
  it('is refused: exit 2, one line naming the key', async () => {
    const dir = tempDir('mp4-mjpeg');
    const config = join(dir, 'device.json');
    writeFileSync(config, JSON.stringify({ recording: { container: 'mp4' } }));
    const result = await bodycam('run', 'fixtures/street-warning', '--config', config, '--out', join(dir, 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/device\.json: recording\.container: expected "matroska" for video\.codec "mjpeg".*found "mp4"/);
  });
});
