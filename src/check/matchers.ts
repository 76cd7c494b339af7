/**
 * Test-framework-neutral matchers over a finished run (`await simulate(...).done`, or any
 * `{ events, recordings }`): each builds expectation objects of the scenario language, evaluates
 * them, and answers pass/fail with a message naming what was measured. `src/api/vitest.ts` binds
 * them to vitest's `expect`.
 */
import { describeValue } from '../errors/index.js';
import type { ContractStopReason, DeviceEventMap, FrameDropReason, LedColor, LedName, StopDetail } from '../events/index.js';
import type { PreRollLimit } from '../recorder/index.js';
import { evaluateExpectations } from './evaluate.js';
import type { AssertionResult } from './expectation-types.js';
import { parseExpectations } from './parse-expectations.js';
import type { RunOutcome } from './run-outcome.js';
import { evaluateTeamExpectations } from './evaluate-team.js';
import type { TeamRoster } from './team-expectation-types.js';
import { type TeamOutcome, toTeamOutcome } from './team-outcome.js';
import { parseTeamExpectations } from './parse-team-expectations.js';

/** Which recording (1-based, trigger order; default 1), and in a team run which camera. */
export interface RecordingOption {
  readonly recording?: number;
  /** The camera of a team run (`"device"` in the scenario language); required on a team run. */
  readonly device?: string;
}

/** In a team run: the camera an assertion is about. */
export interface DeviceOption {
  readonly device?: string;
}

/** Which cameras of a team run: every one, a group's, or these ids. */
export type DevicesWhich = 'all' | { readonly group: string } | readonly string[];

/** The window the cameras must start recording in, and the pre-roll that recording must have. */
export interface DevicesStartedOptions {
  /** The bus signal the window opens at (default: its first occurrence, from any camera). */
  readonly after: { readonly signal: string; readonly device?: string; readonly occurrence?: number };
  /** Seconds after the signal the window closes. */
  readonly within: number;
  /** The started recording's pre-roll is at least this many seconds (minus `tolerance`). */
  readonly preRollAtLeast?: number;
  readonly tolerance?: number;
}

/** A recording and a tolerance in seconds (default: exact). */
export interface ToleranceOption extends RecordingOption {
  readonly tolerance?: number;
}

/** When an LED must show a colour: at an instant, within a window after an event or instant, or throughout a recording. */
export type LedWhen =
  | { readonly at: number; readonly within?: number; readonly solid?: boolean }
  | { readonly after: Readonly<Record<string, unknown>>; readonly within?: number; readonly solid?: boolean }
  | { readonly during: { readonly recording: number }; readonly solid?: boolean };

/** The matchers, as vitest sees them on `expect(run)`. */
export interface BodycamMatchers<R = unknown> {
  /** The run (in a team run: the camera `device`) made exactly `count` recordings. */
  toHaveRecordings(count: number, options?: DeviceOption): R;
  /** The recording's pre-roll (`preRoll.actualUs`) is `seconds`, within `tolerance` seconds. */
  toHavePreRoll(seconds: number, options?: ToleranceOption): R;
  /** Why the pre-roll is short (`null`: it is not). */
  toHavePreRollLimitedBy(limitedBy: PreRollLimit, options?: RecordingOption): R;
  /** The recording stopped for the contract's `reason`; `detail` also checks the finer firmware reason (`dock`, `write-failure`, `stream`). */
  toHaveStopReason(reason: ContractStopReason, options?: RecordingOption & { readonly detail?: StopDetail | null }): R;
  /** The recording holds exactly `count` video frames. */
  toHaveFrames(count: number, options?: RecordingOption): R;
  /** The recording's first frame was captured at `seconds` of fixture time, within `tolerance`. */
  toHaveFirstFrameAt(seconds: number, options?: ToleranceOption): R;
  /** The recording's last frame was captured at `seconds` of fixture time, within `tolerance`. */
  toHaveLastFrameAt(seconds: number, options?: ToleranceOption): R;
  /** The recording's markers are at these times (seconds). */
  toHaveMarkers(seconds: readonly number[], options?: ToleranceOption): R;
  /** The recording's audio starts with its first frame and ends at its stop (default: within one sample). */
  toHaveMatchingAudio(options?: ToleranceOption): R;
  /** The LED shows `color` at/within/throughout `when`. */
  toShowLed(led: LedName, color: LedColor, when: LedWhen): R;
  /** The device is in `state` at `atSeconds`. */
  toBeInStateAt(state: string, atSeconds: number): R;
  /** The gesture was recognised (every time within `within` s of its press; or exactly `count` times). */
  toHaveGesture(gesture: DeviceEventMap['gesture']['gesture'], options?: { readonly within?: number; readonly count?: number }): R;
  /** No `frame.drop` event (of any reason, or of `reason`). */
  toHaveNoFrameDrops(reason?: FrameDropReason): R;
  /** Team run: every selected camera started recording within `within` s of the bus signal (and with the pre-roll asked for). */
  toHaveDevicesStarted(devices: DevicesWhich, options: DevicesStartedOptions): R;
  /** Every expectation (scenario `expect` objects) holds. */
  toMeetExpectations(expectations: readonly Readonly<Record<string, unknown>>[]): R;
}

/** A matcher's answer, in the shape vitest and jest use. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
  readonly actual?: unknown;
  readonly expected?: unknown;
}

const rosterOf = (fleet: TeamOutcome): TeamRoster => ({ devices: fleet.devices.map(({ id, group }) => ({ id, group })) });

function isRunOutcome(value: unknown): value is RunOutcome {
  const run = value as Partial<RunOutcome> | null;
  return typeof run === 'object' && run !== null && Array.isArray(run.events) && Array.isArray(run.recordings);
}

/** Evaluates expectation objects against `received` and phrases the answer. */
export function matchExpectations(name: string, received: unknown, raw: readonly Readonly<Record<string, unknown>>[], isNot: boolean): MatcherResult {
  const team = toTeamOutcome(received);
  if (team === null && !isRunOutcome(received)) {
    const hint = typeof received === 'object' && received !== null && 'done' in received ? ' (a Simulation: await its `done` first)' : '';
    return { pass: isNot, message: () => `${name}: expected a finished run ({ events, recordings }, or a team's { devices, signals }; e.g. await simulate().done), got ${describeValue(received)}${hint}` };
  }
  const results = team !== null
    ? evaluateTeamExpectations(parseTeamExpectations(raw, name, rosterOf(team)), team)
    : evaluateExpectations(parseExpectations(raw, name), received as RunOutcome);
  const failed = results.filter((result) => !result.passed);
  const pass = failed.length === 0;
  const line = (result: AssertionResult): string => `${result.description}; measured ${result.measured}`;
  return {
    pass,
    message: () => (isNot
      ? `${name}: expected the run not to meet: ${results.map(line).join('; and ')}`
      : `${name}: expected ${failed.map(line).join('; and ')}`),
    actual: results.map((result) => result.measuredValue),
    expected: results.map((result) => result.expected),
  };
}

const which = (options: RecordingOption | undefined): { recording: number; device?: string } =>
  ({ ...(options?.device === undefined ? {} : { device: options.device }), recording: options?.recording ?? 1 });
const scope = (options: DeviceOption | undefined): { device?: string } => (options?.device === undefined ? {} : { device: options.device });
const tolerance = (options: ToleranceOption | undefined): Record<string, number> => (options?.tolerance === undefined ? {} : { tolerance: options.tolerance });

type Raw = Readonly<Record<string, unknown>>;

/** Each matcher's expectation objects, from its arguments. */
const BUILDERS: Readonly<Record<keyof BodycamMatchers, (...args: never[]) => Raw[]>> = {
  toHaveRecordings: (count: number, options?: DeviceOption) => [{ recordings: count, ...scope(options) }],
  toHavePreRoll: (seconds: number, options?: ToleranceOption) => [{ ...which(options), preRollSeconds: seconds, ...tolerance(options) }],
  toHavePreRollLimitedBy: (limitedBy: PreRollLimit, options?: RecordingOption) => [{ ...which(options), limitedBy }],
  toHaveStopReason: (reason: ContractStopReason, options?: RecordingOption & { readonly detail?: StopDetail | null }) =>
    [{ ...which(options), stopReason: reason, ...(options?.detail === undefined ? {} : { stopDetail: options.detail }) }],
  toHaveFrames: (count: number, options?: RecordingOption) => [{ ...which(options), frames: count }],
  toHaveFirstFrameAt: (seconds: number, options?: ToleranceOption) => [{ ...which(options), firstFrameSeconds: seconds, ...tolerance(options) }],
  toHaveLastFrameAt: (seconds: number, options?: ToleranceOption) => [{ ...which(options), lastFrameSeconds: seconds, ...tolerance(options) }],
  toHaveMarkers: (seconds: readonly number[], options?: ToleranceOption) => [{ ...which(options), markers: seconds, ...tolerance(options) }],
  toHaveMatchingAudio: (options?: ToleranceOption) => [{ ...which(options), audioMatchesVideo: true, ...tolerance(options) }],
  toShowLed: (led: LedName, color: LedColor, when: LedWhen) => [{ led, color, ...when }],
  toBeInStateAt: (state: string, atSeconds: number) => [{ at: atSeconds, state }],
  toHaveGesture: (gesture: string, options?: { within?: number; count?: number }) => [{ gesture, ...options }],
  toHaveNoFrameDrops: (reason?: FrameDropReason) => [reason === undefined ? { noFrameDrops: true } : { frameDrops: 0, reason }],
  toHaveDevicesStarted: (devices: DevicesWhich, options: DevicesStartedOptions) => [{
    devices, after: options.after, startedWithin: options.within,
    ...(options.preRollAtLeast === undefined ? {} : { preRollAtLeastSeconds: options.preRollAtLeast }),
    ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
  }],
  toMeetExpectations: (expectations: readonly Raw[]) => [...expectations],
};

/** The matchers as plain functions `(received, ...args, isNot)`; names as in {@link BodycamMatchers}. */
export function bodycamMatcher(name: keyof BodycamMatchers): (received: unknown, args: readonly unknown[], isNot: boolean) => MatcherResult {
  const build = BUILDERS[name] as (...args: unknown[]) => Raw[];
  return (received, args, isNot) => matchExpectations(name, received, build(...args), isNot);
}

/** The names of every matcher. */
export const BODYCAM_MATCHER_NAMES = Object.keys(BUILDERS) as (keyof BodycamMatchers)[];
