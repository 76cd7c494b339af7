import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudioChunker } from '../../src/encoder/audio-chunks.js';
import { sampleTimeUs } from '../../src/time/index.js';

describe('AudioChunker', () => {
  it('cuts 20 ms chunks that are ready when their last sample is captured', () => {
    const samples = Int16Array.from({ length: 16_000 }, (_, i) => i % 1000);
    const chunker = new AudioChunker({ sampleRate: 16_000, startUs: 500_000, samples }, 20);
    expect(chunker.samplesPerChunk).toBe(320);
    expect(chunker.chunkCount).toBe(50);
    const chunk = chunker.chunk(3);
    expect(chunk).toMatchObject({ firstSample: 960, sampleCount: 320, captureUs: 560_000, durationUs: 20_000, readyUs: 580_000 });
    expect(new Int16Array(chunk.payload.buffer, chunk.payload.byteOffset, 320)[0]).toBe(960);
  });

  it('covers every sample exactly once, in order, for any rate and length', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8000, 11025, 16000, 22050, 44100, 48000),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (rate, length, chunkMs, startUs) => {
          const chunker = new AudioChunker({ sampleRate: rate, startUs, samples: new Int16Array(length) }, chunkMs);
          let next = 0;
          for (let i = 0; i < chunker.chunkCount; i += 1) {
            const chunk = chunker.chunk(i);
            expect(chunk.firstSample).toBe(next);
            expect(chunk.captureUs).toBe(sampleTimeUs(startUs, next, rate));
            expect(chunk.payload.byteLength).toBe(chunk.sampleCount * 2);
            next += chunk.sampleCount;
          }
          expect(next).toBe(length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
