import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import {
  ffmpegDecodeErrors, ffprobeFramePtsUs, ffprobeStreams, frameTimes, makeJpegs, requireTool, tempDir, writeRecording, writeTemp,
} from './helpers.js';

const tickUs = (us: number): number => Math.round(us / 100) * 100;

let jpegs: Uint8Array[] = [];
let dir = '';

beforeAll(async () => {
  requireTool('ffprobe');
  requireTool('ffmpeg');
  jpegs = await makeJpegs(64, 48, 10);
  dir = tempDir();
});

/** 30 fps with capture jitter of up to ±0.45 ms, as real streams have. */
function jitteredTimes(count: number): number[] {
  return frameTimes(count, 30).map((at, index) => (index === 0 ? 0 : at + ((index * 7919) % 901) - 450));
}

describe('files as ffprobe and ffmpeg see them', () => {
  it('a finalized file: one mjpeg and one pcm_s16le stream, every frame at its written time, the right duration', () => {
    const times = jitteredTimes(90);
    const durationUs = (times.at(-1) ?? 0) + 33_333;
    const { bytes, fed } = writeRecording({
      frameTimesUs: times, jpegs, audio: { sampleRate: 48_000, channels: 1, chunkSamples: 960, startUs: 0 }, finalizeUs: durationUs,
      options: { video: { width: 64, height: 48, frameDurationUs: 33_333 } },
    });
    const file = writeTemp(dir, 'final.mkv', bytes);
    const probe = ffprobeStreams(file);
    expect(probe.streams.map((stream) => [stream.codec_type, stream.codec_name])).toEqual([['video', 'mjpeg'], ['audio', 'pcm_s16le']]);
    expect(probe.streams[0]).toMatchObject({ width: 64, height: 48, nb_read_packets: '90' });
    const audioChunks = fed.filter((block) => block.trackNumber === 2).length;
    expect(probe.streams[1]).toMatchObject({ sample_rate: '48000', channels: 1, nb_read_packets: String(audioChunks) });
    // Duration is a float of ticks, so it keeps the exact µs.
    // ffmpeg turns the float Duration into whole µs by truncation: allow that 1 µs.
    expect(Math.abs(Number(probe.format.duration) * 1e6 - durationUs)).toBeLessThanOrEqual(1);
    expect(readMatroska(bytes).info.durationUs).toBe(durationUs);
    expect(ffprobeFramePtsUs(file, 'v')).toEqual(times.map(tickUs));
    const audioTimes = fed.filter((block) => block.trackNumber === 2).map((block) => tickUs(block.timestampUs));
    expect(ffprobeFramePtsUs(file, 'a')).toEqual(audioTimes);
    expect(ffmpegDecodeErrors(file)).toBe('');
  });

  it('stereo 44.1 kHz audio whose chunks do not fall on ticks', () => {
    const times = frameTimes(45, 15);
    const { bytes, fed } = writeRecording({ frameTimesUs: times, jpegs, audio: { sampleRate: 44_100, channels: 2, chunkSamples: 1024, startUs: 12_345 } });
    const file = writeTemp(dir, 'stereo.mkv', bytes);
    const probe = ffprobeStreams(file);
    expect(probe.streams[1]).toMatchObject({ codec_name: 'pcm_s16le', sample_rate: '44100', channels: 2 });
    expect(ffprobeFramePtsUs(file, 'a')).toEqual(fed.filter((block) => block.trackNumber === 2).map((block) => tickUs(block.timestampUs)));
    expect(ffprobeFramePtsUs(file, 'v')).toEqual(times.map(tickUs));
    expect(ffmpegDecodeErrors(file)).toBe('');
  });

  it('a file never finalized (power cut) plays its whole clusters, without a Duration', () => {
    const times = frameTimes(75, 30);
    const { bytes, writer } = writeRecording({
      frameTimesUs: times, jpegs, audio: { sampleRate: 16_000, channels: 1, chunkSamples: 320, startUs: 0 }, finalizeUs: null,
    });
    const written = writer.stats.videoFramesWritten;
    expect(written).toBe(60); // two whole 1 s clusters; the open one never reached the sink
    const file = writeTemp(dir, 'unfinalized.mkv', bytes);
    const probe = ffprobeStreams(file);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'mjpeg', nb_read_packets: String(written) });
    expect(ffprobeFramePtsUs(file, 'v')).toEqual(times.slice(0, written).map(tickUs));
    expect(ffmpegDecodeErrors(file)).toBe('');
    expect(readMatroska(bytes)).toMatchObject({ finalized: false, truncated: false, clusters: 2, info: { durationUs: null } });
  });

  it('a finalized file with no block at all (every frame after the trigger lost) still opens: one empty cluster', () => {
    const { bytes } = writeRecording({ frameTimesUs: [], jpegs, audio: null, finalizeUs: 2_950_000 });
    const file = writeTemp(dir, 'empty.mkv', bytes);
    const probe = ffprobeStreams(file);
    expect(probe.streams.map((stream) => [stream.codec_type, stream.codec_name])).toEqual([['video', 'mjpeg']]);
    expect(Number(probe.format.duration)).toBe(2.95);
    expect(ffprobeFramePtsUs(file, 'v')).toEqual([]);
    expect(readMatroska(bytes)).toMatchObject({ finalized: true, truncated: false, clusters: 1, info: { durationUs: 2_950_000 } });
  });
});
