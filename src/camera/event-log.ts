/**
 * The device log: every event of a run, in order of fixture time, as an rxjs stream and as
 * `events.jsonl`. The file is written as `events.jsonl.part` and renamed when the run ends, so a
 * log cut off by a crash never looks complete.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { Subject } from 'rxjs';
import type { DeviceEvent } from '../events/index.js';

/** Collects and writes the events of one run. */
export class EventLog {
  /** Every event as it happens. */
  readonly events$ = new Subject<DeviceEvent>();
  private lastUs = 0;
  private fd: number | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private count = 0;

  /** @param file events.jsonl to write, or null to keep the log in memory only */
  constructor(private readonly file: string | null) {
    if (file !== null) this.fd = openSync(`${file}.part`, 'w');
  }

  /** Number of events so far. */
  get size(): number {
    return this.count;
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
      if (this.pendingBytes > 1 << 16) this.flush();
    }
    this.events$.next(event);
  };

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Completes the stream and publishes events.jsonl. */
  close(): void {
    this.flush();
    if (this.fd !== null && this.file !== null) {
      closeSync(this.fd);
      this.fd = null;
      renameSync(`${this.file}.part`, this.file);
    }
    this.events$.complete();
  }

  /** Closes the file without publishing it (the run failed): it stays as events.jsonl.part. */
  abort(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.events$.complete();
  }
}
