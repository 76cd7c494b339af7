/**
 * Issue 17 / contract §9: an H.264 fixture's `stream` may be an MP4 file, read with mediabunny's
 * demuxer; the device's own MP4 recording replays as a SOURCE (cut off or whole); `fixture import
 * clip.mp4 --codec copy` keeps every packet; an MP4 that is no recording (AAC audio) is refused
 * with the import command. One fixture and one MP4 recording (beforeAll) serve every test.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFragmentedMp4, unitsToUs } from '../../src/container/index.js';
import { resolveProfile } from '../../src/device/index.js';
import { UNPROTECTED, type RecordingManifest } from '../../src/recorder/index.js';
import { runReplay } from '../../src/sim/index.js';
import { openSource } from '../../src/source/index.js';
import { bodycam } from '../helpers/main-in-process.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

/** `pts (in the stream's time base), key, sha256` of each video packet, and the time base. */
function packets(file: string): { pts: number; key: boolean; hash: string }[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'sha256', '-show_entries', 'packet=pts,flags,data_hash', '-of', 'csv=p=0', file])
    .trim().split('\n').map((line) => {
      const [pts, flags, hash] = line.split(',');
      return { pts: Number(pts), key: (flags ?? '').startsWith('K'), hash: hash ?? '' };
    });
}

async function replay(source: string, outDir: string, extra: Record<string, unknown> = {}, atUs = 2_450_000): Promise<RecordingManifest> {
  const result = await runReplay({
    source: await openSource(source),
    profile: resolveProfile({ preRecordSeconds: 2, video: { codec: 'h264', burnIn: false }, ...extra }),
    origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
    initialState: 'standby',
    inputs: [{ kind: 'signal', signal: 'holster', atUs }],
    outDir,
    protection: UNPROTECTED,
  });
  const manifest = result.recordings[0];
  if (manifest === undefined) throw new Error('no recording');
  return manifest;
}

let fixture: string;
let clip: string;
let recording: { manifest: RecordingManifest; file: string };

beforeAll(async () => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
  fixture = tempDir('mp4-stream');
  clip = join(fixture, 'video.mp4');
  // 5 s at 12.5 fps (80 ms frames) on a 90 kHz timescale, 1 s GOPs, with AAC audio (ignored by
  // a fixture, which takes its audio from audio.wav).
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x96:rate=12.5', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000',
    '-t', '5', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-threads', '1', '-g', '12', '-bf', '0', '-c:a', 'aac', '-video_track_timescale', '90000', '-y', clip]);
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '5', '-c:a', 'pcm_s16le', '-y', join(fixture, 'audio.wav')]);
  writeFileSync(join(fixture, 'fixture.json'), JSON.stringify({
    format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mp4', fps: 12.5 }, audio: { file: 'audio.wav' },
  }));
  const out = tempDir('mp4-stream-out');
  const manifest = await replay(fixture, out, { recording: { container: 'mp4' } });
  recording = { manifest, file: join(out, 'recordings', manifest.file) };
}, 90_000);

describe('µs from an MP4 timescale', () => {
  it('is exact on the µs grid and rounds half up elsewhere', () => {
    expect(unitsToUs(7_200, 90_000)).toBe(80_000);
    expect(unitsToUs(1, 90_000)).toBe(11); // 11.11 µs
    expect(unitsToUs(3, 48_000)).toBe(63); // 62.5 µs: half up
    expect(unitsToUs(-3, 48_000)).toBe(-62); // -62.5 µs: half up is toward +∞
    expect(unitsToUs(1001, 30_000)).toBe(33_367); // NTSC frame: 33 366.67 µs
    expect(unitsToUs(123_456_789, 1_000_000)).toBe(123_456_789);
    expect(unitsToUs(90_000 * 86_400 * 10, 90_000)).toBe(864_000_000_000); // ten days, no precision lost
  });
});

describe('MP4 as an H.264 fixture stream', () => {
  it('passes every packet of the MP4 through byte for byte, at its presentation time in µs', () => {
    const source = packets(clip);
    const recorded = packets(recording.file);
    // The 90 kHz times: every 80 ms frame is 7200 units; capture times are them minus the first.
    const firstUs = recording.manifest.video.firstFrameUs ?? -1;
    const kept = source.filter((p) => unitsToUs(p.pts - source[0]!.pts, 90_000) >= firstUs);
    expect(kept.length).toBeGreaterThan(30);
    expect(recorded.map((p) => p.hash)).toEqual(kept.map((p) => p.hash));
    expect(recorded.map((p) => p.key)).toEqual(kept.map((p) => p.key));
    expect(recorded.map((p) => p.pts + recording.manifest.originUs)).toEqual(kept.map((p) => unitsToUs(p.pts - source[0]!.pts, 90_000)));
  });
});

describe('an MP4 recording as a source', () => {
  it('replays the device\'s MP4 recording, passing it through again', async () => {
    const out = tempDir('mp4-again');
    const again = await replay(recording.file, out, {}, 1_000_000);
    expect(again.file).toMatch(/\.mkv$/);
    expect(packets(join(out, 'recordings', again.file)).map((p) => p.hash)).toEqual(packets(recording.file).map((p) => p.hash));
  }, 60_000);

  it('replays a copy cut off mid-fragment up to its last whole fragment', async () => {
    const bytes = readFileSync(recording.file);
    const layout = readFragmentedMp4(bytes, { file: recording.file });
    const last = layout.fragments.at(-1)!;
    const dir = tempDir('mp4-cut-source');
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, bytes.subarray(0, last.offset + 100));
    const source = await openSource(cut);
    const wholeFrames = layout.fragments.slice(0, -1).reduce((sum, fragment) => sum + (fragment.runs.find((r) => r.trackId === 1)?.sampleSizes.length ?? 0), 0);
    expect(source.frameCount).toBe(wholeFrames);
  });

  it('refuses an MP4 that is no recording (AAC audio) with the import command', async () => {
    const result = await bodycam('run', clip, '--out', join(tempDir('mp4-aac'), 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/video\.mp4.*an MP4 with aac; import it as a fixture first: bodycam fixture import/);
  });
});

describe('fixture import clip.mp4 --codec copy', () => {
  it('keeps every packet byte for byte', async () => {
    const out = join(tempDir('mp4-import'), 'fx');
    mkdirSync(join(out, '..'), { recursive: true });
    const result = await bodycam('fixture', 'import', clip, '--out', out, '--codec', 'copy');
    expect(result.status, result.stderr).toBe(0);
    const fixtureJson = JSON.parse(readFileSync(join(out, 'fixture.json'), 'utf8')) as { video: { stream: string } };
    expect(packets(join(out, fixtureJson.video.stream)).map((p) => p.hash)).toEqual(packets(clip).map((p) => p.hash));
  }, 60_000);
});
