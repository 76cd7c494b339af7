/**
 * The vocabulary of the device state machine: modes, overlays, machine events and effects.
 * The machine itself is a table ({@link TRANSITION_TABLE}) read by a pure `transition` function.
 */
import type { SignalTrigger, StopReason, TriggerSource } from '../events/index.js';

/** The device's modes, in the order the diagram and the docs list them. */
export const DEVICE_MODES = ['off', 'booting', 'standby', 'recording', 'stopping', 'docked', 'fault'] as const;
/** One mode of the device. `stopping` is "finalizing the stopped recording". */
export type DeviceMode = (typeof DEVICE_MODES)[number];

/**
 * Overlays: flags that hold on top of a mode. `streaming` holds only in `recording`; `muted` and
 * `stealth` are cleared when the device goes off; battery and storage overlays are facts about the
 * hardware and persist through off. `cancelWindow` holds only in `recording`: the first
 * `signalCancelSeconds` of a recording a trigger-bus signal started, when a record press cancels it
 * (the machine drops it on leaving `recording`).
 */
export const OVERLAYS = [
  'lowBattery', 'batteryEmpty', 'storageLow', 'storageFull', 'storageFail', 'muted', 'streaming', 'stealth', 'cancelWindow',
] as const;
/** One overlay flag. */
export type Overlay = (typeof OVERLAYS)[number];

/** Where `stopping` goes once the host reports the recording final. */
export type AfterStopping = 'standby' | 'off' | 'docked';

/** Configuration the guards read; fixed for a device's life (from the profile). */
export interface MachinePolicy {
  /** Stealth (LEDs dark, no beeps) may be switched on. Default false (contract §5). */
  readonly allowStealth: boolean;
  /** A coordinator's stream request in standby starts a recording (contract §7). */
  readonly streamStartsRecording: boolean;
}

/** The whole state of the machine: a plain, immutable value. */
export interface MachineState {
  readonly mode: DeviceMode;
  /** Active overlays, always in {@link OVERLAYS} order, without duplicates. */
  readonly overlays: readonly Overlay[];
  /** Only meaningful in `stopping`: the mode to enter when the recording is final. */
  readonly afterStopping: AfterStopping;
  readonly policy: MachinePolicy;
}

/** Every machine event type, in table order. */
export const MACHINE_EVENT_TYPES = [
  'power-hold', 'boot-complete', 'record-start', 'record-hold', 'marker', 'recording-finalized',
  'battery-normal', 'battery-low', 'battery-empty',
  'storage-normal', 'storage-low', 'storage-full', 'storage-fail', 'storage-repaired',
  'power-cut', 'dock', 'undock', 'stream-start', 'stream-stop', 'mute-toggle', 'stealth-toggle',
  'max-duration', 'end-of-fixture', 'signal', 'group-cancel', 'cancel-window-end',
] as const;
/** A machine event type. */
export type MachineEventType = (typeof MACHINE_EVENT_TYPES)[number];

/** A machine event: what the gesture layer, the timers, the models and the host feed the table. */
export type MachineEvent =
  | { readonly type: 'record-start'; readonly source: TriggerSource }
  /** A signal on the trigger bus: this camera's own sensor, or another camera's of its group. */
  | { readonly type: 'signal'; readonly trigger: SignalTrigger }
  | { readonly type: Exclude<MachineEventType, 'record-start' | 'signal'> };

/** Feedback cues; their beep/vibration patterns are in `feedback.ts`. */
export const FEEDBACK_CUES = [
  'recording-start', 'recording-stop', 'recording-reminder', 'marker', 'battery-low', 'storage-full', 'fault',
  'power-on', 'ready', 'power-off', 'toggle',
] as const;
/** A feedback cue. */
export type FeedbackCue = (typeof FEEDBACK_CUES)[number];

/**
 * What a transition asks the device to do, in order. `streaming` and `muted` are derived from the
 * overlay change (they are never written in table rows).
 */
export type Effect =
  | { readonly kind: 'start-recording'; readonly source: TriggerSource; readonly signal?: SignalTrigger }
  | { readonly kind: 'stop-recording'; readonly reason: StopReason }
  | { readonly kind: 'split-recording' }
  | { readonly kind: 'add-marker' }
  | { readonly kind: 'clear-buffer' }
  | { readonly kind: 'power-cut' }
  | { readonly kind: 'feedback'; readonly cue: FeedbackCue }
  | { readonly kind: 'streaming'; readonly on: boolean }
  | { readonly kind: 'muted'; readonly on: boolean };

/**
 * An effect as a table row writes it. `start-recording` without a `source` takes the event's
 * source (a `record-start` event carries one).
 */
export type EffectSpec =
  | Exclude<Effect, { kind: 'start-recording' | 'streaming' | 'muted' }>
  | { readonly kind: 'start-recording'; readonly source?: TriggerSource };

/**
 * True for a mode in which the sensor feeds the pre-record buffer. `fault` (a storage failure)
 * keeps buffering: the sensor and RAM still work, so the pre-roll is whole once storage recovers.
 */
export function isBufferingMode(mode: DeviceMode): boolean {
  return mode === 'standby' || mode === 'recording' || mode === 'stopping' || mode === 'fault';
}
