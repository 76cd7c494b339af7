import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstSampleAtOrAfter, formatUs, nominalFrameUs, sampleTimeUs, secondsToUs } from '../../src/time/index.js';

describe('secondsToUs', () => {
  it('rounds scenario seconds to the millisecond first', () => {
    expect(secondsToUs(40.05)).toBe(40_050_000);
    expect(secondsToUs(0.15)).toBe(150_000);
    expect(secondsToUs(45)).toBe(45_000_000);
    expect(secondsToUs(1.0004)).toBe(1_000_000);
    expect(secondsToUs(1.0005)).toBe(1_001_000);
  });
});

describe('nominalFrameUs', () => {
  it('gives round(i * 1e6 / fps) as contract §2 says', () => {
    expect(nominalFrameUs(1, 30)).toBe(33_333);
    expect(nominalFrameUs(2, 30)).toBe(66_667);
    expect(nominalFrameUs(30, 30)).toBe(1_000_000);
    expect(nominalFrameUs(3, 29.97)).toBe(Math.round(3_000_000 / 29.97));
  });
});

describe('firstSampleAtOrAfter', () => {
  it('is the index of the first sample whose capture time is >= t', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.constantFrom(8000, 11025, 16000, 22050, 44100, 48000),
        fc.integer({ min: 0, max: 60_000_000 }),
        (startUs, rate, timeUs) => {
          const index = firstSampleAtOrAfter(startUs, timeUs, rate);
          expect(sampleTimeUs(startUs, index, rate)).toBeGreaterThanOrEqual(timeUs);
          if (index > 0) expect(sampleTimeUs(startUs, index - 1, rate)).toBeLessThan(timeUs);
        },
      ),
    );
  });
});

describe('formatUs', () => {
  it('shows exact microseconds', () => {
    expect(formatUs(40_050_000)).toBe('40.050000 s');
    expect(formatUs(1)).toBe('0.000001 s');
  });
});
