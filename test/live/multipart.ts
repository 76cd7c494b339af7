/**
 * A strict parser of the live view's `multipart/x-mixed-replace` stream, for tests: it reports a
 * part as complete only once the next delimiter has arrived, as browsers do, and checks the framing.
 */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Incremental parser; feed it chunks as they arrive. */
export class MultipartReader {
  readonly parts: MultipartPart[] = [];
  /** The closing delimiter (`--boundary--`) was seen. */
  closed = false;
  /** Headers of the part in progress, once its header block is complete. */
  pendingHeaders: Record<string, string> | null = null;
  private buffer = Buffer.alloc(0);
  private started = false;

  constructor(private readonly boundary: string) {}

  push(chunk: Buffer): MultipartPart[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const found: MultipartPart[] = [];
    for (;;) {
      if (!this.started) {
        const first = Buffer.from(`--${this.boundary}\r\n`);
        if (this.buffer.length < first.length) return found;
        if (!this.buffer.subarray(0, first.length).equals(first)) throw new Error(`stream does not start with the boundary: ${JSON.stringify(this.buffer.subarray(0, 40).toString('latin1'))}`);
        this.buffer = this.buffer.subarray(first.length);
        this.started = true;
      }
      if (this.pendingHeaders === null) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return found;
        this.pendingHeaders = Object.fromEntries(this.buffer.subarray(0, end).toString('latin1').split('\r\n').map((line) => {
          const colon = line.indexOf(':');
          if (colon < 0) throw new Error(`bad part header line ${JSON.stringify(line)}`);
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }));
        this.buffer = this.buffer.subarray(end + 4);
      }
      const delimiter = Buffer.from(`\r\n--${this.boundary}`);
      const at = this.buffer.indexOf(delimiter);
      if (at < 0 || this.buffer.length < at + delimiter.length + 2) return found;
      const part = { headers: this.pendingHeaders, body: Buffer.from(this.buffer.subarray(0, at)) };
      const after = this.buffer.subarray(at + delimiter.length, at + delimiter.length + 2).toString('latin1');
      this.parts.push(part);
      found.push(part);
      this.pendingHeaders = null;
      if (after === '--') {
        this.closed = true;
        this.buffer = this.buffer.subarray(at + delimiter.length + 2);
        return found;
      }
      if (after !== '\r\n') throw new Error(`bad delimiter line ending ${JSON.stringify(after)}`);
      this.buffer = this.buffer.subarray(at + delimiter.length + 2);
    }
  }
}

/** True for bytes that look like one whole JPEG (SOI ... EOI). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
}
