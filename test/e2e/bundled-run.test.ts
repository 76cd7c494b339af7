/**
 * Issue 2, done-when 1, 2 and 5: from the built CLI, `bodycam run` on the bundled fixture writes a
 * recording that ffprobe reads frame-exactly, with its manifest and events; a cut-off copy still plays.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { loadFixture } from '../../src/fixture/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { BUNDLED_FIXTURE_DIR } from '../../src/source/index.js';
import { ROOT, readEvents, readManifests, runCli } from '../helpers/cli.js';
import { BUNDLED_GOLDEN_SHA256 } from '../helpers/golden.js';
import { ffprobeFramePtsUs, requireTestTool, run, tempDir } from '../helpers/tools.js';

let outDir: string;
let manifest: RecordingManifest;
let mkv: string;

beforeAll(() => {
  requireTestTool('ffprobe');
  outDir = tempDir('bundled');
  const result = runCli(['run', '--out', outDir], { viaNpxBin: true });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const manifests = readManifests(outDir);
  expect(manifests).toHaveLength(1);
  manifest = manifests[0] as RecordingManifest;
  mkv = join(outDir, 'recordings', manifest.file);
}, 180_000);

describe('npx bodycam run on the bundled fixture', () => {
  it('writes a recording, its manifest and events.jsonl, and summarises them', () => {
    expect(existsSync(mkv)).toBe(true);
    expect(existsSync(join(outDir, 'events.jsonl'))).toBe(true);
    expect(manifest).toMatchObject({
      format: 'bodycam-recording/1', deviceId: 'DRD-BC-0001', officerId: 'H-0001', complete: true,
      trigger: { atUs: 40_050_000, source: 'button' },
      stop: { atUs: 68_000_000, reason: 'button' },
      preRoll: { requestedUs: 30_000_000, limitedBy: null },
      video: { codec: 'V_MJPEG', width: 640, height: 360 },
      audio: { codec: 'A_PCM/INT/LIT', sampleRate: 16_000 },
    });
    expect(manifest.id.startsWith('DRD-BC-0001_20261122T1400')).toBe(true);
    expect(manifest.markers).toEqual([52_200_000]); // a marker lands at the release of the short press (docs/device.md)
    const bytes = readFileSync(mkv);
    expect(manifest.bytes).toBe(bytes.length);
    expect(manifest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('holds exactly the frames the pre-roll rule picks, at their capture times (ffprobe)', async () => {
    const fixture = await loadFixture(BUNDLED_FIXTURE_DIR);
    const times = fixture.video.captureUs;
    const T = 40_050_000;
    const S = 68_000_000;
    const expected = times.filter((t) => t >= T - 30_000_000 && t < S);
    expect(manifest.video.frames).toBe(expected.length);
    expect(manifest.video.firstFrameUs).toBe(expected[0]);
    expect(manifest.video.lastFrameUs).toBe(expected[expected.length - 1]);
    expect(manifest.preRoll.actualUs).toBe(T - (expected[0] ?? 0));

    const streams = run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'csv=p=0', mkv]).trim().split('\n').sort();
    expect(streams).toEqual(['audio,pcm_s16le', 'video,mjpeg'].map((s) => s.split(',').reverse().join(',')).sort());
    const pts = ffprobeFramePtsUs(mkv);
    expect(pts).toHaveLength(expected.length);
    const first = expected[0] ?? 0;
    const worstUs = Math.max(...pts.map((p, i) => Math.abs(p - ((expected[i] ?? 0) - first))));
    expect(worstUs).toBeLessThanOrEqual(1000);
  });

  it('shows the marker as a chapter players list (ffprobe -show_chapters), at its time in the file', () => {
    const probed = JSON.parse(run('ffprobe', ['-v', 'error', '-of', 'json', '-show_chapters', mkv])) as { chapters: { start_time: string; tags?: { title?: string } }[] };
    const originUs = manifest.video.firstFrameUs ?? 0;
    expect(probed.chapters.map((chapter) => [Math.round(Number(chapter.start_time) * 1e6), chapter.tags?.title])).toEqual([
      [52_200_000 - originUs, 'Marker 1 (2026-11-22T14:00:52+01:00)'],
    ]);
  });

  it('keeps the audio sample-exact from the first frame to the stop', async () => {
    const fixture = await loadFixture(BUNDLED_FIXTURE_DIR);
    const audio = fixture.audio;
    if (audio === null || manifest.audio === null) throw new Error('bundled fixture has audio');
    const firstSample = Math.ceil(((manifest.video.firstFrameUs ?? 0) - audio.startUs) * audio.sampleRate / 1e6);
    const endSample = Math.ceil((68_000_000 - audio.startUs) * audio.sampleRate / 1e6);
    expect(manifest.audio.samples).toBe(endSample - firstSample);
    const file = readMatroska(new Uint8Array(readFileSync(mkv)));
    const pcm = file.blocks.filter((b) => b.trackNumber === 2);
    const written = new Int16Array(manifest.audio.samples);
    let offset = 0;
    for (const block of pcm) {
      written.set(new Int16Array(block.payload.slice().buffer), offset);
      offset += block.payload.byteLength / 2;
    }
    expect(offset).toBe(manifest.audio.samples);
    expect(Buffer.from(written.buffer).equals(Buffer.from(audio.samples.slice(firstSample, endSample).buffer))).toBe(true);
  });

  it('logs the record LED red exactly at T and dark exactly at S', () => {
    const leds = readEvents(outDir).filter((e) => e.type === 'led' && e.led === 'record');
    expect(leds.map((e) => [e.t, e.type === 'led' ? e.color : ''])).toEqual([[0, 'off'], [40_050_000, 'red'], [68_000_000, 'off']]);
  });

  it('still plays when cut to 60 % of its size, up to its last whole cluster', () => {
    const bytes = new Uint8Array(readFileSync(mkv));
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    const cutFile = join(outDir, 'cut.mkv');
    writeFileSync(cutFile, cut);
    const wholeClusterFrames = readMatroska(cut).blocks.filter((b) => b.trackNumber === 1).length;
    expect(wholeClusterFrames).toBeGreaterThan(manifest.video.frames * 0.5);
    const pts = ffprobeFramePtsUs(cutFile);
    expect(pts.length).toBeGreaterThanOrEqual(wholeClusterFrames);
    const decode = run('ffmpeg', ['-v', 'error', '-i', cutFile, '-map', '0:v', '-f', 'null', '-']);
    expect(decode.trim()).toBe('');
  });

  it('is run from the repository like a user would (README commands)', () => {
    expect(existsSync(join(ROOT, 'fixtures', 'street-warning', 'fixture.json'))).toBe(true);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('run [options] [source]');
  });
});


describe('golden outputs of the bundled replay', () => {
  const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('writes the recording, manifest and events.jsonl byte for byte as before', () => {
    expect({
      recording: sha256Of(mkv),
      manifest: sha256Of(join(outDir, 'recordings', `${manifest.id}.json`)),
      events: sha256Of(join(outDir, 'events.jsonl')),
    }).toEqual(BUNDLED_GOLDEN_SHA256);
  });
});
