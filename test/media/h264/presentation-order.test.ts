/**
 * The presentation order of a stream from its presentation times in decode order: the ranks both
 * ways, whether it is reordered, negative times (an edit list's B-frame delay) and a shared time
 * refused naming the later frame in decode order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOrderFault, presentationOrder } from '../../../src/media/h264/index.js';

describe('presentationOrder', () => {
  it('sorts I P B B (decode order) into I B B P, with both maps', () => {
    const order = presentationOrder([-100_000, 200_000, 0, 100_000]);
    if (isOrderFault(order)) throw new Error(order.found);
    expect(order).toEqual({ rankOf: [0, 3, 1, 2], decodeIndexOf: [0, 2, 3, 1], presentationUs: [-100_000, 0, 100_000, 200_000], reordered: true });
    const plain = presentationOrder([0, 40_000, 80_000]);
    expect(plain).toMatchObject({ reordered: false, rankOf: [0, 1, 2] });
  });

  it('refuses two frames presented at one time, naming the later in decode order', () => {
    expect(presentationOrder([0, 80_000, 40_000, 80_000])).toEqual({ frameIndex: 3, expected: 'a presentation time of its own (frame 1 in decode order is presented at it too)', found: '80000 µs' });
    expect(presentationOrder([0, 0.5])).toMatchObject({ frameIndex: 1, expected: 'a presentation time in integer µs' });
  });

  it('is a permutation and its inverse for any distinct times', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 60 }), (times) => {
      const order = presentationOrder(times);
      if (isOrderFault(order)) return false;
      return order.decodeIndexOf.every((d, rank) => order.rankOf[d] === rank)
        && order.presentationUs.every((t, rank) => rank === 0 || t > (order.presentationUs[rank - 1] ?? 0))
        && order.reordered === order.decodeIndexOf.some((d, rank) => d !== rank);
    }));
  });
});
