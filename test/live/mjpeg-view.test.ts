import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MJPEG_BOUNDARY, MJPEG_CONTENT_TYPE, MjpegView } from '../../src/live/index.js';
import { MultipartReader } from './multipart.js';

const fakeJpeg = (n: number, size = 64): Uint8Array => {
  const bytes = new Uint8Array(size).fill(n & 0xff);
  bytes.set([0xff, 0xd8], 0);
  bytes.set([0xff, 0xd9], size - 2);
  return bytes;
};

describe('MjpegView framing', () => {
  it('writes well-formed multipart parts; the end leaves only the next part\'s headers, no empty part', () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const view = new MjpegView(out);
    const frames = [fakeJpeg(1), fakeJpeg(2, 1000), fakeJpeg(3, 10)];
    for (const frame of frames) expect(view.push(frame)).toBe(true);
    view.end();
    const reader = new MultipartReader(MJPEG_BOUNDARY);
    reader.push(Buffer.concat(chunks));
    expect(reader.parts.map((part) => [...part.body])).toEqual(frames.map((frame) => [...frame]));
    expect(reader.parts.every((part) => part.headers['content-type'] === 'image/jpeg')).toBe(true);
    expect(reader.closed).toBe(false);
    expect(reader.pendingHeaders).toEqual({ 'content-type': 'image/jpeg' });
    expect(out.writableEnded).toBe(true);
    expect(view.stats).toEqual({ sent: 3, dropped: 0 });
    expect(MJPEG_CONTENT_TYPE).toBe(`multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`);
  });

  it('sends the next part\'s boundary and headers right after each JPEG, so a frame is complete the moment it is written', () => {
    const out = new PassThrough();
    const reader = new MultipartReader(MJPEG_BOUNDARY);
    out.on('data', (chunk: Buffer) => reader.push(chunk));
    const view = new MjpegView(out);
    for (let n = 1; n <= 5; n += 1) {
      view.push(fakeJpeg(n));
      // Without any further byte, the frame just written is complete and the next part's headers are in.
      expect(reader.parts.length).toBe(n);
      expect(reader.parts.at(-1)?.body[2]).toBe(n);
      expect(reader.pendingHeaders).toEqual({ 'content-type': 'image/jpeg' });
    }
  });

  it('drops frames for a viewer that does not read, instead of queueing them', () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined }); // never calls back
    const view = new MjpegView(stalled);
    const frame = fakeJpeg(7, 20_000);
    const sent = Array.from({ length: 50 }, () => view.push(frame));
    expect(sent[0]).toBe(false); // the part head from the constructor is still queued
    expect(sent.filter(Boolean).length).toBe(0);
    expect(view.stats).toEqual({ sent: 0, dropped: 50 });
    expect(stalled.writableLength).toBeLessThan(200);
  });

  it('with a byte allowance, queues at most about that much, then drops', () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined });
    const view = new MjpegView(stalled, 50_000);
    const frame = fakeJpeg(7, 20_000);
    for (let i = 0; i < 50; i += 1) view.push(frame);
    expect(view.stats.sent).toBe(3); // 0, 20 k and 40 k queued allow one more; then over 50 k
    expect(view.stats.dropped).toBe(47);
    expect(stalled.writableLength).toBeLessThan(50_000 + 20_100);
  });
});

describe('MjpegView over a real socket', () => {
  it('a paused client loses frames while the server queue stays bounded; the stream it reads stays well-formed', async () => {
    const frame = fakeJpeg(9, 200_000);
    let view: MjpegView | null = null;
    let maxQueued = 0;
    let offered = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': MJPEG_CONTENT_TYPE });
      const v = new MjpegView(res);
      view = v;
      const timer = setInterval(() => {
        offered += 1;
        v.push(frame);
        maxQueued = Math.max(maxQueued, res.writableLength);
        if (offered === 300) {
          clearInterval(timer);
          v.end();
        }
      }, 5);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const reader = new MultipartReader(MJPEG_BOUNDARY);
      await new Promise<void>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/' }, (res) => {
          res.pause(); // a slow viewer: reads nothing for a while
          setTimeout(() => {
            res.on('data', (chunk: Buffer) => reader.push(chunk));
            res.on('end', resolve);
            res.resume();
          }, 1200);
        }).on('error', reject);
      });
      const stats = (view as MjpegView | null)?.stats;
      expect(offered).toBe(300);
      expect(stats?.dropped).toBeGreaterThan(0);
      expect((stats?.sent ?? 0) + (stats?.dropped ?? 0)).toBe(300);
      expect(reader.parts.length).toBe(stats?.sent);
      expect(reader.parts.every((part) => part.body.equals(Buffer.from(frame)))).toBe(true);
      expect(maxQueued).toBeLessThanOrEqual(frame.length + 200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
