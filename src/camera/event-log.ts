/**
 * The device log: every event of a run, in order of fixture time, as an rxjs stream and as
 * `events.jsonl`. The file is written as `events.jsonl.part` and renamed when the run ends, so a
 * log cut off by a crash never looks complete.
 *
 * Flush policy (docs/reliability.md): lines are appended as events happen. The events of one
 * synchronous burst (one frame, one timer) are joined and written with one `write` in a microtask
 * right after it, and at once when they pass 64 KiB. A written line is in the kernel's page cache,
 * so a SIGKILL keeps every event up to the last burst; only a crash of the host OS can lose more
 * (no fsync: a simulated device's log is not worth a disk flush per event). A failed write (disk
 * full, I/O error) never throws into the device: the log stops where it is, keeps what it wrote,
 * and reports the first failure once, naming the file and the byte ({@link EventLog.error}).
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { Subject } from 'rxjs';
import { BodycamError } from '../errors/index.js';
import type { DeviceEvent } from '../events/index.js';

/** Pending bytes that are written at once instead of at the end of the burst. */
const FLUSH_AT_BYTES = 1 << 16;

/** Collects and writes the events of one run. */
export class EventLog {
  /** Every event as it happens. */
  readonly events$ = new Subject<DeviceEvent>();
  private lastUs = 0;
  private fd: number | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private writtenBytes = 0;
  private count = 0;
  private failure: BodycamError | null = null;
  private readonly partFile: string | null;

  /**
   * @param file events.jsonl to write, or null to keep the log in memory only
   * @param onWriteError called once with the first write failure (the run's fault latch)
   */
  constructor(private readonly file: string | null, private readonly onWriteError?: (error: BodycamError) => void) {
    this.partFile = file === null ? null : `${file}.part`;
    if (this.partFile !== null) this.fd = openSync(this.partFile, 'w');
  }

  /** Number of events so far. */
  get size(): number {
    return this.count;
  }

  /** The first write failure, or null. */
  get error(): BodycamError | null {
    return this.failure;
  }

  /** Appends an event; events must come in non-decreasing fixture time. */
  readonly emit = (event: DeviceEvent): void => {
    if (event.t < this.lastUs) {
      throw new Error(`event log: ${event.type} at ${event.t} µs arrived after ${this.lastUs} µs; events must be in time order`);
    }
    this.lastUs = event.t;
    this.count += 1;
    if (this.fd !== null) {
      const line = `${JSON.stringify(event)}\n`;
      this.pending.push(line);
      this.pendingBytes += line.length;
      if (this.pendingBytes > FLUSH_AT_BYTES) this.flush();
      else if (!this.flushQueued) {
        this.flushQueued = true;
        queueMicrotask(this.flushQueuedBurst);
      }
    }
    this.events$.next(event);
  };

  private readonly flushQueuedBurst = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /** Writes what is pending. Never throws: a failure stops the log and is kept as {@link error}. */
  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    const text = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    let done = 0;
    try {
      while (done < text.length) done += writeSync(this.fd, text, done, text.length - done, this.writtenBytes + done);
      this.writtenBytes += done;
    } catch (error) {
      this.writtenBytes += done;
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    const failure = BodycamError.runtime(
      `cannot write ${this.partFile ?? 'the event log'} at byte ${this.writtenBytes}: ${error instanceof Error ? error.message : String(error)}`,
      error, this.partFile === null ? {} : { file: this.partFile },
    );
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Already failing: the first error is the one reported.
      }
    }
    this.fd = null;
    this.pending = [];
    if (this.failure !== null) return;
    this.failure = failure;
    this.onWriteError?.(failure);
  }

  /** Completes the stream and publishes events.jsonl; throws the first write failure, if any. */
  close(): void {
    this.flush();
    if (this.failure !== null) {
      this.events$.complete();
      throw this.failure;
    }
    if (this.fd !== null && this.file !== null && this.partFile !== null) {
      closeSync(this.fd);
      this.fd = null;
      renameSync(this.partFile, this.file);
    }
    this.events$.complete();
  }

  /** Closes the file without publishing it (the run failed): it stays as events.jsonl.part. Never throws. */
  abort(): void {
    this.flush();
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // The run is already failing with its own error.
      }
    }
    this.fd = null;
    this.events$.complete();
  }
}
