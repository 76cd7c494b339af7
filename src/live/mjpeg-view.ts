/**
 * One viewer of a live MJPEG stream (`multipart/x-mixed-replace`). Each JPEG is written together
 * with the boundary and headers of the *next* part: a browser shows a part only once it has seen
 * the next part begin, so writing the boundary first (the usual way) shows every frame one frame
 * late. A viewer that does not keep up loses frames instead of queueing them: a frame is dropped
 * while more than `maxQueuedBytes` of earlier frames are still waiting to be sent.
 *
 * The stream ends by closing the response, without a closing delimiter: the next part's headers
 * have already gone out, and a delimiter now would add an empty last part (Chromium keeps
 * showing the last frame either way).
 */
import type { Writable } from 'node:stream';

/** The multipart boundary of the live view. */
export const MJPEG_BOUNDARY = 'bodycam-live-frame';
/** The Content-Type of the live view. */
export const MJPEG_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`;

const PART_HEAD = Buffer.from(`--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\n\r\n`, 'latin1');
const NEXT_PART = Buffer.from(`\r\n--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\n\r\n`, 'latin1');

/** Counters of a view. */
export interface MjpegViewStats {
  readonly sent: number;
  readonly dropped: number;
}

/** Writes frames to one viewer; see the module comment. */
export class MjpegView {
  private sentCount = 0;
  private droppedCount = 0;
  private ended = false;

  /**
   * @param out the response, after its head (status and Content-Type) is written
   * @param maxQueuedBytes drop a frame while more than this is still queued (default 0: send only when the last frame has gone)
   */
  constructor(private readonly out: Writable, private readonly maxQueuedBytes = 0) {
    out.write(PART_HEAD);
  }

  /** Counters so far. */
  get stats(): MjpegViewStats {
    return { sent: this.sentCount, dropped: this.droppedCount };
  }

  /** Sends a frame, or drops it when the viewer is behind; returns true when sent. */
  push(jpeg: Uint8Array): boolean {
    if (this.ended || this.out.destroyed || this.out.writableEnded) return false;
    if (this.out.writableLength > this.maxQueuedBytes) {
      this.droppedCount += 1;
      return false;
    }
    // One write per frame keeps the framing whole whatever is dropped.
    this.out.write(Buffer.concat([jpeg, NEXT_PART]));
    this.sentCount += 1;
    return true;
  }

  /** Ends the stream (see the module comment). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.out.destroyed && !this.out.writableEnded) this.out.end();
  }
}
