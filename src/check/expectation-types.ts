/**
 * The expectation language of `bodycam check` (contract §3 `expect`, extended): each assertion a
 * scenario's `expect` list holds, normalised to integer microseconds. One `expect[i]` object may
 * yield several assertions (a recording object with several properties); each keeps the JSON
 * place it came from, so messages and JUnit test names point back into the file.
 */
import type { DeviceMode } from '../device/index.js';
import type { ContractStopReason, DeviceEventMap, DeviceEventType, FaultCode, FrameDropReason, LedColor, LedName, StopDetail, TriggerSource } from '../events/index.js';
import type { PreRollLimit } from '../recorder/index.js';

/** A gesture name as `gesture` events log it. */
export type GestureName = DeviceEventMap['gesture']['gesture'];

/** A time property of a recording, compared in µs within a tolerance. */
export type RecordingTimeField = 'preRoll' | 'firstFrame' | 'lastFrame' | 'trigger' | 'stop' | 'audioStart' | 'audioEnd';

/** The recording time fields, as the keys `<field>Seconds` and `<field>Us` name them. */
export const RECORDING_TIME_FIELDS: readonly RecordingTimeField[] = ['preRoll', 'firstFrame', 'lastFrame', 'trigger', 'stop', 'audioStart', 'audioEnd'];

/** Which occurrences of an anchor event an assertion applies to: one (1-based) or every one. */
export type Occurrence = number | 'every';

/** An instant in the log an LED window starts from: the matching events, by kind. */
export type Anchor =
  | { readonly kind: 'gesture'; readonly gesture: GestureName; readonly occurrence: Occurrence }
  | { readonly kind: 'press' | 'release'; readonly button: string; readonly occurrence: Occurrence }
  | { readonly kind: 'signal'; readonly signal: string; readonly occurrence: Occurrence }
  | { readonly kind: 'state'; readonly state: DeviceMode; readonly occurrence: Occurrence }
  | { readonly kind: 'event'; readonly type: DeviceEventType; readonly occurrence: Occurrence };

/** What an LED must show: a colour, and optionally solid (true) or blinking (false). */
export interface LedLook {
  readonly led: LedName;
  readonly color: LedColor;
  readonly solid: boolean | null;
}

/** One normalised assertion. */
export type AssertionSpec =
  | { readonly kind: 'recording-count'; readonly count: number }
  | {
    readonly kind: 'recording-time'; readonly recording: number; readonly field: RecordingTimeField;
    readonly expectedUs: number; readonly toleranceUs: number; readonly unit: 'seconds' | 'us';
  }
  | { readonly kind: 'recording-frames'; readonly recording: number; readonly frames: number }
  | { readonly kind: 'recording-stop-reason'; readonly recording: number; readonly reason: ContractStopReason }
  | { readonly kind: 'recording-stop-detail'; readonly recording: number; /** null: no detail (the firmware's reason is the contract's) */ readonly detail: StopDetail | null }
  | { readonly kind: 'recording-limited-by'; readonly recording: number; readonly limitedBy: PreRollLimit }
  | { readonly kind: 'recording-trigger-source'; readonly recording: number; readonly source: TriggerSource }
  | { readonly kind: 'recording-complete'; readonly recording: number; readonly complete: boolean }
  | { readonly kind: 'recording-markers'; readonly recording: number; readonly markersUs: readonly number[]; readonly toleranceUs: number; readonly unit: 'seconds' | 'us' }
  /** `toleranceUs` null: one sample period of the recording's audio. */
  | { readonly kind: 'recording-av-match'; readonly recording: number; readonly toleranceUs: number | null }
  | { readonly kind: 'led-at'; readonly look: LedLook; readonly atUs: number }
  | { readonly kind: 'led-window'; readonly look: LedLook; readonly from: Anchor | { readonly kind: 'time'; readonly atUs: number }; readonly withinUs: number }
  | { readonly kind: 'led-during'; readonly look: LedLook; readonly recording: number }
  | { readonly kind: 'state-at'; readonly state: DeviceMode; readonly atUs: number }
  /** Every occurrence of the gesture recognised within `withinUs` of its press (null: no latency bound), at least one. */
  | { readonly kind: 'gesture-latency'; readonly gesture: GestureName; readonly withinUs: number | null }
  | { readonly kind: 'gesture-count'; readonly gesture: GestureName; readonly count: number }
  | { readonly kind: 'frame-drops'; readonly count: number; readonly reason: FrameDropReason | null }
  | { readonly kind: 'faults'; readonly count: number; readonly code: FaultCode | null };

/** An assertion with the place in the scenario it came from. */
export interface Expectation {
  /** JSON place in the scenario: `expect[1]`, or `expect[1].preRollSeconds` for one property of an object. */
  readonly place: string;
  /** Index in the scenario's `expect` list. */
  readonly index: number;
  readonly spec: AssertionSpec;
}

/** A measured value, as the result carries it for tools (µs for times). */
export type MeasuredValue = number | string | boolean | null | readonly number[];

/** The outcome of one assertion, with what was measured. */
export interface AssertionResult {
  readonly place: string;
  /** What the assertion says, in words: `recording 1 pre-roll is 30.000000 s ± 0.034000 s`. */
  readonly description: string;
  readonly passed: boolean;
  /** The expected value, in words. */
  readonly expected: string;
  /** The measured value, in words: `29.984008 s`. */
  readonly measured: string;
  /** The measured value as data (µs for times; null when there was nothing to measure). */
  readonly measuredValue: MeasuredValue;
  /** In a team scenario: the camera an assertion scoped with `"device"` is about. */
  readonly device?: string;
  /** In a team scenario: the cameras a cross-device (`"devices"`) assertion covered. */
  readonly devices?: readonly string[];
}
