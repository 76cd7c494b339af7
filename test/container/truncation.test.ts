import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska, type MatroskaFile } from '../../src/container/index.js';
import {
  blockSummary, ffmpegDecodeErrors, ffprobeStreams, ffprobeStreamsAsync, frameTimes, makeJpegs, mapLimited, requireTool, tempDir, walkFile,
  writeRecording, writeTemp,
} from './helpers.js';

let dir = '';
let small: Uint8Array = new Uint8Array(0);
let large: Uint8Array = new Uint8Array(0);

beforeAll(async () => {
  requireTool('ffprobe');
  dir = tempDir();
  // Small: 2 s at 10 fps, 8 kHz audio, clusters of about a quarter second.
  small = writeRecording({
    frameTimesUs: frameTimes(20, 10), jpegs: await makeJpegs(64, 48, 6),
    audio: { sampleRate: 8000, channels: 1, chunkSamples: 160, startUs: 0 }, options: { clusterTargetUs: 250_000 },
  }).bytes;
  // Larger: 4 s at 30 fps of 320x240 frames, 48 kHz audio, 1 s clusters.
  large = writeRecording({
    frameTimesUs: frameTimes(120, 30), jpegs: await makeJpegs(320, 240, 8),
    audio: { sampleRate: 48_000, channels: 1, chunkSamples: 960, startUs: 0 },
  }).bytes;
});

/** What a cut at `cut` must keep: the blocks of the clusters that end at or before it. */
function expectedAfterCut(full: Uint8Array, fullFile: MatroskaFile, cut: number): { blocks: number; frames: number; audio: number; validBytes: number } {
  const { clusters, boundaries } = walkFile(full);
  const whole = clusters.filter((cluster) => cluster.end <= cut);
  const blocks = whole.reduce((sum, cluster) => sum + cluster.blocks.length, 0);
  const kept = fullFile.blocks.slice(0, blocks);
  return {
    blocks,
    frames: kept.filter((block) => block.trackNumber === 1).length,
    audio: kept.filter((block) => block.trackNumber === 2).length,
    validBytes: Math.max(...[...boundaries].filter((boundary) => boundary <= cut)),
  };
}

describe('a file cut off anywhere', () => {
  it('reads exactly the blocks of its whole clusters, at every 997th byte', () => {
    const fullFile = readMatroska(small);
    const { boundaries, clusters } = walkFile(small);
    expect(clusters.length).toBe(7); // frames at 0, 0.3, 0.6, ... s start clusters (first keyframe at or past 0.25 s)
    let cuts = 0;
    for (let cut = 997; cut < small.length; cut += 997) {
      const file = readMatroska(small.subarray(0, cut));
      const expected = expectedAfterCut(small, fullFile, cut);
      expect(file.truncated).toBe(!boundaries.has(cut));
      expect(file.finalized).toBe(false);
      expect(file.validBytes).toBe(expected.validBytes);
      expect(file.blocks.length).toBe(expected.blocks);
      expect(blockSummary(file.blocks)).toEqual(blockSummary(fullFile.blocks.slice(0, expected.blocks)));
      cuts += 1;
    }
    expect(cuts).toBeGreaterThan(20);
  });

  it('still opens in ffprobe with at least the frames of its whole clusters, at every 997th byte past the first cluster', async () => {
    const fullFile = readMatroska(small);
    const { firstClusterOffset } = walkFile(small);
    const cuts: number[] = [];
    for (let cut = 997; cut < small.length; cut += 997) if (cut >= firstClusterOffset) cuts.push(cut);
    expect(cuts.length).toBeGreaterThan(20);
    const probes = await mapLimited(cuts, 4, (cut) => ffprobeStreamsAsync(writeTemp(dir, `cut-${cut}.mkv`, small.subarray(0, cut))));
    cuts.forEach((cut, index) => {
      const expected = expectedAfterCut(small, fullFile, cut);
      const probe = probes[index];
      expect(probe?.streams.map((stream) => stream.codec_name)).toEqual(['mjpeg', 'pcm_s16le']);
      // ffprobe leaves nb_read_packets out when it read none.
      expect(Number(probe?.streams[0]?.nb_read_packets ?? 0)).toBeGreaterThanOrEqual(expected.frames);
      expect(Number(probe?.streams[1]?.nb_read_packets ?? 0)).toBeGreaterThanOrEqual(expected.audio);
    });
  });

  it('cut at 60%: readMatroska reports the truncation, ffprobe and ffmpeg play the whole clusters', () => {
    const cut = Math.floor(large.length * 0.6);
    const fullFile = readMatroska(large);
    const expected = expectedAfterCut(large, fullFile, cut);
    expect(expected.frames).toBeGreaterThanOrEqual(60);
    const file = readMatroska(large.subarray(0, cut));
    expect(file).toMatchObject({ truncated: true, finalized: false, validBytes: expected.validBytes });
    expect(blockSummary(file.blocks)).toEqual(blockSummary(fullFile.blocks.slice(0, expected.blocks)));
    const path = writeTemp(dir, 'cut-60.mkv', large.subarray(0, cut));
    const probe = ffprobeStreams(path);
    expect(Number(probe.streams[0]?.nb_read_packets)).toBeGreaterThanOrEqual(expected.frames);
    // ffmpeg reports the cut ("File ended prematurely") but must decode what is there without errors in the frames.
    expect(ffmpegDecodeErrors(path)).not.toMatch(/error while decoding|Invalid data/i);
  });
});
