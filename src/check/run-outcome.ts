/**
 * What a run left behind, as the checks read it: the events of events.jsonl and the recordings'
 * manifests. Recordings are numbered from 1 in trigger order (the order of `recording.start` in
 * the log), whatever order their files finished in.
 */
import type { DeviceEvent, DeviceEventOf, DeviceEventType, LedColor, LedName } from '../events/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { samplesDurationUs } from '../time/index.js';

/** A run's events and manifests: everything an assertion is evaluated against. */
export interface RunOutcome {
  readonly events: readonly DeviceEvent[];
  readonly recordings: readonly RecordingManifest[];
}

/** One recording of a run: its id, trigger time, and manifest (null if the run wrote none). */
export interface RecordingEntry {
  readonly id: string;
  readonly triggerUs: number;
  readonly manifest: RecordingManifest | null;
}

/** The events of one type, in log order. */
export function eventsOfType<K extends DeviceEventType>(events: readonly DeviceEvent[], type: K): DeviceEventOf<K>[] {
  return events.filter((event): event is DeviceEventOf<K> => event.type === type);
}

/**
 * The run's recordings in trigger order: the `recording.start` events first, then any manifest
 * the log does not mention (a manifest list given without its log), by trigger time and id.
 */
export function recordingsInTriggerOrder(run: RunOutcome): RecordingEntry[] {
  const byId = new Map(run.recordings.map((manifest) => [manifest.id, manifest]));
  const entries: RecordingEntry[] = [];
  const seen = new Set<string>();
  for (const start of eventsOfType(run.events, 'recording.start')) {
    if (seen.has(start.id)) continue;
    seen.add(start.id);
    entries.push({ id: start.id, triggerUs: start.triggerUs, manifest: byId.get(start.id) ?? null });
  }
  const rest = run.recordings.filter((manifest) => !seen.has(manifest.id))
    .sort((a, b) => a.trigger.atUs - b.trigger.atUs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const manifest of rest) entries.push({ id: manifest.id, triggerUs: manifest.trigger.atUs, manifest });
  return entries;
}

/** An LED's pattern as the log last set it. */
export interface LedState {
  readonly color: LedColor;
  readonly onMs: number;
  readonly offMs: number;
  /** When the log set it. */
  readonly sinceUs: number;
}

/** The LED's state at `atUs`, after every event logged at or before that instant; null before the first. */
export function ledStateAt(events: readonly DeviceEvent[], led: LedName, atUs: number): LedState | null {
  let state: LedState | null = null;
  for (const event of events) {
    if (event.t > atUs) break;
    if (event.type === 'led' && event.led === led) state = { color: event.color, onMs: event.onMs, offMs: event.offMs, sinceUs: event.t };
  }
  return state;
}

/** Every change of `led` logged in (`fromUs`, `toUs`], in order. */
export function ledChanges(events: readonly DeviceEvent[], led: LedName, fromUs: number, toUs: number): LedState[] {
  const changes: LedState[] = [];
  for (const event of events) {
    if (event.t > toUs) break;
    if (event.t > fromUs && event.type === 'led' && event.led === led) changes.push({ color: event.color, onMs: event.onMs, offMs: event.offMs, sinceUs: event.t });
  }
  return changes;
}

/** The device mode at `atUs` (the `to` of the last `state` event at or before it), or null. */
export function modeAt(events: readonly DeviceEvent[], atUs: number): string | null {
  let mode: string | null = null;
  for (const event of events) {
    if (event.t > atUs) break;
    if (event.type === 'state') mode = event.to;
  }
  return mode;
}

/** Where a recording's audio ends (exclusive): its first sample plus its samples' span. */
export function audioEndUs(audio: NonNullable<RecordingManifest['audio']>): number | null {
  if (audio.firstSampleUs === null) return null;
  return audio.firstSampleUs + samplesDurationUs(audio.samples, audio.sampleRate);
}
