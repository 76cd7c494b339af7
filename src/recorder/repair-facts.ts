/**
 * What a repaired manifest says about how the recording began and what happened during it, from
 * the best source there is: the manifest the device wrote (a power cut leaves one with
 * `complete: false`), else the file's own segment tags (written with the header, so every cut-off
 * file that has whole clusters has them), else the run's event log (`events.jsonl`, or the
 * `.part` a killed run leaves). Each fact says where it came from; what no source has is said in
 * `notes`. Pure: the caller reads the files.
 */
import { PRE_ROLL_LIMITS } from '../buffer/index.js';
import { CONTRACT_STOP_REASONS, type DeviceEvent, SIGNALS, type SignalName, TRIGGER_SOURCES, type TriggerSource } from '../events/index.js';
import type { PreRollLimit, RecordingManifest } from './manifest.js';

/** The facts of a recording a repair carries over. */
export interface RepairFacts {
  readonly deviceId: string;
  readonly officerId: string;
  readonly trigger: RecordingManifest['trigger'];
  readonly preRoll: RecordingManifest['preRoll'];
  readonly markers: readonly number[];
  /** The stop, when a source knows it (else the caller uses the end of what was kept). */
  readonly stop: RecordingManifest['stop'] | null;
  readonly wallClock: RecordingManifest['wallClock'] | null;
  /** The device clock's UTC offset, for wall-clock times computed anew. */
  readonly offsetMinutes: number;
  /** What could not be recovered, for the user. */
  readonly notes: readonly string[];
}


function integerTag(tags: Readonly<Record<string, string>>, name: string): number | null {
  const text = tags[name];
  return text !== undefined && /^-?\d{1,16}$/.test(text) ? Number(text) : null;
}

/** The events of a log's text; a torn last line (a killed run) and lines that are not events are skipped. */
export function parseEventLines(text: string): DeviceEvent[] {
  const events: DeviceEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') events.push(value as DeviceEvent);
    } catch {
      // the last line of a log cut off mid-write
    }
  }
  return events;
}

/**
 * Recovers the facts of recording `id`.
 * @param previous the manifest beside the file, if it reads
 * @param tags the cut-off file's segment tags
 * @param events the run's event log, or null when there is none
 */
export function recoverRepairFacts(id: string, previous: RecordingManifest | null, tags: Readonly<Record<string, string>>, events: readonly DeviceEvent[] | null): RepairFacts {
  const notes: string[] = [];
  const mine = (events ?? []).filter((event) => (event as { id?: unknown }).id === id);
  const start = mine.find((event) => event.type === 'recording.start') as Extract<DeviceEvent, { type: 'recording.start' }> | undefined;
  const stopEvent = mine.find((event) => event.type === 'recording.stop') as Extract<DeviceEvent, { type: 'recording.stop' }> | undefined;
  const offsetTag = integerTag(tags, 'BODYCAM_WALLCLOCK_OFFSET_MINUTES');
  const offsetFromId = /([+-])(\d{2})(\d{2})$/.exec(id);
  const offsetMinutes = offsetTag ?? (offsetFromId === null ? 0 : (offsetFromId[1] === '-' ? -1 : 1) * (Number(offsetFromId[2]) * 60 + Number(offsetFromId[3])));

  let trigger = previous?.trigger ?? null;
  const triggerUs = integerTag(tags, 'BODYCAM_TRIGGER_US');
  const sourceTag = tags.BODYCAM_TRIGGER_SOURCE;
  if (trigger === null && triggerUs !== null && sourceTag !== undefined && (TRIGGER_SOURCES as readonly string[]).includes(sourceTag)) {
    trigger = { atUs: triggerUs, source: sourceTag as TriggerSource, ...signalOf(tags.BODYCAM_TRIGGER_SIGNAL, tags.BODYCAM_TRIGGER_SENDER) };
  }
  if (trigger === null && start !== undefined) trigger = { atUs: start.triggerUs, source: start.source, ...signalOf(start.signal, start.sender) };
  if (trigger === null) {
    trigger = { atUs: triggerUs ?? integerTag(tags, 'BODYCAM_ORIGIN_US') ?? 0, source: 'button' };
    notes.push('trigger source unknown (no manifest, tag or event log): "button" assumed');
  }

  let preRoll = previous?.preRoll ?? null;
  const requestedUs = integerTag(tags, 'BODYCAM_PREROLL_REQUESTED_US');
  const actualUs = integerTag(tags, 'BODYCAM_PREROLL_ACTUAL_US');
  const limitTag = tags.BODYCAM_PREROLL_LIMITED_BY;
  if (preRoll === null && requestedUs !== null && actualUs !== null && limitTag !== undefined && (limitTag === 'null' || (PRE_ROLL_LIMITS as readonly string[]).includes(limitTag))) {
    preRoll = { requestedUs, actualUs, limitedBy: limitTag === 'null' ? null : limitTag as PreRollLimit };
  }
  if (preRoll === null) {
    const firstFrameUs = start?.firstFrameUs ?? integerTag(tags, 'BODYCAM_ORIGIN_US');
    const actual = firstFrameUs === null ? 0 : Math.max(0, trigger.atUs - firstFrameUs);
    preRoll = { requestedUs: actual, actualUs: actual, limitedBy: null };
    notes.push('requested pre-roll unknown (a file from before the pre-roll tags): the actual pre-roll is given for both');
  }

  let markers = previous?.markers ?? null;
  if (markers === null && events !== null) {
    markers = mine.flatMap((event) => (event.type === 'recording.marker' ? [event.markerUs] : []));
  }
  if (markers === null) {
    markers = [];
    notes.push('no event log (events.jsonl or events.jsonl.part beside recordings/): markers unknown, none written');
  }

  const stop = previous?.stop
    ?? (stopEvent === undefined ? null : { atUs: stopEvent.t, reason: stopReasonOf(stopEvent.reason) });
  return {
    deviceId: previous?.deviceId ?? tags.BODYCAM_DEVICE_ID ?? 'unknown',
    officerId: previous?.officerId ?? tags.BODYCAM_OFFICER_ID ?? 'unknown',
    trigger, preRoll, markers, stop,
    wallClock: previous?.wallClock ?? null,
    offsetMinutes,
    notes,
  };
}

/** A trigger-bus signal's kind and sender (contract §10), when both are there and the kind is one; else neither. */
function signalOf(signal: string | undefined, sender: string | undefined): { signal?: SignalName; sender?: string } {
  if (signal === undefined || !(SIGNALS as readonly string[]).includes(signal)) return {};
  if (sender === undefined || !/^[\x21-\x7e]{1,64}$/.test(sender)) return {};
  return { signal: signal as SignalName, sender };
}

function stopReasonOf(reason: string): RecordingManifest['stop']['reason'] {
  return ((CONTRACT_STOP_REASONS as readonly string[]).includes(reason) ? reason : 'power-cut') as RecordingManifest['stop']['reason'];
}
