/**
 * The live server's routes (contract §7). The token has been checked before any of these runs.
 * Long-lived responses (MJPEG views, the event stream) register a closer, so the server can end
 * them all when it shuts down.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Subscription } from 'rxjs';
import { isBodycamError, errorMessage } from '../errors/index.js';
import { parseEvent } from '../fixture/index.js';
import { coordinatorPage, pageContentSecurityPolicy } from './coordinator-page.js';
import { BASE_HEADERS, parseJsonBody, readBody, sendError, sendJson, sendText } from './http-responses.js';
import type { LiveDevice, LiveInput } from './live-device.js';
import type { LiveFleet } from './live-fleet.js';
import { LIVE_MUX_CONTENT_TYPE, LiveMux } from './live-mux.js';
import { MJPEG_CONTENT_TYPE, MjpegView } from './mjpeg-view.js';
import { SseChannel } from './sse-channel.js';

/** What the routes work with. */
export interface RouteContext {
  readonly fleet: LiveFleet;
  readonly token: string;
  /** Registers a long-lived response's closer; returns a function that unregisters it. */
  readonly track: (close: () => void) => () => void;
  /** Bytes a slow MJPEG viewer may have queued before frames are dropped. */
  readonly maxQueuedFrameBytes: number;
  readonly keepAliveMs: number;
}

const DEVICE_PATH = /^\/devices\/([^/]+)\/(live\.mjpg|stream|input)$/;

/** Routes one authorised request. */
export async function route(req: IncomingMessage, res: ServerResponse, url: URL, context: RouteContext): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === '/' || path === '/index.html') return onlyGet(method, res) ?? sendPage(res, context.token);
  if (path === '/api/devices') return onlyGet(method, res) ?? sendJson(res, 200, context.fleet.status());
  if (path.startsWith('/api/devices/')) {
    const device = context.fleet.device(decodeURIComponent(path.slice('/api/devices/'.length)));
    if (device === undefined) return sendError(res, 404, 'no such device');
    return onlyGet(method, res) ?? sendJson(res, 200, device.status());
  }
  if (path === '/events') return onlyGet(method, res) ?? openEvents(req, res, context);
  if (path === '/live.mux') return onlyGet(method, res) ?? openLiveMux(req, res, context);
  const match = DEVICE_PATH.exec(path);
  if (match !== null) {
    const device = context.fleet.device(decodeURIComponent(match[1] ?? ''));
    if (device === undefined) return sendError(res, 404, 'no such device');
    if (match[2] === 'live.mjpg') return onlyGet(method, res) ?? openLiveView(req, res, device, context);
    if (method !== 'POST') return sendError(res, 405, 'use POST', {});
    return match[2] === 'stream' ? postStream(req, res, url, device) : postInput(req, res, device);
  }
  return sendError(res, 404, 'not found');
}

function onlyGet(method: string, res: ServerResponse): void | undefined {
  if (method === 'GET') return undefined;
  res.setHeader('Allow', 'GET');
  sendError(res, 405, 'use GET');
}

function sendPage(res: ServerResponse, token: string): void {
  const nonce = randomBytes(16).toString('base64');
  sendText(res, 200, coordinatorPage({ token, nonce }), 'text/html; charset=utf-8', { 'Content-Security-Policy': pageContentSecurityPolicy(nonce) });
}

/** `GET /devices/<id>/live.mjpg`: a stream request; frames flow while the device streams, then the view ends. */
function openLiveView(req: IncomingMessage, res: ServerResponse, device: LiveDevice, context: RouteContext): void {
  const view = device.openView();
  if (!view.streaming) {
    const { state } = device.snapshot;
    sendError(res, 409, `${device.id} did not start a stream: a stream runs only while the device records (state: ${state})`, { state });
    return;
  }
  res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': MJPEG_CONTENT_TYPE, Pragma: 'no-cache', 'X-Accel-Buffering': 'no' });
  res.socket?.setNoDelay(true);
  const mjpeg = new MjpegView(res, context.maxQueuedFrameBytes);
  const { subscriptions, close } = holdOpen(req, res, context, () => {
    view.close();
    mjpeg.end();
  });
  subscriptions.add(device.frames$.subscribe((frame) => mjpeg.push(frame.jpeg)));
  subscriptions.add(device.streaming$.subscribe({ next: (on) => (on ? undefined : close()), complete: close }));
}

/**
 * `GET /live.mux`: the views of every device that streams, on one response (src/live/live-mux.ts).
 * It is a viewer of each device while that device streams, as a `live.mjpg` is, so the last view
 * closing still stops the stream; it never starts one.
 */
function openLiveMux(req: IncomingMessage, res: ServerResponse, context: RouteContext): void {
  res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': LIVE_MUX_CONTENT_TYPE, Pragma: 'no-cache', 'X-Accel-Buffering': 'no' });
  res.flushHeaders(); // the viewer learns at once that it is connected, though no device may stream yet
  res.socket?.setNoDelay(true);
  const mux = new LiveMux(res, context.maxQueuedFrameBytes);
  const { subscriptions } = holdOpen(req, res, context, () => mux.end());
  for (const device of context.fleet.devices) subscriptions.add(watchDevice(device, mux));
}

/** Follows one device for a multiplexed view: its frames while it streams, then an `ended` record. */
function watchDevice(device: LiveDevice, mux: LiveMux): Subscription {
  let watching: { readonly view: { close: () => void }; readonly frames: Subscription } | null = null;
  const detach = (): void => {
    const current = watching;
    if (current === null) return;
    watching = null; // first: closing the last view stops the stream, which comes back here
    current.frames.unsubscribe();
    current.view.close();
    mux.ended(device.id);
  };
  const subscription = device.streaming$.subscribe({
    next: (streaming) => {
      if (!streaming) return detach();
      if (watching !== null) return;
      const view = device.openView();
      if (!view.streaming) return;
      watching = { view, frames: device.frames$.subscribe((frame) => mux.push(device.id, frame.jpeg)) };
    },
    complete: detach,
  });
  subscription.add(detach);
  return subscription;
}

/** `GET /events`: every device's events, each with its `deviceId`; first a `snapshot` of all devices. */
function openEvents(req: IncomingMessage, res: ServerResponse, context: RouteContext): void {
  res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no' });
  res.socket?.setNoDelay(true);
  const { subscriptions, close } = holdOpen(req, res, context, () => channel.close());
  const channel = new SseChannel(res, 1 << 20, close);
  channel.send('snapshot', context.fleet.status());
  const keepAlive = setInterval(() => channel.keepAlive(), context.keepAliveMs);
  subscriptions.add(() => clearInterval(keepAlive));
  subscriptions.add(context.fleet.events$.subscribe({ next: (event) => channel.send('device', event), complete: close }));
}

/**
 * A response that stays open (a live view, the event stream). `close` runs once: when the client
 * goes, when the server shuts down (`context.track`), or when a caller calls it; it unsubscribes
 * what was added to `subscriptions`, then runs `end`.
 */
function holdOpen(req: IncomingMessage, res: ServerResponse, context: RouteContext, end: () => void): { readonly subscriptions: Subscription; readonly close: () => void } {
  const subscriptions = new Subscription();
  const close = (): void => {
    if (subscriptions.closed) return;
    subscriptions.unsubscribe();
    end();
  };
  subscriptions.add(context.track(close));
  req.on('close', close);
  res.on('close', close);
  return { subscriptions, close };
}

/** `POST /devices/<id>/stream` with `{"action": "start" | "stop"}` (or `?action=`; default start). */
async function postStream(req: IncomingMessage, res: ServerResponse, url: URL, device: LiveDevice): Promise<void> {
  let action: unknown = url.searchParams.get('action') ?? 'start';
  try {
    const body = parseJsonBody(await readBody(req)) as { action?: unknown };
    if (typeof body === 'object' && body !== null && 'action' in body) action = body.action;
  } catch (error) {
    return sendError(res, 400, `expected a JSON body like {"action": "start"}: ${(error as Error).message}`);
  }
  if (action !== 'start' && action !== 'stop') return sendError(res, 400, `expected action "start" or "stop", got ${JSON.stringify(action)}`);
  device.input({ kind: 'stream', action });
  sendJson(res, 200, device.status());
}

/**
 * `POST /devices/<id>/input` with one scenario event without `at` (contract §3), e.g.
 * `{"press": "record", "hold": 3.5}` or `{"battery": 15}`: it happens now.
 */
async function postInput(req: IncomingMessage, res: ServerResponse, device: LiveDevice): Promise<void> {
  let input: LiveInput;
  try {
    const body = parseJsonBody(await readBody(req));
    if (typeof body === 'object' && body !== null && 'at' in body) return sendError(res, 400, 'an input happens now: leave out "at"');
    const { atUs: _now, ...rest } = parseEvent({ ...(body as object), at: 0 }, 0, 'request body');
    input = rest as LiveInput;
  } catch (error) {
    const message = errorMessage(error);
    return sendError(res, 400, message);
  }
  device.input(input);
  sendJson(res, 200, device.status());
}
