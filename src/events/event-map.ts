/**
 * The device log's vocabulary (contract §6, `events.jsonl`): one typed map from event type to its
 * fields, in the manner of hls.js's events.ts. Every module that logs uses these types, so a line in
 * events.jsonl always has the shape documented here.
 */

/*
 * The vocabulary is written once, as const arrays: the types below, the zod enums of scenarios and
 * expectations, and the device's input checks all derive from these lists.
 */

/** LED names: `record` faces the person filmed; `status` faces the officer. */
export const LED_NAMES = ['record', 'status'] as const;
/** An LED's name (see {@link LED_NAMES}). */
export type LedName = (typeof LED_NAMES)[number];
/** LED colours; "off" when dark. */
export const LED_COLORS = ['off', 'red', 'green', 'amber', 'blue'] as const;
/** An LED's colour (see {@link LED_COLORS}). */
export type LedColor = (typeof LED_COLORS)[number];
/** The physical buttons, in the order the gesture recogniser serves them. */
export const BUTTONS = ['record', 'power', 'mute', 'stream'] as const;
/** A physical button. */
export type ButtonName = (typeof BUTTONS)[number];
/**
 * The automatic triggers from outside the device: a holster or TASER sensor, a vehicle's light
 * bar, a remote, a gunshot detector (contract §10). In a team they also go out on the trigger bus.
 */
export const SIGNALS = ['holster', 'remote', 'taser', 'lightbar', 'gunshot'] as const;
/** An automatic trigger from outside the device. */
export type SignalName = (typeof SIGNALS)[number];
/** What a scenario's `storage` input says the card does. */
export const STORAGE_INPUTS = ['full', 'fail', 'ok'] as const;
/** A scenario's storage input (see {@link STORAGE_INPUTS}). */
export type StorageInput = (typeof STORAGE_INPUTS)[number];
/** The storage states the device reports (`storage` events). */
export const STORAGE_STATES = ['ok', 'low', 'full', 'fail'] as const;
/** A reported storage state (see {@link STORAGE_STATES}). */
export type StorageState = (typeof STORAGE_STATES)[number];
/** The gestures the firmware recognises from raw presses. */
export const GESTURES = [
  'record-press', 'record-double-press', 'record-hold', 'marker', 'power-hold', 'mute-toggle', 'stealth-hold', 'stream-press', 'bounce',
] as const;
/** A recognised gesture (see {@link GESTURES}). */
export type GestureName = (typeof GESTURES)[number];
/** The contract's stop reasons (§6): the only values outputs carry. */
export const CONTRACT_STOP_REASONS = ['button', 'battery', 'storage', 'power-cut', 'max-duration', 'end-of-fixture'] as const;
/** Why a recording stopped, as the contract lists it (§6): the only values outputs carry. */
export type ContractStopReason = (typeof CONTRACT_STOP_REASONS)[number];
/** The finer reasons a stop's `detail` names where the firmware's reason is not the contract's. */
export const STOP_DETAILS = ['write-failure', 'dock', 'stream', 'cancelled'] as const;
/** A stop's finer reason (see {@link STOP_DETAILS}). */
export type StopDetail = (typeof STOP_DETAILS)[number];
/**
 * Why the firmware stopped a recording: the contract's reasons plus the device's own finer ones
 * (`fault`: a storage write failure; `dock`: put in its dock while recording; `split`; `stream`).
 * Outputs carry a {@link ContractStopReason} with a `detail` ({@link contractStop}).
 */
export type StopReason = ContractStopReason | 'split' | 'fault' | 'stream' | 'dock' | 'cancel';

/** The contract's stop reason for a firmware stop reason, and the finer detail when they differ. */
export function contractStop(reason: StopReason): { reason: ContractStopReason; detail?: StopDetail } {
  switch (reason) {
    case 'fault':
      return { reason: 'storage', detail: 'write-failure' };
    case 'dock':
      return { reason: 'button', detail: 'dock' };
    case 'split':
      return { reason: 'max-duration' };
    case 'stream':
      return { reason: 'button', detail: 'stream' };
    case 'cancel':
      return { reason: 'button', detail: 'cancelled' };
    default:
      return { reason };
  }
}
/**
 * What can start a recording: a button gesture, a signal (a single camera names its kind; in a
 * team every signal-started recording says `signal`, with the kind and sender beside it), a
 * coordinator's stream request, a split.
 */
export const TRIGGER_SOURCES = ['button', 'double-press', ...SIGNALS, 'signal', 'stream', 'split'] as const;
/** What started a recording (see {@link TRIGGER_SOURCES}). */
export type TriggerSource = (typeof TRIGGER_SOURCES)[number];
/** Every reason a frame can be dropped for. */
export const FRAME_DROP_REASONS = [
  'corrupt', 'size-mismatch', 'buffer-overflow', 'too-large', 'no-keyframe', 'storage-full', 'storage-fail', 'encode-failed', 'too-close',
] as const;
/** Why a frame did not reach the buffer or a recording. */
export type FrameDropReason = (typeof FRAME_DROP_REASONS)[number];
/** The codes of `fault` events: storage reporting errors, a write that failed, a live-mode error. */
export const FAULT_CODES = ['storage-fail', 'storage-write-failed', 'live-error'] as const;
/** The code of a `fault` event. */
export type FaultCode = (typeof FAULT_CODES)[number];
/** What goes over a team's trigger bus: a signal, or the cancel of a false one (docs/device.md, "Trigger bus"). */
export const BUS_MESSAGES = [...SIGNALS, 'cancel'] as const;
/** One message on the trigger bus (see {@link BUS_MESSAGES}). */
export type BusMessage = (typeof BUS_MESSAGES)[number];
/** A signal-started recording's trigger detail: the signal's kind and the camera whose sensor sent it. */
export interface SignalTrigger {
  readonly signal: SignalName;
  /** The device id of the sending camera (the recording's own id when its own sensor fired). */
  readonly sender: string;
}

/** Fields of each event type, by type. `t` and `type` are added by {@link DeviceEvent}. */
export interface DeviceEventMap {
  /** A raw input as the scenario gave it. */
  input: {
    kind: 'press' | 'release' | 'signal' | 'battery' | 'storage' | 'power' | 'dock' | 'stream';
    button?: ButtonName;
    signal?: SignalName;
    value?: string | number | boolean;
  };
  /** A gesture the firmware recognised from raw presses. */
  gesture: {
    gesture: GestureName;
    button: ButtonName;
    /** When the press went down; `t` is when the gesture was recognised. */
    downUs: number;
  };
  /** A state-machine transition. */
  state: { from: string; to: string; cause: string };
  /** A state-machine event the current state does not act on (or refuses), with the table's reason. */
  ignored: { event: string; state: string; reason: string };
  /** An overlay flag (low battery, muted, streaming, storage low) changed. */
  overlay: { overlay: string; on: boolean };
  /** An LED changed. Solid is `offMs: 0`; dark is `color: "off"`. */
  led: { led: LedName; color: LedColor; onMs: number; offMs: number };
  /** Audible or haptic feedback to the officer. */
  feedback: { kind: 'beep' | 'long-beep' | 'vibrate'; count: number; why: string };
  /**
   * `firstFrameUs` is the pre-roll's first frame, or null when the buffer held no frame for it
   * (a pre-record window of 0, a split): the first frame then comes after `triggerUs` and the
   * manifest names it.
   */
  'recording.start': { id: string; firstFrameUs: number | null; triggerUs: number; source: TriggerSource; signal?: SignalName; sender?: string };
  /** `reason` is the contract's; `detail` names the firmware's finer reason where it differs (dock, write-failure, ...). */
  'recording.stop': { id: string; reason: ContractStopReason; detail?: string; lastFrameUs: number | null; frames: number };
  /** A recording's file is final (after the drain and the Cues), with its size. */
  'recording.finalized': { id: string; bytes: number; complete: boolean };
  'recording.marker': { id: string; markerUs: number };
  /**
   * Frames captured from a recording's first frame up to its stop that its file does not hold
   * (contract §12), logged when the recording closes; the manifest's `lost` says the same.
   */
  'recording.lost': {
    id: string; frames: number; fromUs: number; toUs: number; reason: string; byReason: Readonly<Record<string, number>>;
    /** Audio samples lost, present only when some were (the manifest's `lost.audio`). */
    audio?: { samples: number; fromUs: number; toUs: number; byReason: Readonly<Record<string, number>> };
  };
  /** A video frame (or, with `kind: "audio"`, an audio chunk at `frameUs`) that was lost, and why. */
  'frame.drop': { frameUs: number; reason: FrameDropReason; kind?: 'audio'; detail?: string };
  fault: { code: FaultCode; message: string };
  battery: { percent: number };
  storage: { state: StorageState; freeBytes: number };
  /** Buffer statistics, logged on every trigger and at the end of a run. */
  'buffer.stats': {
    occupancyBytes: number;
    occupancyUs: number;
    highWaterBytes: number;
    evictions: number;
    drops: number;
    entries: number;
  };
  stream: { state: 'started' | 'stopped'; reason: string };
  /**
   * This camera put a message on its team's trigger bus (its own sensor fired, or it cancelled a
   * false signal it sent): the group, the latency and who will receive it.
   */
  'bus.send': {
    message: BusMessage; sender: string; group: string | null; latencyUs: number; receivers: string[];
    /** For a `cancel`: when the cancelled signal was sent. */
    signalSentUs?: number;
  };
  /** A message from another camera's sensor arrived over the bus, `latencyUs` after it was sent at `sentUs`. */
  'bus.receive': { message: BusMessage; sender: string; sentUs: number; latencyUs: number };
}

/** An event type name. */
export type DeviceEventType = keyof DeviceEventMap;

/** Every event type, in the order docs/device.md lists them. */
export const EVENT_TYPES = [
  'input', 'gesture', 'state', 'ignored', 'overlay', 'led', 'feedback', 'recording.start', 'recording.stop', 'recording.finalized',
  'recording.marker', 'recording.lost', 'frame.drop', 'fault', 'battery', 'storage', 'buffer.stats', 'stream', 'bus.send', 'bus.receive',
] as const satisfies readonly DeviceEventType[];
// Fails to compile when the map has a type the list lacks.
const everyEventTypeListed: Exclude<DeviceEventType, (typeof EVENT_TYPES)[number]> extends never ? true : never = true;
void everyEventTypeListed;

/** One line of events.jsonl: fixture time `t` (µs), the `type`, then that type's fields. */
export type DeviceEvent = {
  [K in DeviceEventType]: { t: number; type: K } & DeviceEventMap[K];
}[DeviceEventType];

/** The event of one given type. */
export type DeviceEventOf<K extends DeviceEventType> = Extract<DeviceEvent, { type: K }>;

/** Where events go. Logging never throws back into the device. */
export type EventSink = (event: DeviceEvent) => void;

/** Builds a typed event; keeps `t` and `type` first so JSON lines read naturally. */
export function deviceEvent<K extends DeviceEventType>(t: number, type: K, fields: DeviceEventMap[K]): DeviceEventOf<K> {
  return { t, type, ...fields } as unknown as DeviceEventOf<K>;
}

/**
 * The team's bus log (`DIR/bus.jsonl`): every send and every delivery, with its latency, ordered by
 * `t` (the scenario's time, µs). A delivery is logged when it arrives; `dropped` says why one never
 * reached its camera (its input had already ended).
 */
export interface BusEventMap {
  'bus.send': { message: BusMessage; sender: string; group: string | null; latencyUs: number; receivers: string[]; signalSentUs?: number };
  'bus.deliver': { message: BusMessage; sender: string; receiver: string; sentUs: number; latencyUs: number; dropped?: string };
}

/** One line of bus.jsonl. */
export type BusEvent = {
  [K in keyof BusEventMap]: { t: number; type: K } & BusEventMap[K];
}[keyof BusEventMap];
