/**
 * Issue 17: the recording tools on H.264 recordings, through the CLI. A run with
 * `video.codec: "h264"` (a --config file) is verified, its audio exported sample for sample, a
 * cut-off copy repaired (keeping V_MPEG4/ISO/AVC and its avcC; it decodes with -xerror), and the
 * run offloaded to the back office and exported in a package that verifies.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { bodycam } from '../helpers/main-in-process.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';

beforeAll(() => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
});

describe('repair, verify, export-audio and evidence on H.264 recordings', () => {
  it('work as they do on MJPEG', async () => {
    const fixture = await makeFixture({
      fps: 10, frames: 50, width: 160, height: 120, audio: { sampleRate: 8000, seconds: 5 },
      scenario: { format: 'bodycam-scenario/1', events: [{ at: 1.5, press: 'record', hold: 0.1 }, { at: 1.8, press: 'record', hold: 3 }] },
    });
    const work = tempDir('h264-tools');
    const config = join(work, 'h264.json');
    writeFileSync(config, JSON.stringify({ preRecordSeconds: 3, video: { codec: 'h264', keyframeIntervalSeconds: 1 } }));
    const out = join(work, 'out');
    const ran = await bodycam('run', fixture.dir, '--out', out, '--config', config);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    const recordings = join(out, 'recordings');
    const mkv = readdirSync(recordings).find((name) => name.endsWith('.mkv'));
    if (mkv === undefined) throw new Error('no recording');
    const manifest = JSON.parse(readFileSync(join(recordings, mkv.replace(/\.mkv$/, '.json')), 'utf8')) as { video: { codec: string; keyframes: number; frames: number } };
    expect(manifest.video.codec).toBe('V_MPEG4/ISO/AVC');
    expect(manifest.video.keyframes).toBeGreaterThan(1);

    expect((await bodycam('verify', out)).status).toBe(0);

    const wav = join(work, 'audio.wav');
    const exported = await bodycam('export-audio', join(recordings, mkv), '--out', wav);
    expect(exported.status).toBe(0);
    expect(run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate', '-of', 'csv=p=0', wav]).trim()).toBe('pcm_s16le,8000');

    // A cut-off copy (its Cues and the end of its last cluster gone) is repaired as H.264.
    const bytes = readFileSync(join(recordings, mkv));
    const parsed = readMatroska(bytes, { file: mkv });
    const cuesAt = parsed.seekPositions.get(0x1c53bb6b) ?? 0;
    const cutDir = join(work, 'cut');
    mkdirSync(join(cutDir, 'recordings'), { recursive: true });
    const cut = join(cutDir, 'recordings', mkv);
    writeFileSync(cut, bytes.subarray(0, parsed.segmentDataOffset + cuesAt - 50));
    const repaired = await bodycam('repair', cut);
    expect(repaired.stderr).toBe('');
    expect(repaired.status).toBe(0);
    const repairedDir = join(cutDir, 'repaired');
    const repairedMkv = readdirSync(repairedDir).find((name) => name.endsWith('.mkv')) ?? '';
    const repairedFile = readMatroska(readFileSync(join(repairedDir, repairedMkv)), { file: repairedMkv });
    const video = repairedFile.tracks.find((t) => t.type === 'video');
    expect(video?.codecId).toBe('V_MPEG4/ISO/AVC');
    expect(Buffer.from(video?.codecPrivate ?? []).toString('hex')).toBe(Buffer.from(parsed.tracks[0]?.codecPrivate ?? []).toString('hex'));
    run('ffmpeg', ['-v', 'error', '-xerror', '-i', join(repairedDir, repairedMkv), '-f', 'null', '-']);
    const repairedManifest = JSON.parse(readFileSync(join(repairedDir, repairedMkv.replace(/\.mkv$/, '.json')), 'utf8')) as { video: { codec: string; keyframes: number } };
    expect(repairedManifest.video.codec).toBe('V_MPEG4/ISO/AVC');
    expect(repairedManifest.video.keyframes).toBeGreaterThan(0);

    // The back office: offload the run, export the recording, verify the package.
    const store = join(work, 'store');
    expect((await bodycam('evidence', 'init', '--store', store)).status).toBe(0);
    expect((await bodycam('evidence', 'register', 'DRD-BC-0001', '--simulation-key', '--store', store, '--now', '2026-11-22T08:00:00Z')).status).toBe(0);
    const offload = await bodycam('evidence', 'offload', out, '--store', store, '--now', '2026-11-23T09:00:00Z');
    expect(offload.stderr).toBe('');
    expect(offload.status).toBe(0);
    const id = mkv.replace(/\.mkv$/, '');
    const pkg = join(work, 'package');
    const exportedPkg = await bodycam('evidence', 'export', id, '--out', pkg, '--case', 'OM-1', '--store', store, '--now', '2026-11-24T10:00:00Z');
    expect(exportedPkg.stderr).toBe('');
    expect(exportedPkg.status).toBe(0);
    expect((await bodycam('verify', pkg)).status).toBe(0);
  }, 120_000);
});
