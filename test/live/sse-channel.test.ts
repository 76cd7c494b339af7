import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SseChannel } from '../../src/live/index.js';
import { SseReader } from './live-helpers.js';

describe('SseChannel', () => {
  it('writes numbered events with one JSON data line each', () => {
    const out = new PassThrough();
    const reader = new SseReader();
    out.on('data', (chunk: Buffer) => reader.push(chunk));
    const channel = new SseChannel(out);
    channel.send('device', { type: 'led', text: 'two\nlines' });
    channel.keepAlive();
    channel.send('snapshot', [1, 2]);
    expect(reader.messages).toEqual([
      { event: 'device', id: '1', data: { type: 'led', text: 'two\nlines' } },
      { event: 'snapshot', id: '2', data: [1, 2] },
    ]);
    channel.close();
    expect(channel.isClosed).toBe(true);
    expect(out.writableEnded).toBe(true);
  });

  it('cuts off a client that stops reading once its queue passes the limit', () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined });
    let overflowed = 0;
    const channel = new SseChannel(stalled, 10_000, () => (overflowed += 1));
    for (let i = 0; i < 1000; i += 1) channel.send('device', { i, padding: 'x'.repeat(100) });
    expect(overflowed).toBe(1);
    expect(channel.isClosed).toBe(true);
    expect(stalled.writableLength).toBeLessThan(10_000 + 200);
  });
});
