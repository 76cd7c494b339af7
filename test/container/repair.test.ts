import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { readMatroska, repairMatroska } from '../../src/container/index.js';
import {
  blockSummary, sha256, ffmpegDecodeErrors, ffprobeFramePtsUs, ffprobeStreams, frameTimes, makeJpegs, requireTool, tempDir, walkFile, writeRecording,
  writeTemp,
} from './helpers.js';

let dir = '';
let original: Uint8Array = new Uint8Array(0);
let fedVideoUs: number[] = [];

beforeAll(async () => {
  requireTool('ffprobe');
  requireTool('ffmpeg');
  dir = tempDir();
  const recording = writeRecording({
    frameTimesUs: frameTimes(150, 30), jpegs: await makeJpegs(96, 64, 8),
    audio: { sampleRate: 44_100, channels: 2, chunkSamples: 1024, startUs: 0 },
    options: {
      title: 'Einsatz 17', dateUtcMs: Date.UTC(2026, 10, 22, 13), writingApp: 'bodycam-sim test',
      tags: { BODYCAM_ORIGIN_US: '40000000', DEVICE_ID: 'DRD-BC-0001' }, video: { width: 96, height: 64, frameDurationUs: 33_333 },
    },
  });
  original = recording.bytes;
  fedVideoUs = recording.fed.filter((block) => block.trackNumber === 1).map((block) => block.timestampUs);
});

describe('repairMatroska', () => {
  it('finalizes a file cut at 60%: Duration, Cues, every frame of its whole clusters, decodable', () => {
    const cut = original.subarray(0, Math.floor(original.length * 0.6));
    const before = readMatroska(cut);
    expect(before.truncated).toBe(true);
    const repaired = repairMatroska(cut);
    const wholeFrames = before.blocks.filter((block) => block.trackNumber === 1).length;
    expect(wholeFrames).toBe(60); // two whole 1 s clusters: the third was cut
    expect(repaired.frames).toBe(wholeFrames);
    expect(repaired.droppedBytes).toBe(cut.length - before.validBytes);
    // The last kept frame plus DefaultDuration, or the end of the last audio chunk, whichever is later.
    const lastAudio = before.blocks.filter((block) => block.trackNumber === 2).at(-1);
    const audioEndUs = (lastAudio?.timestampUs ?? 0) + Math.floor(((lastAudio?.payload.length ?? 0) / 4) * 1e6 / 44_100);
    expect(repaired.durationUs).toBe(Math.max(1_966_700 + 33_333, audioEndUs));
    expect(repaired.audioSamples).toBe(before.blocks.filter((block) => block.trackNumber === 2).reduce((sum, block) => sum + block.payload.length / 4, 0));

    const after = readMatroska(repaired.bytes);
    expect(after).toMatchObject({ finalized: true, truncated: false, info: { durationUs: repaired.durationUs, title: 'Einsatz 17', dateUtcMs: Date.UTC(2026, 10, 22, 13), writingApp: 'bodycam-sim test' } });
    expect(after.tags).toEqual({ BODYCAM_ORIGIN_US: '40000000', DEVICE_ID: 'DRD-BC-0001' });
    expect(after.tracks).toEqual(before.tracks);
    expect(blockSummary(after.blocks)).toEqual(blockSummary(before.blocks));
    expect(after.cuePoints).toBe(2);

    const path = writeTemp(dir, 'repaired.mkv', repaired.bytes);
    const probe = ffprobeStreams(path);
    // ffmpeg turns the float Duration into whole µs by truncation: allow that 1 µs.
    expect(Math.abs(Number(probe.format.duration) * 1e6 - repaired.durationUs)).toBeLessThanOrEqual(1);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'mjpeg', nb_read_packets: String(wholeFrames) });
    expect(ffprobeFramePtsUs(path, 'v')).toEqual(fedVideoUs.slice(0, wholeFrames).map((us) => Math.round(us / 100) * 100));
    expect(ffmpegDecodeErrors(path)).toBe('');
  });

  it('is deterministic and idempotent: repairing the repaired file gives the same bytes', () => {
    const cut = original.subarray(0, Math.floor(original.length * 0.6));
    const once = repairMatroska(cut);
    expect(sha256(repairMatroska(cut).bytes)).toBe(sha256(once.bytes));
    const twice = repairMatroska(once.bytes);
    expect(sha256(twice.bytes)).toBe(sha256(once.bytes));
    expect(twice).toMatchObject({ frames: once.frames, audioSamples: once.audioSamples, durationUs: once.durationUs, droppedBytes: 0 });
  });

  it('keeps the content of an already-final file, Duration included', () => {
    const repaired = repairMatroska(original);
    const before = readMatroska(original);
    const after = readMatroska(repaired.bytes);
    expect(repaired).toMatchObject({ frames: 150, droppedBytes: 0, durationUs: before.info.durationUs });
    expect(blockSummary(after.blocks)).toEqual(blockSummary(before.blocks));
    expect(after.info).toEqual(before.info);
    expect(walkFile(repaired.bytes).clusters.map((cluster) => cluster.timestampTicks)).toEqual(walkFile(original).clusters.map((cluster) => cluster.timestampTicks));
    expect(sha256(repairMatroska(repaired.bytes).bytes)).toBe(sha256(repaired.bytes));
  });

  it('finalizes a file that was never finalized, and a cut at every cluster boundary', () => {
    const unfinalized = writeRecording({ frameTimesUs: frameTimes(50, 25), jpegs: [Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)], audio: null, finalizeUs: null }).bytes;
    const repaired = repairMatroska(unfinalized);
    expect(repaired).toMatchObject({ frames: 25, droppedBytes: 0, durationUs: 960_000 + 40_000 });
    expect(readMatroska(repaired.bytes).finalized).toBe(true);
    for (const cluster of walkFile(original).clusters) {
      const result = repairMatroska(original.subarray(0, cluster.end));
      expect(readMatroska(result.bytes).finalized).toBe(true);
    }
  });

  it('repairs a cut-off ffmpeg-written file', () => {
    const path = join(dir, 'ffmpeg.mkv');
    const run = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=96x64:rate=25:duration=4', '-f', 'lavfi',
      '-i', 'sine=sample_rate=44100:duration=4', '-c:v', 'mjpeg', '-c:a', 'pcm_s16le', path], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const full = new Uint8Array(readFileSync(path));
    const cut = full.subarray(0, Math.floor(full.length * 0.7));
    const repaired = repairMatroska(cut, { file: 'ffmpeg.mkv' });
    const before = readMatroska(cut);
    const after = readMatroska(repaired.bytes);
    expect(after.finalized).toBe(true);
    expect(after.info.timestampScaleNs).toBe(1_000_000);
    expect(blockSummary(after.blocks.filter((block) => block.trackNumber === 1))).toEqual(blockSummary(before.blocks.filter((block) => block.trackNumber === 1)));
    const out = writeTemp(dir, 'ffmpeg-repaired.mkv', repaired.bytes);
    expect(ffmpegDecodeErrors(out)).toBe('');
    expect(ffprobeStreams(out).streams[0]).toMatchObject({ nb_read_packets: String(repaired.frames) });
  });

  it('refuses a file with nothing to keep', () => {
    let caught: unknown;
    try { repairMatroska(original.subarray(0, 60), { file: 'early.mkv' }); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(BodycamError);
    expect((caught as BodycamError).code).toBe('bad-input');
    expect((caught as BodycamError).message).toBe('early.mkv: Tracks: expected a V_MJPEG (or V_MPEG4/ISO/AVC with its avcC) video track with PixelWidth and PixelHeight, found a file cut off before its Tracks');
    const { firstClusterOffset } = walkFile(original);
    expect(() => repairMatroska(original.subarray(0, firstClusterOffset + 10), { file: 'early.mkv' }))
      .toThrow(`early.mkv: byte ${firstClusterOffset}: expected at least one whole Cluster, found a file cut off before its first whole cluster`);
  });
});
