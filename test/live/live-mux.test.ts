import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LIVE_MUX_RECORD, LiveMux } from '../../src/live/live-mux.js';
import { LiveMuxReader } from './live-helpers.js';

const frame = (n: number, size = 50): Uint8Array => new Uint8Array(size).fill(n);

/** A response whose writes complete only when the test says so (a viewer that is behind). */
class HeldSocket extends Writable {
  readonly received: Buffer[] = [];
  private callbacks: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 1 << 30 });
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.received.push(chunk);
    this.callbacks.push(callback);
  }
  /** The network takes everything queued. */
  release(): void {
    const callbacks = this.callbacks;
    this.callbacks = [];
    for (const callback of callbacks) callback();
  }
}

/** Lets the network take every queued write, one after another (a Writable hands them over one at a time). */
async function catchUp(socket: HeldSocket): Promise<void> {
  for (let round = 0; round < 20; round += 1) {
    socket.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('LiveMux', () => {
  it('frames each record as kind, id length, id, payload length and payload, in order', () => {
    const out = new PassThrough();
    const reader = new LiveMuxReader();
    out.on('data', (chunk: Buffer) => reader.push(chunk));
    const mux = new LiveMux(out, Number.MAX_SAFE_INTEGER);
    mux.push('DRD-BC-0001', frame(1));
    mux.push('team-1.camera_é', frame(2, 70_000));
    mux.ended('DRD-BC-0001');
    mux.end();
    expect(reader.records.map((r) => [r.kind, r.deviceId, r.payload.length, r.payload[0]])).toEqual([
      [LIVE_MUX_RECORD.frame, 'DRD-BC-0001', 50, 1],
      [LIVE_MUX_RECORD.frame, 'team-1.camera_é', 70_000, 2],
      [LIVE_MUX_RECORD.ended, 'DRD-BC-0001', 0, undefined],
    ]);
    expect(reader.partialBytes).toBe(0);
    expect(out.writableEnded).toBe(true);
    expect(mux.stats).toEqual({ sent: 2, dropped: 0 });
  });

  it('a viewer that is behind gets each camera\'s newest frame when it catches up: no camera starves, no order is broken', async () => {
    const socket = new HeldSocket();
    const mux = new LiveMux(socket);
    mux.push('a', frame(1)); // sent: nothing was queued
    mux.push('a', frame(2)); // held
    mux.push('b', frame(3)); // held
    mux.push('a', frame(4)); // replaces 2, which is dropped
    mux.push('c', frame(5)); // held
    const reader = new LiveMuxReader();
    const seen = (): number[][] => {
      const fresh = new LiveMuxReader();
      for (const chunk of socket.received) fresh.push(chunk);
      return fresh.records.map((r) => [r.kind, r.payload[0] ?? -1]);
    };
    expect(seen()).toEqual([[1, 1]]);
    await catchUp(socket);
    expect(seen()).toEqual([[1, 1], [1, 4], [1, 3], [1, 5]]);
    expect(mux.stats).toEqual({ sent: 4, dropped: 1 });
    // A camera whose view ends gets its held frame first, then the end.
    mux.push('b', frame(6)); // sent
    mux.push('b', frame(7)); // held: frame 6 is still queued
    mux.ended('b');
    await catchUp(socket);
    expect(seen().slice(4)).toEqual([[1, 6], [1, 7], [2, -1]]);
    for (const chunk of socket.received) reader.push(chunk);
    expect(reader.records.filter((r) => r.deviceId === 'a').map((r) => r.payload[0])).toEqual([1, 4]);
  });

  it('writes nothing after the end', () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const mux = new LiveMux(out);
    mux.end();
    mux.push('a', frame(1));
    mux.ended('a');
    expect(chunks).toEqual([]);
    expect(mux.stats.sent).toBe(0);
  });
});
