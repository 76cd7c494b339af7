import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoopedAudio, fixtureLoop, loopLengthUs, loopedFrame } from '../../src/live/index.js';
import { sampleTimeUs } from '../../src/time/index.js';

const RUNS = Number(process.env.FC_RUNS ?? 200);

describe('the looping fixture clock', () => {
  it('continues from frame 0 with capture times offset by whole loops', () => {
    const loop = fixtureLoop([0, 66_939, 133_772], 200_000, null);
    expect(loop.loopUs).toBe(200_000);
    expect([0, 1, 2, 3, 4, 5, 6].map((p) => loopedFrame(loop, p))).toEqual([
      { position: 0, loop: 0, index: 0, captureUs: 0 },
      { position: 1, loop: 0, index: 1, captureUs: 66_939 },
      { position: 2, loop: 0, index: 2, captureUs: 133_772 },
      { position: 3, loop: 1, index: 0, captureUs: 200_000 },
      { position: 4, loop: 1, index: 1, captureUs: 266_939 },
      { position: 5, loop: 1, index: 2, captureUs: 333_772 },
      { position: 6, loop: 2, index: 0, captureUs: 400_000 },
    ]);
  });

  it('rounds the loop up to a whole number of audio samples', () => {
    expect(loopLengthUs(75_000_110, 16_000)).toBe(75_000_125); // 16 kHz: a sample every 62.5 µs, 125 µs per two
    expect(loopLengthUs(75_000_000, 16_000)).toBe(75_000_000);
    expect(loopLengthUs(1_000_001, 44_100)).toBe(1_010_000); // 44.1 kHz: whole samples every 10 ms
    expect(loopLengthUs(1_000_001, 48_000)).toBe(1_000_125);
    expect(loopLengthUs(1_000_001, null)).toBe(1_000_001);
  });

  it('refuses an end at or before the last frame', () => {
    expect(() => fixtureLoop([0, 100], 100, null)).toThrow(/an end after the last frame/);
  });

  it('property: capture times increase strictly across any number of loops', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom(null, 8000, 16_000, 44_100, 48_000),
      (gaps, tailUs, rate) => {
        const captureUs = gaps.reduce<number[]>((acc, gap, i) => [...acc, i === 0 ? 0 : (acc[i - 1] ?? 0) + gap], []);
        const loop = fixtureLoop(captureUs, (captureUs[captureUs.length - 1] ?? 0) + tailUs, rate);
        if (rate !== null) expect(Number.isInteger((loop.loopUs * rate) / 1e6)).toBe(true);
        let previous = -1;
        for (let p = 0; p < captureUs.length * 4; p += 1) {
          const frame = loopedFrame(loop, p);
          expect(frame.captureUs).toBeGreaterThan(previous);
          expect(frame.captureUs - frame.loop * loop.loopUs).toBe(captureUs[frame.index]);
          previous = frame.captureUs;
        }
      },
    ), { numRuns: RUNS });
  });
});

describe('LoopedAudio', () => {
  const rate = 8000;
  const samples = Int16Array.from({ length: 8000 }, (_, i) => (i % 1000) + 1); // 1 s, never 0
  const loopUs = 1_250_000; // the fixture runs 0.25 s past its audio: silence there
  const pcm = (audio: LoopedAudio, index: number): Int16Array => new Int16Array(audio.chunk(index).payload.slice().buffer);

  it('places the track at fixture time 0 and repeats it every loop, silence where the fixture has none', () => {
    const audio = new LoopedAudio({ sampleRate: rate, startUs: 0, samples }, loopUs, 20);
    expect(audio.loopSamples).toBe(10_000);
    expect(audio.samplesPerChunk).toBe(160);
    const all: number[] = [];
    for (let i = 0; i < 200; i += 1) all.push(...pcm(audio, i)); // 32 000 samples: 3.2 loops
    const expected = all.map((_, s) => (s % 10_000 < 8000 ? (samples[s % 10_000] ?? -1) : 0));
    expect(all).toEqual(expected);
  });

  it('chunks tile the endless sample clock exactly: no gap, no overlap, across loop boundaries', () => {
    const audio = new LoopedAudio({ sampleRate: rate, startUs: 0, samples }, loopUs, 20);
    for (let i = 0; i < 300; i += 1) {
      const chunk = audio.chunk(i);
      expect(chunk.captureUs).toBe(sampleTimeUs(0, i * 160, rate));
      expect(chunk.readyUs).toBe(audio.chunk(i + 1).captureUs);
      expect(chunk.durationUs).toBe(chunk.readyUs - chunk.captureUs);
    }
    // Loop k's sample i is captured exactly k loops after loop 0's.
    expect(sampleTimeUs(0, 3 * 10_000 + 17, rate)).toBe(3 * loopUs + sampleTimeUs(0, 17, rate));
    expect(audio.recordingSource).toEqual({ sampleRate: rate, startUs: 0, totalSamples: Number.MAX_SAFE_INTEGER });
  });

  it('a track starting later is shifted into place', () => {
    const audio = new LoopedAudio({ sampleRate: rate, startUs: 500_000, samples: samples.subarray(0, 2000) }, loopUs, 20);
    expect([...pcm(audio, 24)].every((v) => v === 0)).toBe(true); // samples 3840..3999: before the track
    expect([...pcm(audio, 25)]).toEqual([...samples.subarray(0, 160)]); // 4000..4159: its first samples
  });

  it('refuses a loop that does not hold whole samples', () => {
    expect(() => new LoopedAudio({ sampleRate: 16_000, startUs: 0, samples }, 1_000_001, 20)).toThrow(/whole number of samples/);
  });
});

describe('LoopedAudio.coveredUs', () => {
  it('is the ready time of the chunk holding the last sample before a time', () => {
    const audio = new LoopedAudio({ sampleRate: 8000, startUs: 0, samples: new Int16Array(8000) }, 1_000_000, 20);
    expect(audio.coveredUs(0)).toBe(0);
    expect(audio.coveredUs(1)).toBe(20_000); // sample 0 is before 1 µs: chunk 0, ready at 20 ms
    expect(audio.coveredUs(20_000)).toBe(20_000); // samples 0..159 are before 20 ms
    expect(audio.coveredUs(20_001)).toBe(40_000);
    expect(audio.coveredUs(2_345_678)).toBe(2_360_000);
  });
});
