/**
 * The replay's bound on frames read ahead of their delivery (read-ahead.ts): at most `limit`
 * admitted at once, the rest admitted in the order they asked as frames are delivered.
 */
import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../src/sim/read-ahead.js';

describe('ReadAhead', () => {
  it('admits at most its limit, then one per delivery, in the order asked', async () => {
    const ahead = new ReadAhead(2);
    const admitted: number[] = [];
    const asks = [0, 1, 2, 3, 4].map((frame) => ahead.admit().then(() => admitted.push(frame)));
    await Promise.resolve();
    await Promise.resolve();
    expect(admitted).toEqual([0, 1]);
    ahead.delivered();
    await new Promise((resolve) => setImmediate(resolve));
    expect(admitted).toEqual([0, 1, 2]);
    expect(ahead.admitted).toBe(2);
    ahead.delivered();
    ahead.delivered();
    await Promise.all(asks);
    expect(admitted).toEqual([0, 1, 2, 3, 4]);
    ahead.delivered();
    ahead.delivered();
    expect(ahead.admitted).toBe(0);
  });
});
