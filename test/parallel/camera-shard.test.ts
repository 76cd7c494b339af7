/** Splitting a team's cameras: every camera in exactly one slice, in order, slices as vitest sizes them. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectCameraShard, splitCameras } from '../../src/parallel/index.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `DRD-BC-${String(i + 1).padStart(4, '0')}`);

describe('selectCameraShard and splitCameras', () => {
  it('slices contiguously by ⌈N/n⌉ in scenario order', () => {
    expect(selectCameraShard(ids(7), { index: 1, count: 3 })).toEqual(ids(3));
    expect(selectCameraShard(ids(7), { index: 3, count: 3 })).toEqual(['DRD-BC-0007']);
    expect(splitCameras(ids(60), 2).map((s) => s.length)).toEqual([30, 30]);
  });

  it('the shards together hold every camera exactly once, in order (any N, any n ≤ N)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 80 }), (n, k) => {
      const count = Math.min(n, k);
      const all = Array.from({ length: count }, (_, i) => selectCameraShard(ids(n), { index: i + 1, count })).flat();
      expect(all).toEqual(ids(n));
      expect(splitCameras(ids(n), k).flat()).toEqual(ids(n));
      expect(splitCameras(ids(n), k).every((slice) => slice.length > 0)).toBe(true);
    }));
  });

  it('refuses more shards than cameras', () => {
    expect(() => selectCameraShard(ids(2), { index: 1, count: 3 })).toThrow('--shard: 3 shards for 2 cameras; use at most 2');
  });
});
