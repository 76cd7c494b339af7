/**
 * Every streaming camera's live view on one HTTP response (`GET /live.mux`), for the coordinator's
 * page. A browser opens at most six HTTP/1.1 connections to one host, so one `live.mjpg` request
 * per camera (plus the event stream) showed at most five cameras of the six-camera pilot, and a
 * second tab none. No HTTP/2 without TLS in a browser, and no WebSocket server in Node 20's
 * standard library: the page reads this response with `fetch` and its body's reader instead.
 *
 * The body is a sequence of records, each `kind` (u8), the device id's UTF-8 length (u8), the id,
 * the payload's length (u32, big-endian) and the payload:
 * - kind 1, a frame: the payload is one JPEG;
 * - kind 2, the view ended (the device stopped streaming): no payload.
 *
 * A viewer that does not keep up loses frames, never the order of one camera's frames and never a
 * camera: while more than `maxQueuedBytes` are waiting to be sent, each camera's newest frame is
 * held (an older held frame of the same camera is dropped) and the held frames go out, one per
 * camera, when the socket has taken what was queued.
 */
import type { Writable } from 'node:stream';

/** The Content-Type of `GET /live.mux`. */
export const LIVE_MUX_CONTENT_TYPE = 'application/x-bodycam-live-mux';
/** Record kinds of the multiplexed live view. */
export const LIVE_MUX_RECORD = { frame: 1, ended: 2 } as const;

/** The largest device id a record can carry, in UTF-8 bytes. */
const MAX_ID_BYTES = 255;

/** Counters of a multiplexed view. */
export interface LiveMuxStats {
  readonly sent: number;
  readonly dropped: number;
}

/** Writes the frames of several cameras to one viewer; see the module comment. */
export class LiveMux {
  private readonly held = new Map<string, Uint8Array>();
  private sentCount = 0;
  private droppedCount = 0;
  private closed = false;

  /**
   * @param out the response, after its head is written
   * @param maxQueuedBytes hold frames while more than this is still queued (default 0: send only when the last write has gone)
   */
  constructor(private readonly out: Writable, private readonly maxQueuedBytes = 0) {}

  /** Counters so far. */
  get stats(): LiveMuxStats {
    return { sent: this.sentCount, dropped: this.droppedCount };
  }

  /** Sends a camera's frame now, or holds it as that camera's newest while the viewer is behind. */
  push(deviceId: string, jpeg: Uint8Array): void {
    if (!this.writable()) return;
    if (this.out.writableLength > this.maxQueuedBytes) {
      if (this.held.has(deviceId)) this.droppedCount += 1;
      this.held.set(deviceId, jpeg);
      return;
    }
    this.writeRecord(LIVE_MUX_RECORD.frame, deviceId, jpeg);
  }

  /** Says that a camera's view ended; a frame of it still held goes out first. */
  ended(deviceId: string): void {
    if (!this.writable()) return;
    const held = this.held.get(deviceId);
    if (held !== undefined) {
      this.held.delete(deviceId);
      this.writeRecord(LIVE_MUX_RECORD.frame, deviceId, held);
    }
    this.writeRecord(LIVE_MUX_RECORD.ended, deviceId, new Uint8Array(0));
  }

  /** Ends the response. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.held.clear();
    if (!this.out.destroyed && !this.out.writableEnded) this.out.end();
  }

  private writable(): boolean {
    return !this.closed && !this.out.destroyed && !this.out.writableEnded;
  }

  private writeRecord(kind: number, deviceId: string, payload: Uint8Array): void {
    const id = Buffer.from(deviceId, 'utf8');
    if (id.length > MAX_ID_BYTES) throw new RangeError(`live view: device id over ${MAX_ID_BYTES} bytes: ${deviceId.slice(0, 40)}…`);
    const head = Buffer.alloc(6 + id.length);
    head.writeUInt8(kind, 0);
    head.writeUInt8(id.length, 1);
    id.copy(head, 2);
    head.writeUInt32BE(payload.length, 2 + id.length);
    // One write per record keeps the framing whole; its callback sends what was held meanwhile.
    this.out.write(Buffer.concat([head, payload]), () => this.sendHeld());
    if (kind === LIVE_MUX_RECORD.frame) this.sentCount += 1;
  }

  private sendHeld(): void {
    if (this.held.size === 0 || !this.writable() || this.out.writableLength > this.maxQueuedBytes) return;
    const frames = [...this.held];
    this.held.clear();
    for (const [deviceId, jpeg] of frames) this.writeRecord(LIVE_MUX_RECORD.frame, deviceId, jpeg);
  }
}
