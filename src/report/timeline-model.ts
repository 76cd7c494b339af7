/**
 * What the timeline shows, derived from a run's events, manifests and buffer samples: spans of
 * device mode and LED pattern, button presses, gestures, the buffer's fill, each recording with
 * its pre-roll, and incidents (faults, frame drops, storage, battery, power, dock). Pure.
 */
import type { DeviceEvent, DeviceEventMap, LedColor, LedName, StopReason } from '../events/index.js';
import type { PreRollLimit, RecordingManifest } from '../recorder/index.js';

/** The buffer's fill at one instant (the replay's `onBufferSample` gives these). */
export interface BufferSample {
  readonly atUs: number;
  readonly occupancyBytes: number;
  readonly occupancyUs: number;
  /** The frame captured at `atUs`: a keyframe or a P-frame (absent when none was encoded). */
  readonly frame?: 'key' | 'delta';
}

/** Everything the timeline is drawn from. */
export interface TimelineInput {
  /** Shown at the top: the fixture and scenario names. */
  readonly title: string;
  readonly events: readonly DeviceEvent[];
  readonly recordings: readonly RecordingManifest[];
  readonly bufferSamples: readonly BufferSample[];
  readonly preRecordUs: number;
  readonly bufferBytes: number;
  /** Fixture time at which the run ended. */
  readonly endUs: number;
}

/** A span of time [fromUs, toUs) holding one value. */
export interface Span<T> {
  readonly fromUs: number;
  readonly toUs: number;
  readonly value: T;
}

/** An LED pattern: colour and blink timing (solid when offMs is 0). */
export interface LedLook {
  readonly color: LedColor;
  readonly onMs: number;
  readonly offMs: number;
}

/** A recording as drawn: its pre-roll [firstFrameUs, triggerUs) and its recording [triggerUs, stopUs). */
export interface RecordingBar {
  readonly number: number;
  readonly id: string;
  readonly firstFrameUs: number;
  readonly triggerUs: number;
  readonly stopUs: number;
  readonly preRollUs: number;
  readonly limitedBy: PreRollLimit;
  readonly reason: StopReason;
  readonly markersUs: readonly number[];
  readonly complete: boolean;
  /** Keyframes captured in the pre-roll [firstFrameUs, triggerUs) (GOP codecs only; empty for MJPEG). */
  readonly preRollKeyframesUs: readonly number[];
}

/** Something that happened at an instant, worth a mark and a label. */
export interface Incident {
  readonly atUs: number;
  readonly kind: 'fault' | 'drop' | 'storage' | 'battery' | 'power' | 'dock' | 'signal';
  readonly label: string;
}

/** The timeline's content. */
export interface TimelineModel {
  readonly title: string;
  readonly endUs: number;
  readonly modes: readonly Span<string>[];
  readonly leds: Readonly<Record<LedName, readonly Span<LedLook>[]>>;
  readonly presses: readonly Span<string>[];
  readonly gestures: readonly { readonly atUs: number; readonly gesture: DeviceEventMap['gesture']['gesture'] }[];
  readonly buffer: {
    readonly samples: readonly BufferSample[];
    readonly preRecordUs: number;
    readonly bufferBytes: number;
    /** Capture times of the keyframes when the stream has P-frames (GOPs), else empty (MJPEG: every frame is one). */
    readonly keyframesUs: readonly number[];
  };
  readonly recordings: readonly RecordingBar[];
  readonly incidents: readonly Incident[];
}

/** Manifests in trigger order: as `recording.start` lists them, then any others by trigger time. */
function inTriggerOrder(events: readonly DeviceEvent[], recordings: readonly RecordingManifest[]): RecordingManifest[] {
  const order = new Map<string, number>();
  for (const event of events) if (event.type === 'recording.start' && !order.has(event.id)) order.set(event.id, order.size);
  const rank = (m: RecordingManifest): number => order.get(m.id) ?? Number.MAX_SAFE_INTEGER;
  return [...recordings].sort((a, b) => rank(a) - rank(b) || a.trigger.atUs - b.trigger.atUs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Turns a sequence of (time, value) changes into spans ending at `endUs`. */
function spansOf<T>(changes: readonly { atUs: number; value: T }[], endUs: number): Span<T>[] {
  const spans: Span<T>[] = [];
  changes.forEach((change, i) => {
    const toUs = Math.max(change.atUs, changes[i + 1]?.atUs ?? endUs);
    if (toUs > change.atUs) spans.push({ fromUs: change.atUs, toUs, value: change.value });
  });
  return spans;
}

function incidentOf(event: DeviceEvent): Incident | null {
  switch (event.type) {
    case 'fault': return { atUs: event.t, kind: 'fault', label: event.code };
    case 'frame.drop': return { atUs: event.t, kind: 'drop', label: event.reason };
    case 'storage': return event.state === 'ok' && event.t === 0 ? null : { atUs: event.t, kind: 'storage', label: `storage ${event.state}` };
    case 'battery': return event.t === 0 ? null : { atUs: event.t, kind: 'battery', label: `bat ${event.percent}%` };
    case 'input':
      if (event.kind === 'power') return { atUs: event.t, kind: 'power', label: 'power cut' };
      if (event.kind === 'dock') return { atUs: event.t, kind: 'dock', label: event.value === true ? 'docked' : 'undocked' };
      if (event.kind === 'signal') return { atUs: event.t, kind: 'signal', label: event.signal ?? 'signal' };
      return null;
    default: return null;
  }
}

/** The keyframes' capture times, when the samples show P-frames too (a stream of keyframes only has no GOPs to mark). */
function gopKeyframes(samples: readonly BufferSample[]): number[] {
  if (!samples.some((s) => s.frame === 'delta')) return [];
  return samples.flatMap((s) => (s.frame === 'key' ? [s.atUs] : []));
}

/** Builds the timeline's content from a run. */
export function timelineModel(input: TimelineInput): TimelineModel {
  const { events, endUs } = input;
  const modes = spansOf(events.flatMap((e) => (e.type === 'state' ? [{ atUs: e.t, value: e.to }] : [])), endUs);
  const ledSpans = (led: LedName): Span<LedLook>[] => spansOf(
    events.flatMap((e) => (e.type === 'led' && e.led === led ? [{ atUs: e.t, value: { color: e.color, onMs: e.onMs, offMs: e.offMs } }] : [])),
    endUs,
  );
  const presses: Span<string>[] = [];
  const down = new Map<string, number>();
  for (const event of events) {
    if (event.type !== 'input' || event.button === undefined) continue;
    if (event.kind === 'press') down.set(event.button, event.t);
    if (event.kind === 'release') {
      const fromUs = down.get(event.button);
      if (fromUs !== undefined) presses.push({ fromUs, toUs: event.t, value: event.button });
      down.delete(event.button);
    }
  }
  for (const [button, fromUs] of down) presses.push({ fromUs, toUs: endUs, value: button });
  const keyframesUs = gopKeyframes(input.bufferSamples);
  const recordings: RecordingBar[] = [];
  inTriggerOrder(events, input.recordings).forEach((m, i) => {
    const firstFrameUs = m.video.firstFrameUs ?? m.trigger.atUs;
    recordings.push({
      number: i + 1, id: m.id, firstFrameUs, triggerUs: m.trigger.atUs, stopUs: m.stop.atUs,
      preRollUs: m.preRoll.actualUs, limitedBy: m.preRoll.limitedBy, reason: m.stop.reason, markersUs: m.markers, complete: m.complete,
      preRollKeyframesUs: keyframesUs.filter((us) => us >= firstFrameUs && us < m.trigger.atUs),
    });
  });
  return {
    title: input.title,
    endUs,
    modes,
    leds: { record: ledSpans('record'), status: ledSpans('status') },
    presses: presses.sort((a, b) => a.fromUs - b.fromUs),
    gestures: events.flatMap((e) => (e.type === 'gesture' ? [{ atUs: e.t, gesture: e.gesture }] : [])),
    buffer: { samples: input.bufferSamples, preRecordUs: input.preRecordUs, bufferBytes: input.bufferBytes, keyframesUs },
    recordings,
    incidents: events.flatMap((e) => incidentOf(e) ?? []),
  };
}
