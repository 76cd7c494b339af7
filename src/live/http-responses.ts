/** Small helpers for the live server's plain responses (node:http, no framework). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers every response carries: nothing cached, nothing sniffed, the token never sent on as a referrer. */
export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});

/** Sends `body` as a complete response. */
export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': contentType, 'Content-Length': String(bytes.byteLength), ...headers });
  res.end(bytes);
}

/** Sends a JSON value. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendText(res, status, `${JSON.stringify(value)}\n`, 'application/json; charset=utf-8');
}

/** Sends a JSON error: `{ "error": message, ...extra }`. */
export function sendError(res: ServerResponse, status: number, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { error: message, ...extra });
}

/** The answer to a request without the right token: 401 and nothing else. */
export function sendUnauthorized(res: ServerResponse): void {
  sendText(res, 401, 'Unauthorized\n', 'text/plain; charset=utf-8', { 'WWW-Authenticate': 'Bearer realm="bodycam live"' });
}

/** The largest request body read. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Reads a request body as text (at most {@link MAX_BODY_BYTES}); rejects when it is larger. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError(`the request body is larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses a JSON body; an empty body is `{}`. */
export function parseJsonBody(text: string): unknown {
  return text.trim() === '' ? {} : JSON.parse(text);
}
