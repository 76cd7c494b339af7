/**
 * `bodycam check`: the expectation language of scenarios (contract §3 `expect`, extended), its
 * evaluation against a run's events and manifests, the text and JUnit reports, and the runner.
 */
export { parseExpectations, parseExpectation, refuseTeamKeys } from './parse-expectations.js';
export { parseTeamExpectations } from './parse-team-expectations.js';
export { evaluateTeamExpectations, selectDevices, findSignal } from './evaluate-team.js';
export { isTeamOutcome, toTeamOutcome, signalsFromBus } from './team-outcome.js';
export type { TeamOutcome, TeamCameraOutcome, BusSignal, BusLogLine } from './team-outcome.js';
export { isDeviceExpectation } from './team-expectation-types.js';
export type {
  TeamExpectation, DeviceExpectation, CrossDeviceExpectation, CrossDeviceSpec, DeviceSelector, SignalAnchor, TeamRoster,
} from './team-expectation-types.js';
export { evaluateExpectations, evaluateExpectation, formatResult } from './evaluate.js';
export { recordingsInTriggerOrder, eventsOfType, ledStateAt, modeAt, audioEndUs } from './run-outcome.js';
export type { RunOutcome, RecordingEntry, LedState } from './run-outcome.js';
export { RECORDING_TIME_FIELDS } from './expectation-types.js';
export type {
  Expectation, AssertionSpec, AssertionResult, MeasuredValue, Anchor, LedLook, Occurrence, GestureName, RecordingTimeField,
} from './expectation-types.js';
export { junitXml, escapeXml } from './junit.js';
export type { ScenarioReport } from './junit.js';
export { checkScenarios } from './check-runner.js';
export type { CheckOptions, CheckRun, ScenarioCheck } from './check-runner.js';
export { formatScenarioCheck, formatCheckSummary, checkRunJson } from './check-report.js';
export { matchExpectations, bodycamMatcher, BODYCAM_MATCHER_NAMES } from './matchers.js';
export type { BodycamMatchers, LedWhen, RecordingOption, ToleranceOption, MatcherResult, DeviceOption, DevicesWhich, DevicesStartedOptions } from './matchers.js';
