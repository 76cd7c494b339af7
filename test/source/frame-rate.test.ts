import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFrameRate } from '../../src/source/frame-rate.js';

describe('planFrameRate (sample and hold on the device grid)', () => {
  it('repeats frames for a faster device and drops them for a slower one', () => {
    const tenFps = [0, 100_000, 200_000, 300_000];
    expect(planFrameRate(tenFps, 400_000, 25)).toEqual({
      captureUs: [0, 40_000, 80_000, 120_000, 160_000, 200_000, 240_000, 280_000, 320_000, 360_000],
      sourceIndex: [0, 0, 0, 1, 1, 2, 2, 2, 3, 3],
    });
    expect(planFrameRate(tenFps, 400_000, 4)).toEqual({ captureUs: [0, 250_000], sourceIndex: [0, 2] });
  });

  it('starts at the first frame and shows the latest frame at or before each slot', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.double({ min: 0.5, max: 120, noNaN: true }),
      (gaps, startUs, fps) => {
        const times = gaps.reduce<number[]>((acc, gap) => [...acc, (acc[acc.length - 1] ?? startUs - gap) + gap], []);
        const endUs = (times[times.length - 1] ?? 0) + 50_000;
        const plan = planFrameRate(times, endUs, fps);
        plan.captureUs.forEach((slotUs, k) => {
          expect(slotUs).toBe((times[0] ?? 0) + Math.round((k * 1e6) / fps));
          expect(slotUs).toBeLessThan(endUs);
          const shown = plan.sourceIndex[k] ?? -1;
          expect(times[shown]).toBeLessThanOrEqual(slotUs);
          if (shown + 1 < times.length) expect(times[shown + 1]).toBeGreaterThan(slotUs);
        });
        expect((times[0] ?? 0) + Math.round((plan.captureUs.length * 1e6) / fps)).toBeGreaterThanOrEqual(endUs);
      },
    ));
  });

  it('rejects an impossible rate', () => {
    expect(() => planFrameRate([0], 1000, 0)).toThrow(/video\.fps: expected a frame rate above 0/);
  });
});
