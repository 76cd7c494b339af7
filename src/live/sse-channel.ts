/**
 * One Server-Sent Events client (`text/event-stream`). Events are small; a client that stops
 * reading is cut off once `maxQueuedBytes` are waiting (it reconnects and gets a fresh snapshot)
 * rather than letting its queue grow without bound.
 */
import type { Writable } from 'node:stream';

/** Writes events to one client. */
export class SseChannel {
  private nextId = 1;
  private closed = false;

  /** @param out the response, after its head is written */
  constructor(private readonly out: Writable, private readonly maxQueuedBytes = 1 << 20, private readonly onOverflow: () => void = () => undefined) {
    // Tell EventSource how soon to reconnect, and open the stream at once.
    out.write('retry: 1000\n\n');
  }

  /** True once closed (by us or the client). */
  get isClosed(): boolean {
    return this.closed || this.out.destroyed || this.out.writableEnded;
  }

  /** Sends one event named `event` with JSON `data`. */
  send(event: string, data: unknown): void {
    if (this.isClosed) return;
    if (this.out.writableLength > this.maxQueuedBytes) {
      this.close();
      this.onOverflow();
      return;
    }
    // JSON.stringify never emits raw newlines, so the data is one `data:` line.
    this.out.write(`id: ${this.nextId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    this.nextId += 1;
  }

  /** A comment line, to keep proxies and idle timers from closing the connection. */
  keepAlive(): void {
    if (!this.isClosed) this.out.write(': keep-alive\n\n');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.out.destroyed && !this.out.writableEnded) this.out.end();
  }
}
