import { lastValueFrom, range, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { mapInOrder } from '../../src/sim/ordered-concurrency.js';

describe('mapInOrder', () => {
  it('emits in input order although results complete out of order, with bounded concurrency', async () => {
    let running = 0;
    let maxRunning = 0;
    const delays = [30, 5, 20, 1, 15, 2, 8, 0, 12, 3];
    const out = await lastValueFrom(
      range(0, delays.length).pipe(
        mapInOrder(async (i) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((resolve) => setTimeout(resolve, delays[i]));
          running -= 1;
          return i * 10;
        }, 3),
        toArray(),
      ),
    );
    expect(out).toEqual(delays.map((_, i) => i * 10));
    expect(maxRunning).toBe(3);
  });

  it('passes errors through', async () => {
    const failing = range(0, 3).pipe(mapInOrder(async (i) => {
      if (i === 1) throw new Error('boom');
      return i;
    }, 2));
    await expect(lastValueFrom(failing)).rejects.toThrow('boom');
  });
});
