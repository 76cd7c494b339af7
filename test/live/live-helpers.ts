/** Helpers of the live tests: a small fixture, an HTTP client that reads streams, an SSE reader. */
import { existsSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

/** Debian's chromium (or `CHROMIUM_PATH`), as the page tests drive it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless, and no background connections (the machine's closed network refuses them). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Fails clearly when chromium is missing: the page tests need it (CI installs it). */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found: apt-get install -y chromium (looked for ${CHROMIUM}; set CHROMIUM_PATH to use another)`);
}

/** Chromium with a fresh profile folder (`profile` names it) and one page of `viewport`. */
export async function openChromiumPage(profile: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  requireChromium();
  const context = await chromium.launchPersistentContext(tempDir(profile), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport });
  return { context, page: await context.newPage() };
}

/** A 2 s fixture, 160x90 at 10 fps, with 8 kHz audio: cheap enough for several live devices in a test. */
export async function smallLiveFixture(options: { width?: number; height?: number; fps?: number; seconds?: number } = {}): Promise<string> {
  const fps = options.fps ?? 10;
  const seconds = options.seconds ?? 2;
  const fixture = await makeFixture({
    width: options.width ?? 160, height: options.height ?? 90, fps, frames: fps * seconds, audio: { sampleRate: 8000, seconds },
  });
  return fixture.dir;
}

/** A plain HTTP response, read whole. */
export interface SimpleResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Sends a request and reads the whole response. */
export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens a streaming response; `onData` gets every chunk; returns the response and a closer. */
export function openStream(url: string, onData: (chunk: Buffer) => void, headers: Record<string, string> = {}): Promise<{ res: IncomingMessage; ended: Promise<void>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const ended = new Promise<void>((resolveEnd) => {
        res.on('end', resolveEnd);
        res.on('close', resolveEnd);
      });
      res.on('data', onData);
      resolve({ res, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** One parsed Server-Sent Event. */
export interface SseMessage {
  readonly event: string;
  readonly id: string | null;
  readonly data: unknown;
}

/** Parses `text/event-stream` chunks into messages. */
export class SseReader {
  readonly messages: SseMessage[] = [];
  private text = '';

  push(chunk: Buffer): void {
    this.text += chunk.toString('utf8');
    for (let end = this.text.indexOf('\n\n'); end >= 0; end = this.text.indexOf('\n\n')) {
      const block = this.text.slice(0, end);
      this.text = this.text.slice(end + 2);
      let event = 'message';
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line.startsWith('retry:')) continue;
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.messages.push({ event, id, data: JSON.parse(data.join('\n')) });
    }
  }
}

/** One record of `/live.mux` (src/live/live-mux.ts). */
export interface LiveMuxRecord {
  readonly kind: number;
  readonly deviceId: string;
  readonly payload: Buffer;
}

/** Parses `/live.mux` chunks into records, as the page does. */
export class LiveMuxReader {
  readonly records: LiveMuxRecord[] = [];
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.pending.length < 2) return;
      const idBytes = this.pending.readUInt8(1);
      const head = 6 + idBytes;
      if (this.pending.length < head) return;
      const payloadBytes = this.pending.readUInt32BE(2 + idBytes);
      if (this.pending.length < head + payloadBytes) return;
      this.records.push({
        kind: this.pending.readUInt8(0),
        deviceId: this.pending.subarray(2, 2 + idBytes).toString('utf8'),
        payload: Buffer.from(this.pending.subarray(head, head + payloadBytes)),
      });
      this.pending = this.pending.subarray(head + payloadBytes);
    }
  }

  /** Bytes received that do not yet make a whole record. */
  get partialBytes(): number {
    return this.pending.length;
  }
}
