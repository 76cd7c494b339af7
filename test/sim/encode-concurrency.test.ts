/** Frames encoded at once: fewer when large frames would not fit the memory for frames in flight. */
import { describe, expect, it } from 'vitest';
import { IN_FLIGHT_FRAME_BYTES, encodeConcurrencyFor, frameWorkBytes } from '../../src/sim/encode-concurrency.js';

const at = (width: number, height: number, format: 'jpeg' | 'png', output = { width, height }) => encodeConcurrencyFor(4, frameWorkBytes({ width, height, format }, output));

describe('encodeConcurrencyFor', () => {
  it('keeps 2 per core up to 1080p, fewer for 4K, 1 for a 4K PNG, never 0', () => {
    expect(at(1280, 720, 'jpeg')).toBe(4);
    expect(at(1920, 1080, 'png')).toBe(4);
    expect(at(3840, 2160, 'jpeg')).toBe(3);
    expect(at(3840, 2160, 'png')).toBe(1);
    expect(at(4096, 2160, 'png')).toBe(1);
    expect(at(640, 360, 'jpeg', { width: 4096, height: 2160 })).toBe(3);
    expect(encodeConcurrencyFor(4, IN_FLIGHT_FRAME_BYTES * 10)).toBe(1);
  });
});
