/**
 * The team part of the expectation language (contract §10 `expect`, extended): assertions scoped
 * to one camera with `"device": ID`, and assertions across cameras (`"devices": ...`), such as
 * "every camera of team-1 started recording within 0.5 s of the holster signal with at least 30 s
 * of pre-roll". Times are integer microseconds.
 */
import type { Expectation } from './expectation-types.js';

/** Which cameras a cross-device assertion covers. */
export type DeviceSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'ids'; readonly ids: readonly string[] };

/** A signal on the trigger bus, by kind, optionally by sender, and which one (1-based, in time order). */
export interface SignalAnchor {
  readonly signal: string;
  /** The sending camera, or null for any. */
  readonly device: string | null;
  readonly occurrence: number;
}

/** One normalised cross-device assertion. */
export type CrossDeviceSpec =
  /** Each camera started a recording at the signal or up to `withinUs` after it. */
  | { readonly kind: 'devices-started'; readonly selector: DeviceSelector; readonly after: SignalAnchor; readonly withinUs: number }
  /** That recording's pre-roll (`preRoll.actualUs`) is at least `minUs - toleranceUs`. */
  | {
    readonly kind: 'devices-pre-roll'; readonly selector: DeviceSelector; readonly after: SignalAnchor; readonly withinUs: number;
    readonly minUs: number; readonly toleranceUs: number; readonly unit: 'seconds' | 'us';
  }
  /** Each camera made exactly `count` recordings. */
  | { readonly kind: 'devices-recordings'; readonly selector: DeviceSelector; readonly count: number };

/** An assertion of a team scenario about one camera: an ordinary assertion and the camera it is about. */
export interface DeviceExpectation extends Expectation {
  readonly device: string;
}

/** An assertion of a team scenario across cameras. */
export interface CrossDeviceExpectation {
  /** JSON place in the scenario: `expect[3].startedWithin`. */
  readonly place: string;
  readonly index: number;
  readonly spec: CrossDeviceSpec;
}

/** Any assertion of a team scenario. */
export type TeamExpectation = DeviceExpectation | CrossDeviceExpectation;

/** True for an assertion scoped to one camera. */
export function isDeviceExpectation(expectation: TeamExpectation): expectation is DeviceExpectation {
  return 'device' in expectation;
}

/** The cameras of a team scenario, as parsing needs them to check ids and groups. */
export interface TeamRoster {
  readonly devices: readonly { readonly id: string; readonly group: string | null }[];
}
