import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { LiveFleet, type LiveServer, MJPEG_BOUNDARY, startLiveServer } from '../../src/live/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';
import { waitFor } from '../helpers/wait-for.js';
import { LiveMuxReader, SseReader, httpRequest, openStream, smallLiveFixture } from './live-helpers.js';
import { MultipartReader, isJpeg } from './multipart.js';

const TOKEN = 'test-token-1234';
const auth = { Authorization: `Bearer ${TOKEN}` };
let fleet: LiveFleet;
let server: LiveServer;
let outDir = '';
let stopped: readonly RecordingManifest[] | null = null;

beforeAll(async () => {
  requireTestTool('ffprobe');
  outDir = tempDir('live-server');
  fleet = await LiveFleet.start({ sources: [await smallLiveFixture()], devices: 2, outDir });
  server = await startLiveServer({ fleet, token: TOKEN, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await fleet?.stop();
});

const url = (path: string): string => new URL(path, server.url).toString();
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  httpRequest(url(path), { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const status = (id: string) => fleet.device(id)?.status();

describe('access', () => {
  it('binds to 127.0.0.1 by default', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const external = Object.values(networkInterfaces()).flat().find((info) => info?.family === 'IPv4' && !info.internal);
    if (external !== undefined && external !== null) {
      await expect(httpRequest(`http://${external.address}:${server.port}/api/devices?token=${TOKEN}`)).rejects.toThrow(/ECONNREFUSED/);
    }
  });

  it('answers 401 and nothing else on every route, without the token or with a wrong one', async () => {
    const routes: [string, string][] = [
      ['GET', '/'], ['GET', '/index.html'], ['GET', '/api/devices'], ['GET', '/api/devices/DRD-BC-0001'],
      ['GET', '/devices/DRD-BC-0001/live.mjpg'], ['GET', '/events'], ['GET', '/live.mux'], ['POST', '/devices/DRD-BC-0001/stream'],
      ['POST', '/devices/DRD-BC-0001/input'], ['GET', '/no/such/path'], ['DELETE', '/api/devices'],
    ];
    const credentials: { name: string; query?: string; headers?: Record<string, string> }[] = [
      { name: 'none' },
      { name: 'wrong bearer', headers: { Authorization: 'Bearer wrong-token-1234' } },
      { name: 'bearer prefix of the token', headers: { Authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
      { name: 'basic auth', headers: { Authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` } },
      { name: 'wrong query', query: 'token=wrong-token-1234' },
      { name: 'token under another name', query: `access_token=${TOKEN}` },
      { name: 'empty query token', query: 'token=' },
      { name: 'a wrong header wins over a right query', query: `token=${TOKEN}`, headers: { Authorization: 'Bearer nope-nope-nope' } },
    ];
    for (const [method, path] of routes) {
      for (const credential of credentials) {
        const target = url(credential.query === undefined ? path : `${path}?${credential.query}`);
        const body = method === 'POST' ? JSON.stringify({ press: 'record' }) : undefined;
        const res = await httpRequest(target, { method, headers: credential.headers ?? {}, ...(body === undefined ? {} : { body }) });
        const where = `${method} ${path} with ${credential.name}`;
        expect(res.status, where).toBe(401);
        expect(res.body.toString(), where).toBe('Unauthorized\n');
        expect(res.headers['content-type'], where).toBe('text/plain; charset=utf-8');
        expect(res.headers['www-authenticate'], where).toBe('Bearer realm="bodycam live"');
      }
    }
    // Nothing those requests asked for happened.
    for (const id of ['DRD-BC-0001', 'DRD-BC-0002']) {
      expect(status(id)).toMatchObject({ state: 'standby', recordingCount: 0, streaming: false, viewers: 0 });
    }
  });

  it('takes the token as a Bearer header or as ?token=', async () => {
    const byHeader = await httpRequest(url('/'), { headers: auth });
    const byQuery = await httpRequest(url(`/?token=${TOKEN}`));
    for (const res of [byHeader, byQuery]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body.toString()).toContain('id="device-template"');
    }
    const csp = String(byHeader.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(byHeader.body.toString()).toContain(`<script nonce="${nonce}">`);
    const list = JSON.parse((await httpRequest(url('/api/devices'), { headers: auth })).body.toString()) as Record<string, unknown>[];
    expect(list.map((d) => d.id)).toEqual(['DRD-BC-0001', 'DRD-BC-0002']);
    expect(Object.keys(list[0] ?? {})).toEqual(expect.arrayContaining(['id', 'state', 'leds', 'battery', 'bufferFill', 'recordings', 'streaming']));
    expect(list[0]).toMatchObject({ officerId: 'H-0001', state: 'standby', leds: { record: { color: 'off' }, status: { color: 'green' } }, battery: 100 });
  });
});

describe('events and the live view', () => {
  it('GET /events delivers every device\'s events, each with its device id, after a snapshot', async () => {
    const sse = new SseReader();
    const stream = await openStream(url('/events'), (chunk) => sse.push(chunk), auth);
    try {
      expect(stream.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      await waitFor('the snapshot', () => sse.messages.length > 0);
      expect(sse.messages[0]?.event).toBe('snapshot');
      expect((sse.messages[0]?.data as { id: string }[]).map((d) => d.id)).toEqual(['DRD-BC-0001', 'DRD-BC-0002']);
      const sent = performance.now();
      expect((await post('/devices/DRD-BC-0002/input', { press: 'record' })).status).toBe(200);
      const of = (type: string) => sse.messages.filter((m) => m.event === 'device' && (m.data as { type: string }).type === type).map((m) => m.data as Record<string, unknown>);
      await waitFor('the record LED event', () => of('led').some((e) => e.led === 'record' && e.color === 'red'));
      expect(performance.now() - sent).toBeLessThan(1000);
      expect(of('input')[0]).toMatchObject({ deviceId: 'DRD-BC-0002', kind: 'press', button: 'record' });
      expect(of('state').find((e) => e.to === 'recording')).toMatchObject({ deviceId: 'DRD-BC-0002', from: 'standby' });
      expect(of('recording.start')[0]).toMatchObject({ deviceId: 'DRD-BC-0002', source: 'button' });
      const ids = sse.messages.map((m) => Number(m.id));
      expect(ids).toEqual(ids.map((_, i) => i + 1));
    } finally {
      stream.close();
    }
  });

  it('the live view streams JPEG parts while the device streams, and ends when the recording stops', async () => {
    const reader = new MultipartReader(MJPEG_BOUNDARY);
    const opened = performance.now();
    const stream = await openStream(url(`/devices/DRD-BC-0001/live.mjpg?token=${TOKEN}`), (chunk) => reader.push(chunk));
    try {
      expect(stream.res.statusCode).toBe(200);
      expect(stream.res.headers['content-type']).toBe(`multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`);
      await waitFor('ten frames', () => reader.parts.length >= 10);
      expect(performance.now() - opened).toBeLessThan(2500);
      expect(reader.parts.every((part) => part.headers['content-type'] === 'image/jpeg' && isJpeg(part.body))).toBe(true);
      expect(await sharp(reader.parts[0]?.body).metadata()).toMatchObject({ format: 'jpeg', width: 160, height: 90 });
      // Opening the view was a stream request: the device records (source "stream") and its status LED shows the stream.
      expect(status('DRD-BC-0001')).toMatchObject({ state: 'recording', streaming: true, viewers: 1, leds: { record: { color: 'red' }, status: { color: 'blue' } } });
      expect(status('DRD-BC-0001')?.recordings[0]).toMatchObject({ source: 'stream', state: 'recording' });
      // The officer stops the recording (hold record 3 s): the view ends.
      const pressed = performance.now();
      await post('/devices/DRD-BC-0001/input', { press: 'record', hold: 3.2 });
      await stream.ended;
      const endedAfterMs = performance.now() - pressed;
      expect(endedAfterMs).toBeGreaterThan(2900);
      expect(endedAfterMs).toBeLessThan(4500);
      expect(status('DRD-BC-0001')).toMatchObject({ streaming: false, viewers: 0 });
      expect(status('DRD-BC-0001')?.recordings[0]?.stopReason).toBe('button');
    } finally {
      stream.close();
    }
  });

  it('a stream request the device cannot honour gets 409 and no stream', async () => {
    await waitFor('DRD-BC-0001 back in standby', () => status('DRD-BC-0001')?.state === 'standby');
    await post('/devices/DRD-BC-0001/input', { dock: true });
    expect(status('DRD-BC-0001')?.state).toBe('docked');
    const res = await httpRequest(url('/devices/DRD-BC-0001/live.mjpg'), { headers: auth });
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body.toString())).toMatchObject({ state: 'docked', error: expect.stringMatching(/only while the device records/) });
    expect(status('DRD-BC-0001')).toMatchObject({ streaming: false, viewers: 0 });
  });

  it('POST /devices/<id>/stream starts and stops a stream; the recording goes on', async () => {
    expect(status('DRD-BC-0002')?.state).toBe('recording');
    const started = JSON.parse((await post('/devices/DRD-BC-0002/stream', { action: 'start' })).body.toString());
    expect(started).toMatchObject({ id: 'DRD-BC-0002', streaming: true, leds: { status: { color: 'blue' } } });
    const stoppedStream = JSON.parse((await post('/devices/DRD-BC-0002/stream?action=stop', {})).body.toString());
    expect(stoppedStream).toMatchObject({ streaming: false, state: 'recording', leds: { record: { color: 'red' } } });
  });

  it('GET /live.mux carries every streaming device\'s frames on one response, never starts a stream, and counts as a viewer', async () => {
    expect(status('DRD-BC-0002')).toMatchObject({ state: 'recording', streaming: false, viewers: 0 });
    const reader = new LiveMuxReader();
    const stream = await openStream(url('/live.mux'), (chunk) => reader.push(chunk), auth);
    try {
      expect(stream.res.statusCode).toBe(200);
      expect(stream.res.headers['content-type']).toBe('application/x-bodycam-live-mux');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reader.records).toEqual([]); // nothing streams, and opening it asked for nothing
      expect(status('DRD-BC-0002')).toMatchObject({ streaming: false, viewers: 0 });
      await post('/devices/DRD-BC-0002/stream', { action: 'start' });
      await waitFor('five frames of DRD-BC-0002', () => reader.records.length >= 5);
      expect(reader.records.every((r) => r.kind === 1 && r.deviceId === 'DRD-BC-0002' && isJpeg(r.payload))).toBe(true);
      expect(await sharp(reader.records[0]?.payload).metadata()).toMatchObject({ format: 'jpeg', width: 160, height: 90 });
      expect(status('DRD-BC-0002')).toMatchObject({ streaming: true, viewers: 1 });
      await post('/devices/DRD-BC-0002/stream', { action: 'stop' });
      await waitFor('the end of DRD-BC-0002\'s view', () => reader.records.some((r) => r.kind === 2));
      const endAt = reader.records.findIndex((r) => r.kind === 2);
      expect(reader.records[endAt]).toMatchObject({ deviceId: 'DRD-BC-0002', payload: Buffer.alloc(0) });
      expect(reader.records.slice(endAt + 1)).toEqual([]); // nothing of it after its end
      expect(status('DRD-BC-0002')).toMatchObject({ streaming: false, viewers: 0, state: 'recording' });
      // A new stream of the same device comes back on the same response.
      await post('/devices/DRD-BC-0002/stream', { action: 'start' });
      await waitFor('frames after the restart', () => reader.records.length > endAt + 3);
      expect(status('DRD-BC-0002')).toMatchObject({ streaming: true, viewers: 1 });
    } finally {
      stream.close();
    }
    // The last viewer gone, the stream stops; the recording goes on.
    await waitFor('the stream to stop with its last viewer', () => status('DRD-BC-0002')?.streaming === false);
    expect(status('DRD-BC-0002')).toMatchObject({ viewers: 0, state: 'recording' });
  });

  it('rejects malformed requests with a reason', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['/devices/DRD-BC-0002/input', { press: 'eject' }, 400, /record, power, mute, stream|press/],
      ['/devices/DRD-BC-0002/input', { at: 3, press: 'record' }, 400, /leave out "at"/],
      ['/devices/DRD-BC-0002/stream', { action: 'pause' }, 400, /"start" or "stop"/],
      ['/devices/DRD-BC-0099/input', { press: 'record' }, 404, /no such device/],
    ];
    for (const [path, body, code, message] of cases) {
      const res = await post(path, body);
      expect(res.status, path).toBe(code);
      expect((JSON.parse(res.body.toString()) as { error: string }).error).toMatch(message);
    }
    const wrongMethod = await httpRequest(url('/devices/DRD-BC-0002/input'), { headers: auth });
    expect(wrongMethod.status).toBe(405);
  });
});

describe('shutdown', () => {
  it('stopping the fleet stops and finalizes every recording, files and manifests complete', async () => {
    stopped = await fleet.stop();
    expect(stopped.map((m) => [m.deviceId, m.trigger.source, m.stop.reason, m.complete])).toEqual([
      ['DRD-BC-0001', 'stream', 'button', true],
      ['DRD-BC-0002', 'button', 'end-of-fixture', true],
    ]);
    for (const manifest of stopped) {
      const file = join(outDir, manifest.deviceId, 'recordings', manifest.file);
      const mkv = readMatroska(new Uint8Array(readFileSync(file)));
      expect(mkv.finalized).toBe(true);
      const videoUs = mkv.blocks.filter((b) => b.trackNumber === 1).map((b) => b.timestampUs);
      expect(videoUs.length).toBe(manifest.video.frames);
      expect(videoUs.every((t, i) => i === 0 || t > (videoUs[i - 1] ?? 0))).toBe(true);
      const probed = run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
      expect(Number(probed.trim())).toBe(manifest.video.frames);
      expect(JSON.parse(readFileSync(join(outDir, manifest.deviceId, 'recordings', `${manifest.id}.json`), 'utf8'))).toMatchObject({ id: manifest.id, complete: true });
    }
    const events = readFileSync(join(outDir, 'DRD-BC-0001', 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { t: number });
    expect(events.every((e, i) => i === 0 || e.t >= (events[i - 1]?.t ?? 0))).toBe(true);
  });
});
