/**
 * The device log's vocabulary (contract §6, `events.jsonl`): one typed map from event type to its
 * fields, in the manner of hls.js's events.ts. Every module that logs uses these types, so a line in
 * events.jsonl always has the shape documented here.
 */

/** LED names: `record` faces the person filmed; `status` faces the officer. */
export type LedName = 'record' | 'status';
/** LED colours; "off" when dark. */
export type LedColor = 'off' | 'red' | 'green' | 'amber' | 'blue';
/** A physical button. */
export type ButtonName = 'record' | 'power' | 'mute' | 'stream';
/** An automatic trigger from outside the device. */
export type SignalName = 'holster' | 'remote';
/** The contract's stop reasons (§6): the only values outputs carry. */
export const CONTRACT_STOP_REASONS = ['button', 'battery', 'storage', 'power-cut', 'max-duration', 'end-of-fixture'] as const;
/** Why a recording stopped, as the contract lists it (§6): the only values outputs carry. */
export type ContractStopReason = (typeof CONTRACT_STOP_REASONS)[number];
/** The finer reasons a stop's `detail` names where the firmware's reason is not the contract's. */
export const STOP_DETAILS = ['write-failure', 'dock', 'stream'] as const;
/** A stop's finer reason (see {@link STOP_DETAILS}). */
export type StopDetail = (typeof STOP_DETAILS)[number];
/**
 * Why the firmware stopped a recording: the contract's reasons plus the device's own finer ones
 * (`fault`: a storage write failure; `dock`: put in its dock while recording; `split`; `stream`).
 * Outputs carry a {@link ContractStopReason} with a `detail` ({@link contractStop}).
 */
export type StopReason = ContractStopReason | 'split' | 'fault' | 'stream' | 'dock';

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
    default:
      return { reason };
  }
}
/** What started a recording: a button gesture, a signal, or a coordinator's stream request. */
export type TriggerSource = 'button' | 'double-press' | SignalName | 'stream' | 'split';
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
    gesture:
      | 'record-press' | 'record-double-press' | 'record-hold' | 'marker' | 'power-hold' | 'mute-toggle' | 'stealth-hold'
      | 'stream-press' | 'bounce';
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
  'recording.start': { id: string; firstFrameUs: number | null; triggerUs: number; source: TriggerSource };
  /** `reason` is the contract's; `detail` names the firmware's finer reason where it differs (dock, write-failure, ...). */
  'recording.stop': { id: string; reason: ContractStopReason; detail?: string; lastFrameUs: number | null; frames: number };
  /** A recording's file is final (after the drain and the Cues), with its size. */
  'recording.finalized': { id: string; bytes: number; complete: boolean };
  'recording.marker': { id: string; markerUs: number };
  /**
   * Frames captured from a recording's first frame up to its stop that its file does not hold
   * (contract §12), logged when the recording closes; the manifest's `lost` says the same.
   */
  'recording.lost': { id: string; frames: number; fromUs: number; toUs: number; reason: string; byReason: Readonly<Record<string, number>> };
  /** A video frame (or, with `kind: "audio"`, an audio chunk at `frameUs`) that was lost, and why. */
  'frame.drop': { frameUs: number; reason: FrameDropReason; kind?: 'audio'; detail?: string };
  fault: { code: FaultCode; message: string };
  battery: { percent: number };
  storage: { state: 'ok' | 'low' | 'full' | 'fail'; freeBytes: number };
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
}

/** An event type name. */
export type DeviceEventType = keyof DeviceEventMap;

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
