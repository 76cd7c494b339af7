/**
 * The device state machine as data. `transition` reads it; the state diagram is generated from it;
 * a test walks every (mode, event) pair against it. Rows are tried in order: the first row whose
 * `from` holds the mode, whose `event` matches and whose guard holds wins. Every (mode, event) pair
 * ends with an unguarded row, so every pair has a declared outcome — a move or an explicit ignore.
 */
import type { StopReason } from '../events/index.js';
import type { GuardName } from './guards.js';
import {
  type AfterStopping, DEVICE_MODES, type DeviceMode, type EffectSpec, type FeedbackCue, type MachineEventType, type Overlay,
} from './machine-types.js';

interface RowBase {
  readonly from: readonly DeviceMode[];
  readonly event: MachineEventType;
  readonly guard?: GuardName;
}

/** A row that moves the machine (possibly to the same mode, changing overlays or acting). */
export interface MoveRow extends RowBase {
  /** The next mode; `same` keeps the mode. */
  readonly to: DeviceMode | 'same';
  readonly set?: readonly Overlay[];
  readonly clear?: readonly Overlay[];
  /** Sets where `stopping` goes next. */
  readonly afterStopping?: AfterStopping;
  readonly effects?: readonly EffectSpec[];
}

/** A row that leaves the state as it is, with the reason logged; `effects` may only give feedback (a refusal). */
export interface IgnoreRow extends RowBase {
  readonly ignore: string;
  readonly effects?: readonly Extract<EffectSpec, { kind: 'feedback' }>[];
}

/** One row of the table. */
export type TableRow = MoveRow | IgnoreRow;

/** True for an {@link IgnoreRow}. */
export function isIgnoreRow(row: TableRow): row is IgnoreRow {
  return 'ignore' in row;
}

const ALL = DEVICE_MODES;
const except = (...modes: DeviceMode[]): DeviceMode[] => DEVICE_MODES.filter((mode) => !modes.includes(mode));
const feedback = (cue: FeedbackCue): { kind: 'feedback'; cue: FeedbackCue } => ({ kind: 'feedback', cue });
const stop = (reason: StopReason): EffectSpec => ({ kind: 'stop-recording', reason });
/** Overlays that do not survive power off. */
const SESSION_OVERLAYS: readonly Overlay[] = ['muted', 'stealth', 'streaming'];
const NOT_RECORDING = 'not recording';

/** The table. */
export const TRANSITION_TABLE: readonly TableRow[] = [
  // power button held powerHoldSeconds
  { from: ['off'], event: 'power-hold', guard: 'batteryEmpty', ignore: 'battery empty: dock to charge' },
  { from: ['off'], event: 'power-hold', to: 'booting', effects: [feedback('power-on')] },
  { from: ['booting', 'standby', 'fault'], event: 'power-hold', to: 'off', clear: SESSION_OVERLAYS, effects: [{ kind: 'clear-buffer' }, feedback('power-off')] },
  { from: ['recording'], event: 'power-hold', to: 'stopping', afterStopping: 'off', clear: ['streaming'], effects: [stop('button'), feedback('recording-stop')] },
  { from: ['stopping'], event: 'power-hold', to: 'same', afterStopping: 'off' },
  { from: ['docked'], event: 'power-hold', ignore: 'docked: the dock keeps the device on; undock first' },

  { from: ['booting'], event: 'boot-complete', guard: 'storageFailed', to: 'fault', effects: [feedback('fault')] },
  { from: ['booting'], event: 'boot-complete', to: 'standby', effects: [feedback('ready')] },
  { from: except('booting'), event: 'boot-complete', ignore: 'not booting (stale boot timer)' },

  // start: record press / double-press, holster or remote signal
  { from: ['standby'], event: 'record-start', guard: 'storageUnavailable', ignore: 'storage full or failed: refusing to record', effects: [feedback('storage-full')] },
  { from: ['standby'], event: 'record-start', to: 'recording', effects: [{ kind: 'start-recording' }, feedback('recording-start')] },
  { from: ['recording'], event: 'record-start', ignore: 'already recording' },
  { from: ['off'], event: 'record-start', ignore: 'device is off' },
  { from: ['booting'], event: 'record-start', ignore: 'booting: not ready yet' },
  { from: ['stopping'], event: 'record-start', ignore: 'finalizing the previous recording' },
  { from: ['docked'], event: 'record-start', ignore: 'docked: no recording in the dock' },
  { from: ['fault'], event: 'record-start', ignore: 'fault: storage unusable' },

  // stop: record held stopHoldSeconds
  { from: ['recording'], event: 'record-hold', to: 'stopping', afterStopping: 'standby', clear: ['streaming'], effects: [stop('button'), feedback('recording-stop')] },
  { from: except('recording'), event: 'record-hold', ignore: NOT_RECORDING },

  // a short record press inside the cancel window of a signal-started recording cancels it (a false trigger)
  { from: ['recording'], event: 'marker', guard: 'cancelWindow', to: 'stopping', afterStopping: 'standby', clear: ['cancelWindow', 'streaming'], effects: [stop('cancel'), feedback('recording-stop')] },
  { from: ['recording'], event: 'marker', to: 'same', effects: [{ kind: 'add-marker' }, feedback('marker')] },
  { from: except('recording'), event: 'marker', ignore: 'no recording to mark' },

  // the host reports the stopped recording's file final
  { from: ['stopping'], event: 'recording-finalized', guard: 'afterStoppingOff', to: 'off', clear: SESSION_OVERLAYS, effects: [{ kind: 'clear-buffer' }, feedback('power-off')] },
  { from: ['stopping'], event: 'recording-finalized', guard: 'afterStoppingDocked', to: 'docked', effects: [{ kind: 'clear-buffer' }] },
  { from: ['stopping'], event: 'recording-finalized', to: 'standby' },
  { from: except('stopping'), event: 'recording-finalized', ignore: 'no stopped recording awaits finalizing' },

  // battery model
  { from: ALL, event: 'battery-normal', to: 'same', clear: ['lowBattery', 'batteryEmpty'] },
  { from: ALL, event: 'battery-low', to: 'same', set: ['lowBattery'], clear: ['batteryEmpty'] },
  { from: ['recording'], event: 'battery-empty', to: 'stopping', afterStopping: 'off', set: ['lowBattery', 'batteryEmpty'], clear: ['streaming'], effects: [stop('battery'), feedback('recording-stop')] },
  { from: ['stopping'], event: 'battery-empty', guard: 'afterStoppingDocked', to: 'same', set: ['lowBattery', 'batteryEmpty'] },
  { from: ['stopping'], event: 'battery-empty', to: 'same', afterStopping: 'off', set: ['lowBattery', 'batteryEmpty'] },
  { from: ['booting', 'standby', 'fault'], event: 'battery-empty', to: 'off', set: ['lowBattery', 'batteryEmpty'], clear: SESSION_OVERLAYS, effects: [{ kind: 'clear-buffer' }] },
  { from: ['off', 'docked'], event: 'battery-empty', to: 'same', set: ['lowBattery', 'batteryEmpty'] },

  // storage model
  { from: ALL, event: 'storage-normal', to: 'same', clear: ['storageLow', 'storageFull'] },
  { from: ALL, event: 'storage-low', to: 'same', set: ['storageLow'], clear: ['storageFull'] },
  { from: ['recording'], event: 'storage-full', to: 'stopping', afterStopping: 'standby', set: ['storageFull'], clear: ['storageLow', 'streaming'], effects: [stop('storage'), feedback('recording-stop'), feedback('storage-full')] },
  { from: ['off'], event: 'storage-full', to: 'same', set: ['storageFull'], clear: ['storageLow'] },
  { from: except('recording', 'off'), event: 'storage-full', to: 'same', set: ['storageFull'], clear: ['storageLow'], effects: [feedback('storage-full')] },
  { from: ['recording'], event: 'storage-fail', to: 'fault', set: ['storageFail'], clear: ['streaming'], effects: [stop('fault'), feedback('fault')] },
  { from: ['standby', 'stopping'], event: 'storage-fail', to: 'fault', set: ['storageFail'], effects: [feedback('fault')] },
  { from: ['off', 'booting', 'docked', 'fault'], event: 'storage-fail', to: 'same', set: ['storageFail'] },
  { from: ['fault'], event: 'storage-repaired', to: 'standby', clear: ['storageFail'], effects: [feedback('ready')] },
  { from: except('fault'), event: 'storage-repaired', to: 'same', clear: ['storageFail'] },

  // sudden loss of power: nothing is finalized
  { from: ['off'], event: 'power-cut', ignore: 'already off' },
  { from: except('off'), event: 'power-cut', to: 'off', clear: SESSION_OVERLAYS, effects: [{ kind: 'power-cut' }, { kind: 'clear-buffer' }] },

  // dock (charging and offload, no buffering)
  { from: ['off', 'booting', 'standby', 'fault'], event: 'dock', to: 'docked', clear: ['streaming'], effects: [{ kind: 'clear-buffer' }] },
  { from: ['recording'], event: 'dock', to: 'stopping', afterStopping: 'docked', clear: ['streaming'], effects: [stop('dock'), feedback('recording-stop')] },
  { from: ['stopping'], event: 'dock', to: 'same', afterStopping: 'docked' },
  { from: ['docked'], event: 'dock', ignore: 'already docked' },
  { from: ['docked'], event: 'undock', guard: 'batteryEmpty', to: 'off', clear: SESSION_OVERLAYS },
  { from: ['docked'], event: 'undock', guard: 'storageFailed', to: 'fault', effects: [feedback('fault')] },
  { from: ['docked'], event: 'undock', to: 'standby', effects: [feedback('ready')] },
  { from: ['stopping'], event: 'undock', guard: 'afterStoppingDocked', to: 'same', afterStopping: 'standby' },
  { from: except('docked'), event: 'undock', ignore: 'not docked' },

  // live stream (a stream runs only while recording)
  { from: ['recording'], event: 'stream-start', guard: 'streaming', ignore: 'already streaming' },
  { from: ['recording'], event: 'stream-start', to: 'same', set: ['streaming'] },
  { from: ['standby'], event: 'stream-start', guard: 'streamDoesNotRecord', ignore: 'a stream runs only while recording, and streamStartsRecording is false' },
  { from: ['standby'], event: 'stream-start', guard: 'storageUnavailable', ignore: 'storage full or failed: refusing to record', effects: [feedback('storage-full')] },
  { from: ['standby'], event: 'stream-start', to: 'recording', set: ['streaming'], effects: [{ kind: 'start-recording', source: 'stream' }, feedback('recording-start')] },
  { from: except('recording', 'standby'), event: 'stream-start', ignore: 'a stream runs only while recording' },
  { from: ['recording'], event: 'stream-stop', guard: 'streaming', to: 'same', clear: ['streaming'] },
  { from: ALL, event: 'stream-stop', ignore: 'not streaming' },

  // mute (microphone) and stealth (LEDs dark, beeps off; only where policy allows)
  { from: ['off'], event: 'mute-toggle', ignore: 'device is off' },
  { from: except('off'), event: 'mute-toggle', guard: 'muted', to: 'same', clear: ['muted'], effects: [feedback('toggle')] },
  { from: except('off'), event: 'mute-toggle', to: 'same', set: ['muted'], effects: [feedback('toggle')] },
  { from: ['off'], event: 'stealth-toggle', ignore: 'device is off' },
  { from: except('off'), event: 'stealth-toggle', guard: 'stealthNotAllowed', ignore: 'allowStealth is false: the person filmed must see the record LED' },
  { from: except('off'), event: 'stealth-toggle', guard: 'stealthOn', to: 'same', clear: ['stealth'], effects: [feedback('toggle')] },
  { from: except('off'), event: 'stealth-toggle', to: 'same', set: ['stealth'], effects: [feedback('toggle')] },

  // long recordings: close this file and continue seamlessly in a new one
  { from: ['recording'], event: 'max-duration', to: 'same', effects: [{ kind: 'split-recording' }] },
  { from: except('recording'), event: 'max-duration', ignore: 'not recording (stale split timer)' },

  // the trigger bus (contract §10, docs/device.md "Trigger bus"): a signal from this camera's own
  // sensor or another camera's of its group; asleep or booting it is ignored (Axon Signal)
  { from: ['standby'], event: 'signal', guard: 'storageUnavailable', ignore: 'storage full or failed: refusing to record', effects: [feedback('storage-full')] },
  { from: ['standby'], event: 'signal', to: 'recording', set: ['cancelWindow'], effects: [{ kind: 'start-recording' }, feedback('recording-start')] },
  { from: ['recording'], event: 'signal', to: 'same', effects: [{ kind: 'add-marker' }, feedback('marker')] },
  { from: ['off'], event: 'signal', ignore: 'device is off: signals are ignored while the camera sleeps' },
  { from: ['booting'], event: 'signal', ignore: 'booting: signals are ignored until standby' },
  { from: ['stopping'], event: 'signal', ignore: 'finalizing the previous recording' },
  { from: ['docked'], event: 'signal', ignore: 'docked: no recording in the dock' },
  { from: ['fault'], event: 'signal', ignore: 'fault: storage unusable' },
  // the sender cancelled the signal that started this recording (WatchGuard: a group-started recording can be stopped within 10 s)
  { from: ['recording'], event: 'group-cancel', guard: 'cancelWindow', to: 'stopping', afterStopping: 'standby', clear: ['cancelWindow', 'streaming'], effects: [stop('cancel'), feedback('recording-stop')] },
  { from: ['recording'], event: 'group-cancel', ignore: 'the cancel window has closed: only this camera\'s officer stops it' },
  { from: except('recording'), event: 'group-cancel', ignore: NOT_RECORDING },
  { from: ALL, event: 'cancel-window-end', to: 'same', clear: ['cancelWindow'] },

  // the fixture ran out: stop cleanly (no feedback: the officer did not stop it)
  { from: ['recording'], event: 'end-of-fixture', to: 'stopping', afterStopping: 'standby', clear: ['streaming'], effects: [stop('end-of-fixture')] },
  { from: except('recording'), event: 'end-of-fixture', ignore: NOT_RECORDING },
];
