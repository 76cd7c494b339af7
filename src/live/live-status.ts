/**
 * What the coordinator sees of a device, kept up to date from the device's own events: its
 * recordings and whether it streams. Pure: it folds events, it reads no clock.
 */
import type { DeviceEvent, StopReason, TriggerSource } from '../events/index.js';

/** One recording as the coordinator sees it. */
export interface LiveRecordingInfo {
  readonly id: string;
  /** `recording` → `stopping` (draining to storage) → `finalized` (or `cut-off` after a power cut). */
  readonly state: 'recording' | 'stopping' | 'finalized' | 'cut-off';
  readonly source: TriggerSource;
  readonly triggerUs: number;
  readonly firstFrameUs: number | null;
  readonly stopUs: number | null;
  readonly stopReason: StopReason | null;
  readonly frames: number | null;
  readonly bytes: number | null;
  /** File name of the recording, under the device's `recordings/`. */
  readonly file: string;
}

/** The most recordings kept in a status (the oldest are dropped from the list, not from disk). */
export const MAX_LISTED_RECORDINGS = 50;

/** Folds a device's events into its recordings list and streaming flag. */
export class LiveStatusTracker {
  private readonly list: LiveRecordingInfo[] = [];
  private total = 0;
  private streamingNow = false;

  /**
   * @param fileSuffix what follows a recording's id in its file name: the recording format's
   *   extension and any protection suffix (`.mkv`, `.mp4`, `.mkv.enc`), as the recorder names it
   */
  constructor(private readonly fileSuffix = '.mkv') {}

  /** Recordings, newest last (at most {@link MAX_LISTED_RECORDINGS}). */
  get recordings(): readonly LiveRecordingInfo[] {
    return this.list;
  }

  /** Recordings started since the device started. */
  get recordingCount(): number {
    return this.total;
  }

  /** True while the device streams (between its `stream` started and stopped events). */
  get streaming(): boolean {
    return this.streamingNow;
  }

  /** Takes one event; returns true when the streaming flag changed. */
  apply(event: DeviceEvent): boolean {
    switch (event.type) {
      case 'recording.start':
        this.total += 1;
        this.list.push({
          id: event.id, state: 'recording', source: event.source, triggerUs: event.triggerUs, firstFrameUs: event.firstFrameUs,
          stopUs: null, stopReason: null, frames: null, bytes: null, file: `${event.id}${this.fileSuffix}`,
        });
        if (this.list.length > MAX_LISTED_RECORDINGS) this.list.shift();
        return false;
      case 'recording.stop':
        this.update(event.id, { state: 'stopping', stopUs: event.t, stopReason: event.reason, frames: event.frames });
        return false;
      case 'recording.finalized':
        this.update(event.id, { state: event.complete ? 'finalized' : 'cut-off', bytes: event.bytes });
        return false;
      case 'stream': {
        const on = event.state === 'started';
        const changed = on !== this.streamingNow;
        this.streamingNow = on;
        return changed;
      }
      default:
        return false;
    }
  }

  private update(id: string, fields: Partial<LiveRecordingInfo>): void {
    const index = this.list.findIndex((recording) => recording.id === id);
    const current = this.list[index];
    if (current !== undefined) this.list[index] = { ...current, ...fields };
  }
}
