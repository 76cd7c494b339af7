/**
 * A reader walks the buffer in seq order from a start seq to the write head. While open it pins
 * every entry it has not consumed yet: those are never evicted, so the recording that owns the
 * reader gets each frame exactly once, in order, even while capture keeps pushing.
 */
import { BodycamError, assertArgument } from '../errors/index.js';
import type { BufferEntry } from './buffer-types.js';

/** A recording's cursor into the buffer. */
export interface BufferReader {
  /** The next unread entry (seq order), or undefined when caught up with the write head or closed. */
  peek(): BufferEntry | undefined;
  /** The unread entry `index` places after the next one (`peekAt(0)` is `peek()`), or undefined. */
  peekAt(index: number): BufferEntry | undefined;
  /** Consumes the next entry: it is unpinned (and still held for later pre-rolls until evicted). */
  advance(): void;
  /**
   * The recording stopped: the reader reads nothing from `endSeq` on, and pins only what it still
   * has to read before it (typically `buffer.nextSeq` at the stop). Can only move earlier.
   */
  stopAt(endSeq: number): void;
  /** Seq of the next entry to read. */
  readonly nextSeq: number;
  /** When the reader was opened: nothing it reads can be written out before then. */
  readonly openedUs: number;
  /** The seq it was opened at. */
  readonly fromSeq: number;
  /** The seq the reader stops before (Infinity until {@link stopAt}). */
  readonly endSeq: number;
  /** Entries held and not yet read. */
  readonly unread: number;
  readonly closed: boolean;
  /** Unpins everything it still held. Idempotent. */
  close(): void;
}

/** What a reader needs from its buffer (package-private). */
export interface ReaderHost {
  /** The entry with this seq if held. */
  entry(seq: number): BufferEntry | undefined;
  /** Seq of the next accepted push. */
  readonly nextSeq: number;
  /** Called once when the reader closes. */
  detachReader(reader: PinningReader): void;
}

/** The buffer's reader implementation. */
export class PinningReader implements BufferReader {
  private position: number;
  private end = Infinity;
  private isClosed = false;
  /** Last view handed out, reused while the position does not move (peek in a loop allocates once). */
  private cached: BufferEntry | undefined;

  constructor(
    private readonly host: ReaderHost,
    readonly fromSeq: number,
    readonly openedUs: number,
  ) {
    this.position = fromSeq;
  }

  get nextSeq(): number {
    return this.position;
  }

  get endSeq(): number {
    return this.end;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get unread(): number {
    return this.isClosed ? 0 : Math.max(0, Math.min(this.host.nextSeq, this.end) - this.position);
  }

  /** Whether it still pins entries: open with something before its end. */
  get pinning(): boolean {
    return !this.isClosed && this.position < this.end;
  }

  peek(): BufferEntry | undefined {
    if (this.isClosed || this.position >= this.end) return undefined;
    if (this.cached !== undefined && this.cached.seq === this.position) return this.cached;
    this.cached = this.host.entry(this.position);
    return this.cached;
  }

  peekAt(index: number): BufferEntry | undefined {
    if (index === 0) return this.peek();
    if (this.isClosed || !Number.isSafeInteger(index) || index < 0 || this.position + index >= this.end) return undefined;
    return this.host.entry(this.position + index);
  }

  advance(): void {
    if (this.isClosed) throw new BodycamError('usage', 'BufferReader.advance: the reader is closed');
    if (this.position >= Math.min(this.host.nextSeq, this.end)) {
      throw new BodycamError('usage', `BufferReader.advance: nothing to consume (at seq ${this.position})`);
    }
    this.position += 1;
  }

  stopAt(endSeq: number): void {
    assertArgument(
      Number.isSafeInteger(endSeq) && endSeq >= this.position && endSeq <= this.end,
      'BufferReader.stopAt: endSeq', `a seq from nextSeq (${this.position}) to the current end (${this.end})`, endSeq,
    );
    this.end = endSeq;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.cached = undefined;
    this.host.detachReader(this);
  }

  /** The buffer closes its readers on `clear` (power off): no reader survives a power cycle. */
  closeByHost(): void {
    this.isClosed = true;
    this.cached = undefined;
  }
}

/** Held entries that some open reader still has to read: the union of their `[nextSeq, endSeq)` ranges. */
export function pinnedEntryCount(readers: readonly PinningReader[], headSeq: number): number {
  const ranges = readers
    .filter((reader) => reader.pinning)
    .map((reader) => [reader.nextSeq, Math.min(reader.endSeq, headSeq)] as const)
    .sort((x, y) => x[0] - y[0]);
  let pinned = 0;
  let coveredTo = -Infinity;
  for (const [from, to] of ranges) {
    const start = Math.max(from, coveredTo);
    if (to > start) pinned += to - start;
    coveredTo = Math.max(coveredTo, to);
  }
  return pinned;
}
