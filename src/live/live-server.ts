/**
 * The live view's HTTP server (contract §7), node:http only. It binds to 127.0.0.1 unless told
 * otherwise, and every request must carry the access token (`Authorization: Bearer TOKEN` or
 * `?token=TOKEN`): without it the answer is 401 and nothing else, whatever the path or method.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodycamError } from '../errors/index.js';
import { assertToken, requestToken, tokenMatches } from './access-token.js';
import { sendError, sendUnauthorized } from './http-responses.js';
import type { LiveFleet } from './live-fleet.js';
import { DEFAULT_LIVE_HOST, DEFAULT_LIVE_PORT } from './live-defaults.js';
import { type RouteContext, route } from './live-routes.js';


/** How to serve a fleet. */
export interface LiveServerOptions {
  readonly fleet: LiveFleet;
  readonly token: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8480; 0 picks a free port. */
  readonly port?: number;
  /** Bytes a slow MJPEG viewer may have queued before its frames are dropped (default 0: one frame in flight). */
  readonly maxQueuedFrameBytes?: number;
  /** Interval of the event stream's keep-alive comments (default 15 s). */
  readonly keepAliveMs?: number;
  /** A request handler failed unexpectedly (the client got a 500). */
  readonly onError?: (error: unknown) => void;
}

/** A running server. */
export interface LiveServer {
  readonly host: string;
  readonly port: number;
  /** The page's address, without the token. */
  readonly url: string;
  /** Ends every live view and event stream, then closes the server and its connections. */
  close(): Promise<void>;
}

/** Starts serving `fleet`; resolves once it listens. */
export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  assertToken(options.token);
  const host = options.host ?? DEFAULT_LIVE_HOST;
  const open = new Set<() => void>();
  const context: RouteContext = {
    fleet: options.fleet,
    token: options.token,
    track: (close) => {
      open.add(close);
      return () => open.delete(close);
    },
    maxQueuedFrameBytes: options.maxQueuedFrameBytes ?? 0,
    keepAliveMs: options.keepAliveMs ?? 15_000,
  };
  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://live.invalid');
    } catch {
      sendUnauthorized(res);
      return;
    }
    if (!tokenMatches(requestToken(req, url), options.token)) {
      sendUnauthorized(res);
      return;
    }
    route(req, res, url, context).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) sendError(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await listen(server, host, options.port ?? DEFAULT_LIVE_PORT);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    url: `http://${urlHost}:${port}/`,
    close: () => closeServer(server, open),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(BodycamError.runtime(`cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (try --port 0 for a free one)' : error.message}`, error));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function closeServer(server: Server, open: Set<() => void>): Promise<void> {
  for (const close of [...open]) close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 1000);
  await closed;
  clearTimeout(timer);
}
