import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { MatroskaWriter, MemoryByteSink, readMatroska, type MatroskaWriterOptions } from '../../src/container/index.js';
import { blockSummary, frameTimes, makeSinePcm, sha256, walkFile, writeRecording } from './helpers.js';

const RUNS = Number(process.env.CONTAINER_PROPERTY_RUNS ?? 40);
const tickUs = (us: number): number => Math.round(us / 100) * 100;
const fakeJpeg = (index: number, length = 64): Uint8Array => {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 1) bytes[at] = (index * 31 + at * 7) & 0xff;
  return bytes;
};

function newWriter(options: Partial<MatroskaWriterOptions> = {}): { sink: MemoryByteSink; writer: MatroskaWriter } {
  const sink = new MemoryByteSink();
  const writer = new MatroskaWriter(sink, {
    video: { width: 64, height: 48 }, audio: { sampleRate: 48_000, channels: 1, bitDepth: 16 }, writingApp: 'test', ...options,
  });
  return { sink, writer };
}

describe('writer → reader round trip', () => {
  it('gives back every block, payload and timestamp (to the 0.1 ms tick), in timestamp order (property)', () => {
    const spec = fc.record({
      gapsUs: fc.array(fc.integer({ min: 100, max: 120_000 }), { minLength: 1, maxLength: 80 }),
      sizes: fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 10 }),
      keyframes: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
      audio: fc.option(fc.record({
        sampleRate: fc.constantFrom(8000, 16_000, 44_100, 48_000),
        channels: fc.constantFrom<1 | 2>(1, 2),
        chunkSamples: fc.integer({ min: 1, max: 3000 }),
        startUs: fc.integer({ min: 0, max: 500_000 }),
      })),
      clusterTargetUs: fc.integer({ min: 1, max: 4_000_000 }),
    });
    fc.assert(fc.property(spec, ({ gapsUs, sizes, keyframes, audio, clusterTargetUs }) => {
      const times: number[] = [];
      for (const gap of gapsUs) times.push(times.length === 0 ? gap - 100 : (times.at(-1) ?? 0) + gap);
      const jpegs = sizes.map((size, index) => fakeJpeg(index, size));
      const sink = new MemoryByteSink();
      const writer = new MatroskaWriter(sink, {
        video: { width: 64, height: 48 },
        audio: audio === null ? null : { sampleRate: audio.sampleRate, channels: audio.channels, bitDepth: 16 },
        writingApp: 'property', clusterTargetUs,
      });
      const fed: { trackNumber: number; timestampUs: number; keyframe: boolean; payload: Uint8Array }[] = [];
      let sample = 0;
      const audioAt = (n: number): number => (audio === null ? 0 : audio.startUs + Math.round((n * 1_000_000) / audio.sampleRate));
      const pushAudioUntil = (limitUs: number): void => {
        while (audio !== null && audioAt(sample + audio.chunkSamples) <= limitUs) {
          const pcm = makeSinePcm(sample, audio.chunkSamples, audio.channels, audio.sampleRate);
          writer.addAudio(audioAt(sample), pcm);
          fed.push({ trackNumber: 2, timestampUs: audioAt(sample), keyframe: true, payload: pcm });
          sample += audio.chunkSamples;
        }
      };
      times.forEach((at, index) => {
        pushAudioUntil(at);
        const keyframe = index === 0 || (keyframes[index % keyframes.length] ?? true);
        const jpeg = jpegs[index % jpegs.length] ?? fakeJpeg(0);
        writer.addVideoFrame(at, jpeg, keyframe);
        fed.push({ trackNumber: 1, timestampUs: at, keyframe, payload: jpeg });
      });
      const lastUs = times.at(-1) ?? 0;
      pushAudioUntil(lastUs + 50_000);
      writer.finalize(lastUs + 50_000);

      const file = readMatroska(sink.toBytes());
      expect(file.finalized).toBe(true);
      expect(file.truncated).toBe(false);
      for (const track of [1, 2]) {
        const expected = fed.filter((block) => block.trackNumber === track);
        const got = file.blocks.filter((block) => block.trackNumber === track);
        expect(blockSummary(got)).toEqual(blockSummary(expected.map((block) => ({ ...block, timestampUs: tickUs(block.timestampUs) }))));
      }
      const order = file.blocks.map((block) => block.timestampUs);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      for (const cluster of walkFile(sink.toBytes()).clusters) {
        for (const block of cluster.blocks) expect(block.relativeTicks).toBeGreaterThanOrEqual(0);
      }
      expect(writer.stats).toMatchObject({ videoFramesWritten: times.length, audioSamplesWritten: sample, framesPending: 0, bytesWritten: sink.position });
    }), { numRuns: RUNS });
  });

  it('keeps Info, tracks and tags', () => {
    const dateUtcMs = Date.UTC(2026, 10, 22, 13, 0, 0);
    const { bytes } = writeRecording({
      frameTimesUs: frameTimes(3, 30), jpegs: [fakeJpeg(1)], audio: { sampleRate: 16_000, channels: 2, chunkSamples: 320, startUs: 0 },
      options: { title: 'Einsatz 17 — Käfer', dateUtcMs, writingApp: 'bodycam-sim 0.1.0', video: { width: 640, height: 480, frameDurationUs: 33_333 },
        tags: { BODYCAM_ORIGIN_US: '12345678', DEVICE_ID: 'DRD-BC-0001' } },
    });
    const file = readMatroska(bytes);
    expect(file.info).toEqual({
      timestampScaleNs: 100_000, durationUs: tickUs(66_667 + 33_333), title: 'Einsatz 17 — Käfer', dateUtcMs,
      writingApp: 'bodycam-sim 0.1.0', muxingApp: 'bodycam-sim container',
    });
    expect(file.tracks).toEqual([
      { number: 1, type: 'video', codecId: 'V_MJPEG', width: 640, height: 480, defaultDurationNs: 33_333_000 },
      { number: 2, type: 'audio', codecId: 'A_PCM/INT/LIT', sampleRate: 16_000, channels: 2, bitDepth: 16 },
    ]);
    expect(file.tags).toEqual({ BODYCAM_ORIGIN_US: '12345678', DEVICE_ID: 'DRD-BC-0001' });
  });

  it('writes correctly into a sink that already holds bytes (patches land at absolute offsets)', () => {
    const sink = new MemoryByteSink(16);
    sink.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7));
    const writer = new MatroskaWriter(sink, { video: { width: 8, height: 8 }, audio: null, writingApp: 'test' });
    writer.addVideoFrame(0, fakeJpeg(0), true);
    writer.addVideoFrame(40_000, fakeJpeg(1), true);
    writer.finalize(80_000);
    const file = readMatroska(sink.toBytes().subarray(7));
    expect(file).toMatchObject({ finalized: true, info: { durationUs: 80_000 }, clusters: 1 });
    expect(Array.from(sink.toBytes().subarray(0, 7))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('clusters', () => {
  it('start on video keyframes about every clusterTargetUs, with one cue each', () => {
    const { bytes, writer } = writeRecording({ frameTimesUs: frameTimes(90, 30), jpegs: [fakeJpeg(1, 500)], audio: { sampleRate: 48_000, channels: 1, chunkSamples: 960, startUs: 0 } });
    const { clusters } = walkFile(bytes);
    expect(clusters.map((cluster) => cluster.timestampTicks)).toEqual([0, 10_000, 20_000]);
    for (const cluster of clusters) expect(cluster.blocks[0]).toMatchObject({ trackNumber: 1, relativeTicks: 0, keyframe: true });
    expect(writer.stats).toMatchObject({ clustersWritten: 3, cuePoints: 3 });
    expect(readMatroska(bytes).cuePoints).toBe(3);
  });

  it('wait for a keyframe past the target, and split early before the int16 timestamp overflows', () => {
    const { writer, sink } = newWriter({ audio: null, clusterTargetUs: 1_000_000 });
    const times = frameTimes(100, 10); // 10 s at 10 fps
    times.forEach((at, index) => writer.addVideoFrame(at, fakeJpeg(index), index % 15 === 0));
    writer.finalize(10_000_000);
    const clusters = walkFile(sink.toBytes()).clusters;
    expect(clusters.map((cluster) => cluster.timestampTicks)).toEqual([0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000]);

    const long = newWriter({ audio: null, clusterTargetUs: 60_000_000 });
    times.forEach((at, index) => long.writer.addVideoFrame(at, fakeJpeg(index), true));
    long.writer.finalize(10_000_000);
    const forced = walkFile(long.sink.toBytes()).clusters;
    // 32767 ticks = 3.2767 s: the frame at 3.3 s no longer fits the first cluster, and so on.
    expect(forced.map((cluster) => cluster.timestampTicks)).toEqual([0, 33_000, 66_000, 99_000]);
    expect(forced[1]?.blocks[0]).toMatchObject({ relativeTicks: 0, keyframe: true });
    expect(forced[0]?.blocks.at(-1)?.relativeTicks).toBe(32_000);
    for (const cluster of forced) for (const block of cluster.blocks) expect(block.relativeTicks).toBeLessThanOrEqual(32_767);
  });

  it('split audio-only stretches at the target and cue them when there is no video at all', () => {
    const { writer, sink } = newWriter();
    for (let chunk = 0; chunk < 150; chunk += 1) writer.addAudio(chunk * 20_000, makeSinePcm(chunk * 960, 960, 1, 48_000));
    writer.finalize(3_000_000);
    const file = readMatroska(sink.toBytes());
    expect(file).toMatchObject({ clusters: 3, cuePoints: 3, finalized: true });
    expect(file.blocks.length).toBe(150);
  });
});

describe('interleaving', () => {
  it('holds video until audio catches up, so the file is in timestamp order', () => {
    const { writer, sink } = newWriter();
    writer.addVideoFrame(0, fakeJpeg(0), true);
    writer.addVideoFrame(10_000, fakeJpeg(1), true);
    expect(writer.stats.framesPending).toBe(2);
    writer.addAudio(0, makeSinePcm(0, 960, 1, 48_000)); // [0, 20 ms) arrives after the frames captured in it
    writer.addVideoFrame(30_000, fakeJpeg(2), true);
    writer.addAudio(20_000, makeSinePcm(960, 960, 1, 48_000));
    writer.finalize(40_000);
    const file = readMatroska(sink.toBytes());
    expect(file.blocks.map((block) => [block.trackNumber, block.timestampUs])).toEqual([[1, 0], [2, 0], [1, 10_000], [2, 20_000], [1, 30_000]]);
  });

  it('does not wait forever for a track that starts late, and bounds what it holds', () => {
    const { writer, sink } = newWriter();
    const times = frameTimes(150, 30);
    let maxPending = 0;
    let sample = 0;
    for (const at of times) {
      // audio only from 3 s on (preRecordAudio false), each chunk pushed once complete
      while (3_000_000 + Math.round(((sample + 960) * 1e6) / 48_000) <= at) {
        writer.addAudio(3_000_000 + Math.round((sample * 1e6) / 48_000), makeSinePcm(sample, 960, 1, 48_000));
        sample += 960;
      }
      writer.addVideoFrame(at, fakeJpeg(at), true);
      maxPending = Math.max(maxPending, writer.stats.framesPending);
    }
    writer.finalize(5_000_000);
    // window (1 s) + one open cluster (1 s) of 30 fps frames, plus the frame just added
    expect(maxPending).toBeLessThanOrEqual(62);
    const order = readMatroska(sink.toBytes()).blocks.map((block) => block.timestampUs);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('refuses a block that arrives after later blocks were written', () => {
    const { writer } = newWriter({ interleaveWindowUs: 100_000 });
    for (let index = 0; index < 10; index += 1) writer.addVideoFrame(index * 33_333, fakeJpeg(index), true);
    expect(() => writer.addAudio(0, makeSinePcm(0, 960, 1, 48_000))).toThrow(/arrived after blocks up to .* were written; expected tracks to be fed within 100000 µs/);
  });
});

describe('boundary checks', () => {
  const usage = (action: () => void, message: RegExp): void => {
    let caught: unknown;
    try { action(); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(BodycamError);
    expect((caught as BodycamError).code).toBe('usage');
    expect((caught as BodycamError).message).toMatch(message);
  };

  it('rejects bad video timestamps with a message saying what was expected', () => {
    const { writer } = newWriter();
    usage(() => writer.addVideoFrame(-1, fakeJpeg(0), true), /timestampUs: expected a non-negative integer number of microseconds, got -1/);
    usage(() => writer.addVideoFrame(1.5, fakeJpeg(0), true), /expected a non-negative integer number of microseconds, got 1.5/);
    usage(() => writer.addVideoFrame(Number.NaN, fakeJpeg(0), true), /non-negative integer/);
    writer.addVideoFrame(1000, fakeJpeg(0), true);
    usage(() => writer.addVideoFrame(1000, fakeJpeg(1), true), /strictly after the previous frame's 1000 µs, got 1000/);
    usage(() => writer.addVideoFrame(999, fakeJpeg(1), true), /strictly after the previous frame's 1000 µs, got 999/);
    usage(() => writer.addVideoFrame(1040, fakeJpeg(1), true), /at least one tick \(100 µs\) after the previous frame's 1000 µs/);
    usage(() => writer.addVideoFrame(2000, new Uint8Array(0), true), /jpeg: expected a non-empty Uint8Array/);
  });

  it('rejects overlapping or malformed audio', () => {
    const { writer } = newWriter({ audio: { sampleRate: 48_000, channels: 2, bitDepth: 16 } });
    usage(() => writer.addAudio(0, new Uint8Array(6)), /whole 2-channel 16-bit sample frames \(a multiple of 4 bytes\)/);
    writer.addAudio(0, makeSinePcm(0, 960, 2, 48_000));
    usage(() => writer.addAudio(19_999, makeSinePcm(960, 960, 2, 48_000)), /at or after 20000 µs, where the previous chunk \(from 0 µs\) ends, got 19999/);
    writer.addAudio(20_000, makeSinePcm(960, 960, 2, 48_000));
    const silent = newWriter({ audio: null }).writer;
    usage(() => silent.addAudio(0, new Uint8Array(2)), /created with audio: null/);
  });

  it('rejects bad options and calls after finalize', () => {
    usage(() => newWriter({ video: { width: 0, height: 48 } }), /options.video.width: expected a positive integer, got 0/);
    usage(() => newWriter({ audio: { sampleRate: 48_000, channels: 3 as 1, bitDepth: 16 } }), /options.audio.channels: expected 1 or 2/);
    usage(() => newWriter({ writingApp: '' }), /options.writingApp: expected a non-empty string/);
    usage(() => newWriter({ timestampScaleNs: 0.5 }), /options.timestampScaleNs/);
    const { writer } = newWriter();
    writer.addVideoFrame(500_000, fakeJpeg(0), true);
    usage(() => writer.finalize(400_000), /durationUs: expected a duration of at least the last timestamp, 500000 µs/);
    writer.finalize(600_000);
    usage(() => writer.addVideoFrame(700_000, fakeJpeg(1), true), /finalized; expected no calls after finalize/);
    usage(() => writer.finalize(700_000), /finalized/);
  });
});

describe('determinism', () => {
  const fixedInput = (): Uint8Array => writeRecording({
    frameTimesUs: [0, 33_367, 66_700, 100_100, 133_433, 166_800, 1_001_000, 1_034_367],
    jpegs: [fakeJpeg(1, 300), fakeJpeg(2, 280), fakeJpeg(3, 310)],
    audio: { sampleRate: 8000, channels: 1, chunkSamples: 160, startUs: 0 },
    options: { title: 'golden', dateUtcMs: Date.UTC(2026, 0, 1), tags: { BODYCAM_ORIGIN_US: '0' }, video: { width: 64, height: 48, frameDurationUs: 33_367 } },
    finalizeUs: 1_067_734,
  }).bytes;

  it('writes byte-identical files for the same calls (golden SHA-256)', () => {
    const first = fixedInput();
    const second = fixedInput();
    expect(sha256(second)).toBe(sha256(first));
    expect(sha256(first)).toBe('d7157e548985d73424c8b4a5f52d2ab97950ec4a936ca3e37c1f2ac7eb239d38');
  });
});
