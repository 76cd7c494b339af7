/** The storage drain's virtual-time arithmetic. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STORAGE_BYTES_PER_SECOND, PreRecordBuffer, StorageDrain } from '../../src/buffer/index.js';
import { videoFrame } from './entries.js';

function bufferWithFrames(sizes: readonly number[], stepUs = 10_000): PreRecordBuffer {
  const buffer = new PreRecordBuffer({ bufferBytes: 1_000_000, preRecordUs: 10_000_000, slotCount: 64 });
  sizes.forEach((size, i) => buffer.push(videoFrame(i * stepUs, { size }), i * stepUs));
  return buffer;
}

describe('StorageDrain', () => {
  it('writes at 20 MB/s by default: a 100 kB frame takes 5 ms; durations round up to whole µs', () => {
    expect(DEFAULT_STORAGE_BYTES_PER_SECOND).toBe(20_000_000);
    const drain = new StorageDrain();
    expect(drain.writeDurationUs(100_000)).toBe(5_000);
    expect(new StorageDrain({ bytesPerSecond: 3 }).writeDurationUs(1)).toBe(333_334);
    expect(() => new StorageDrain({ bytesPerSecond: 0 })).toThrow(/bytesPerSecond: expected a positive number/);
  });

  it('starts each write after the push, the reader opening and the previous write; writes only what completes by now', () => {
    const buffer = bufferWithFrames([1_000]); // pushed at 0
    const reader = buffer.openReader(0, 5_000); // the trigger
    buffer.push(videoFrame(10_000, { size: 1_000 }), 10_000);
    buffer.push(videoFrame(20_000, { size: 1_000 }), 20_000);
    const drain = new StorageDrain({ bytesPerSecond: 100_000 }); // 10 000 µs each
    const written: [number, number][] = [];
    const onWritten = (entry: { captureUs: number }, writtenUs: number) => {
      written.push([entry.captureUs, writtenUs]);
      return 'continue' as const;
    };
    expect(drain.backlogDoneUs(reader, 20_000)).toBe(35_000);
    expect(drain.drainUntil(reader, 24_999, onWritten)).toBe(1);
    expect(written).toEqual([[0, 15_000]]);
    expect(drain.drainUntil(reader, 100_000, onWritten)).toBe(2);
    expect(written).toEqual([[0, 15_000], [10_000, 25_000], [20_000, 35_000]]);
    expect(drain.busyUntilUs).toBe(35_000);
    expect(reader.peek()).toBeUndefined();
    expect(drain.backlogDoneUs(reader, 100_000)).toBe(100_000);
  });

  it("skips unwanted entries at no cost, and stops after the entry the callback answers 'stop' for", () => {
    const buffer = bufferWithFrames([1_000, 1_000, 1_000, 1_000], 0 + 1);
    const drain = new StorageDrain({ bytesPerSecond: 100_000 });
    const reader = buffer.openReader(0);
    const skip = (entry: { captureUs: number }) => entry.captureUs === 1;
    expect(drain.backlogDoneUs(reader, 3, { skip })).toBe(3 + 30_000);
    const written: number[] = [];
    const count = drain.drainUntil(reader, 1_000_000, (entry) => {
      written.push(entry.captureUs);
      return entry.captureUs === 2 ? 'stop' : 'continue';
    }, { skip });
    expect(count).toBe(2);
    expect(written).toEqual([0, 2]);
    expect(drain.busyUntilUs).toBe(3 + 20_000);
    expect(reader.peek()?.captureUs).toBe(3);
  });
});
